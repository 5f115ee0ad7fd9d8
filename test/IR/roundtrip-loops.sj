// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// Kernel level: loops with carried values, loads, stores, dims; a lowered
// func with alloc, launch and gemm; a multi-output fused op; a func with no
// results.
kernel @k(%in0: f32[?,8], %out0: f32[?], %out1: bool[?,8]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %n (%i: i64) {
    %z = constant {value = 0.0} : f32
    %o = constant {value = 1.0} : f32
    %s, %p = for %c0, %c8, %z, %o : f32, f32 (%j: i64, %acc: f32, %pr: f32) {
      %x = load %in0, %i, %j : f32
      %a2 = add %acc, %x : f32
      %p2 = mul %pr, %x : f32
      %g = gt %x, %z : bool
      store %g, %out1, %i, %j
      yield %a2, %p2
    }
    %r = add %s, %p : f32
    store %r, %out0, %i
    yield
  }
  return
}

func @f(%x: f32[?,8], %w: f32[8,8]) -> (f32[?], f32[?,8], f32[?,8], f32[?,8]) {
  %n = dim %x {axis = 0} : i64
  %o = alloc %n : f32[?]
  %b = alloc %n : bool[?,8]
  launch %x, %o, %b {kernel = @k}
  %m = alloc %n : f32[?,8]
  gemm %x, %w, %m
  %u, %v = fused %m, %x : f32[?,8], f32[?,8] (%p: f32, %q: f32) {
    %e = exp %p : f32
    %t = mul %e, %q : f32
    yield %e, %t
  }
  return %o, %m, %u, %v
}

func @attrs() -> () {
  %c = constant {value = 1} : i64
  return
}
