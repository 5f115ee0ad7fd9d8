// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Attributes of every kind. Names with a '.' are discardable annotations
// (any kind, on any op); they print sorted by name with the op's own ones.
// Strings escape '"', '\' and every byte outside 0x20..0x7e as \xNN.
func @attrs(%x: f32[2,3]) -> (f32[3], f32[3,2], f32[2,3]) {
  %0 = sum %x {axes = [0], keepdims = false, sj.b = true, sj.dense = dense<[1.5, -2.0]>, sj.dt = bf16, sj.empty = [], sj.f = -0.25, sj.i = -42, sj.ints = [-1, 0, 9223372036854775807], sj.s = "plain", sj.sym = @attrs} : f32[3]
  %1 = transpose %x {perm = [1, 0], sj.esc = "q\"b\\n\x0at\x09\x7f\xc3\xa9", sj.idense = dense<[1, 2, 3]>, sj.str = ""} : f32[3,2]
  %2 = neg %x {sj.note = "x // not a comment", sj.z = nan} : f32[2,3]
  return %0, %1, %2
}

kernel @k(%out: f32[]) {
  %v = constant {sj.origin = "fused from @attrs", value = 2.0} : f32
  store %v, %out {sj.align = 16}
  return {sj.last = true}
}
