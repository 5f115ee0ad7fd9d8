// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// Exact float identities: x*1, 1*x, x/1, neg(neg x); the additive identity
// of add is -0.0 (x + -0.0 is x even for x = -0.0) and that of sub is +0.0.
// CHECK-LABEL: func @ids(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   return %x, %x, %x, %x, %x, %x, %x
// CHECK-NEXT: }
func @ids(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %pz = constant {value = 0.0} : f32[]
  %nz = constant {value = -0.0} : f32[]
  %a = mul %x, %one : f32[4]
  %b = mul %one, %x : f32[4]
  %c = add %x, %nz : f32[4]
  %d = add %nz, %x : f32[4]
  %e = sub %x, %pz : f32[4]
  %f = div %x, %one : f32[4]
  %n = neg %x : f32[4]
  %g = neg %n : f32[4]
  return %a, %b, %c, %d, %e, %f, %g
}
// -----
// Integers have one zero: x+0, 0+x, x-0 -> x; x - x -> 0 and x * 0 -> 0 are
// exact. The identity operand may broadcast when x already has the result type.
// CHECK-LABEL: func @ints(%x: i32[4], %m: i64[2,3]) -> (i32[4], i32[4], i32[4], i32[4], i32[4], i32[4], i64[2,3]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i32[4]
// CHECK-NEXT:   %1 = constant {value = 0} : i32[4]
// CHECK-NEXT:   %2 = constant {value = 0} : i32[4]
// CHECK-NEXT:   return %x, %x, %x, %0, %1, %2, %m
// CHECK-NEXT: }
func @ints(%x: i32[4], %m: i64[2,3]) -> (i32[4], i32[4], i32[4], i32[4], i32[4], i32[4], i64[2,3]) {
  %z = constant {value = 0} : i32[]
  %one = constant {value = 1} : i64[3]
  %a = add %x, %z : i32[4]
  %b = add %z, %x : i32[4]
  %c = sub %x, %z : i32[4]
  %d = sub %x, %x : i32[4]
  %e = mul %x, %z : i32[4]
  %f = mul %z, %x : i32[4]
  %g = mul %m, %one : i64[2,3]
  return %a, %b, %c, %d, %e, %f, %g
}
// -----
// A negated operand folds into add/sub (IEEE defines a - b as a + (-b)).
// CHECK-LABEL: func @negs(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = add %x, %y : f32[4]
// CHECK-NEXT:   %1 = sub %x, %y : f32[4]
// CHECK-NEXT:   %2 = sub %x, %y : f32[4]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @negs(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], f32[4]) {
  %ny = neg %y : f32[4]
  %a = sub %x, %ny : f32[4]
  %b = add %x, %ny : f32[4]
  %c = add %ny, %x : f32[4]
  return %a, %b, %c
}
// -----
// Shape chains: transpose(transpose) composes, an identity perm disappears,
// reshape(reshape) keeps the outer, same-type reshape/broadcast/cast vanish,
// broadcast of a splat constant is a constant.
// CHECK-LABEL: func @shapes(%x: f32[2,3,4]) -> (f32[4,2,3], f32[2,3,4], f32[24], f32[2,3,4], f32[5,3]) {
// CHECK-NEXT:   %t2 = transpose %x {perm = [2, 0, 1]} : f32[4,2,3]
// CHECK-NEXT:   %r2 = reshape %x : f32[24]
// CHECK-NEXT:   %0 = constant {value = 1.5} : f32[5,3]
// CHECK-NEXT:   return %t2, %x, %r2, %x, %0
// CHECK-NEXT: }
func @shapes(%x: f32[2,3,4]) -> (f32[4,2,3], f32[2,3,4], f32[24], f32[2,3,4], f32[5,3]) {
  %t1 = transpose %x {perm = [1, 2, 0]} : f32[3,4,2]
  %t2 = transpose %t1 {perm = [1, 2, 0]} : f32[4,2,3]
  %t3 = transpose %x {perm = [0, 1, 2]} : f32[2,3,4]
  %r1 = reshape %x : f32[6,4]
  %r2 = reshape %r1 : f32[24]
  %r3 = reshape %x : f32[2,3,4]
  %b = broadcast_to %r3 : f32[2,3,4]
  %cst = constant {value = 1.5} : f32[]
  %bc = broadcast_to %cst : f32[5,3]
  return %t2, %t3, %r2, %b, %bc
}
// -----
// Inverse transposes and a reshape round trip give back x; the inner ops die.
// CHECK-LABEL: func @roundtrip(%x: f32[2,3]) -> (f32[2,3], f32[2,3]) {
// CHECK-NEXT:   return %x, %x
// CHECK-NEXT: }
func @roundtrip(%x: f32[2,3]) -> (f32[2,3], f32[2,3]) {
  %t1 = transpose %x {perm = [1, 0]} : f32[3,2]
  %t2 = transpose %t1 {perm = [1, 0]} : f32[2,3]
  %r1 = reshape %x : f32[6]
  %r2 = reshape %r1 : f32[2,3]
  return %t2, %r2
}
// -----
// broadcast_to(broadcast_to x) is one broadcast_to, also with dynamic dims.
// CHECK-LABEL: func @bcast(%x: f32[3], %y: f32[?,1]) -> (f32[4,2,3], f32[?,5]) {
// CHECK-NEXT:   %b = broadcast_to %x : f32[4,2,3]
// CHECK-NEXT:   %d = broadcast_to %y : f32[?,5]
// CHECK-NEXT:   return %b, %d
// CHECK-NEXT: }
func @bcast(%x: f32[3], %y: f32[?,1]) -> (f32[4,2,3], f32[?,5]) {
  %a = broadcast_to %x : f32[2,3]
  %b = broadcast_to %a : f32[4,2,3]
  %c = broadcast_to %y : f32[?,1]
  %d = broadcast_to %c : f32[?,5]
  return %b, %d
}
// -----
// cast(cast x) back to x's dtype is x when the first cast is lossless.
// CHECK-LABEL: func @casts(%x: f32[4], %i: i8[4], %b: bool[4], %h: bf16[4]) -> (f32[4], i8[4], bool[4], bf16[4], f32[4]) {
// CHECK-NEXT:   return %x, %i, %b, %h, %x
// CHECK-NEXT: }
func @casts(%x: f32[4], %i: i8[4], %b: bool[4], %h: bf16[4]) -> (f32[4], i8[4], bool[4], bf16[4], f32[4]) {
  %x1 = cast %x : f64[4]
  %x2 = cast %x1 : f32[4]
  %i1 = cast %i : i32[4]
  %i2 = cast %i1 : i8[4]
  %b1 = cast %b : f32[4]
  %b2 = cast %b1 : bool[4]
  %h1 = cast %h : f32[4]
  %h2 = cast %h1 : bf16[4]
  %s = cast %x : f32[4]
  return %x2, %i2, %b2, %h2, %s
}
// -----
// Scalars in kernel bodies and fused bodies are canonicalized too.
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     %0 = add %a, %a : f32
// CHECK-NEXT:     store %0, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @f(%x: f32[4], %y: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %r = fused %x, %y : f32[4] (%p: f32, %q: f32) {
// CHECK-NEXT:     %s = add %p, %q : f32
// CHECK-NEXT:     yield %s
// CHECK-NEXT:   }
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
kernel @k(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : f32
    %one = constant {value = 1.0} : f32
    %nz = constant {value = -0.0} : f32
    %b = mul %a, %one : f32
    %c = add %b, %nz : f32
    %n = neg %c : f32
    %d = sub %a, %n : f32
    store %d, %out0, %i
    yield
  }
  return
}

func @f(%x: f32[4], %y: f32[4]) -> (f32[4]) {
  %r = fused %x, %y : f32[4] (%p: f32, %q: f32) {
    %one = constant {value = 1.0} : f32
    %m = div %p, %one : f32
    %n = neg %q : f32
    %nn = neg %n : f32
    %s = add %m, %nn : f32
    yield %s
  }
  return %r
}
