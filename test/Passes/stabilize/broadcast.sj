// RUN: %symjit-opt %s --passes=stabilize --split-input-file | FileCheck %s
// The constant 1 may broadcast: a scalar 1 against a matrix, a splat of
// the result's shape, a dense literal of ones, a broadcast_to or reshape
// of a splat.
// CHECK-LABEL: func @ones(%x: f32[3,4]) -> (f32[3,4], f32[3,4], f32[3,4], f32[3,4]) {
// CHECK-NEXT:   %0 = log1p %x : f32[3,4]
// CHECK-NEXT:   %1 = log1p %x : f32[3,4]
// CHECK-NEXT:   %2 = log1p %x : f32[3,4]
// CHECK-NEXT:   %3 = expm1 %x : f32[3,4]
// CHECK-NEXT:   return %0, %1, %2, %3
// CHECK-NEXT: }
func @ones(%x: f32[3,4]) -> (f32[3,4], f32[3,4], f32[3,4], f32[3,4]) {
  %s = constant {value = 1.0} : f32[]
  %m = constant {value = 1.0} : f32[3,4]
  %d = constant {value = dense<[1.0, 1.0, 1.0, 1.0]>} : f32[4]
  %r = reshape %s : f32[1,1]
  %b = broadcast_to %r : f32[3,4]
  %0 = add %s, %x : f32[3,4]
  %1 = log %0 : f32[3,4]
  %2 = add %x, %m : f32[3,4]
  %3 = log %2 : f32[3,4]
  %4 = add %d, %x : f32[3,4]
  %5 = log %4 : f32[3,4]
  %e = exp %x : f32[3,4]
  %6 = sub %e, %b : f32[3,4]
  return %1, %3, %5, %6
}
// -----
// Casts of 1 and -1 (from i32 and from bool true) and a broadcast -1.
// CHECK-LABEL: func @casts(%x: f64[4]) -> (f64[4], f64[4], f64[4]) {
// CHECK-NEXT:   %0 = log1p %x : f64[4]
// CHECK-NEXT:   %1 = expm1 %x : f64[4]
// CHECK-NEXT:   %2 = expm1 %x : f64[4]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @casts(%x: f64[4]) -> (f64[4], f64[4], f64[4]) {
  %i = constant {value = 1} : i32[]
  %one = cast %i : f64[]
  %t = constant {value = 1} : bool[]
  %tone = cast %t : f64[]
  %m = constant {value = -1} : i32[]
  %mone = cast %m : f64[]
  %mb = broadcast_to %mone : f64[4]
  %0 = add %one, %x : f64[4]
  %1 = log %0 : f64[4]
  %e = exp %x : f64[4]
  %2 = sub %e, %tone : f64[4]
  %3 = add %e, %mb : f64[4]
  return %1, %2, %3
}
// -----
// -1 cast through bool is 1, not -1: exp(x) + cast(cast(-1, bool)) stays.
// CHECK-LABEL: func @bool_minus_one(%x: f64[4]) -> (f64[4]) {
// CHECK-NEXT:   %m = constant {value = -1} : i32[]
// CHECK-NEXT:   %b = cast %m : bool[]
// CHECK-NEXT:   %mone = cast %b : f64[]
// CHECK-NEXT:   %e = exp %x : f64[4]
// CHECK-NEXT:   %0 = add %e, %mone : f64[4]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @bool_minus_one(%x: f64[4]) -> (f64[4]) {
  %m = constant {value = -1} : i32[]
  %b = cast %m : bool[]
  %mone = cast %b : f64[]
  %e = exp %x : f64[4]
  %0 = add %e, %mone : f64[4]
  return %0
}
// -----
// A 1 larger than x: the stable op computes on x's shape and a broadcast_to
// restores the result type.
// CHECK-LABEL: func @larger_one(%x: f32[4]) -> (f32[3,4], f32[3,4]) {
// CHECK-NEXT:   %0 = log1p %x : f32[4]
// CHECK-NEXT:   %1 = broadcast_to %0 : f32[3,4]
// CHECK-NEXT:   %2 = expm1 %x : f32[4]
// CHECK-NEXT:   %3 = broadcast_to %2 : f32[3,4]
// CHECK-NEXT:   return %1, %3
// CHECK-NEXT: }
func @larger_one(%x: f32[4]) -> (f32[3,4], f32[3,4]) {
  %m = constant {value = 1.0} : f32[3,4]
  %0 = add %m, %x : f32[3,4]
  %1 = log %0 : f32[3,4]
  %e = exp %x : f32[4]
  %2 = sub %e, %m : f32[3,4]
  return %1, %2
}
// -----
// Scalars in fused and kernel bodies are rewritten too.
// CHECK-LABEL: func @fused(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %r = fused %x : f32[4] (%p: f32) {
// CHECK-NEXT:     %0 = softplus %p : f32
// CHECK-NEXT:     yield %0
// CHECK-NEXT:   }
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
// CHECK-LABEL: kernel @k(%in0: f64[4], %out0: f64[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f64
// CHECK-NEXT:     %0 = expm1 %a : f64
// CHECK-NEXT:     store %0, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @fused(%x: f32[4]) -> (f32[4]) {
  %r = fused %x : f32[4] (%p: f32) {
    %one = constant {value = 1.0} : f32
    %e = exp %p : f32
    %a = add %one, %e : f32
    %l = log %a : f32
    yield %l
  }
  return %r
}
kernel @k(%in0: f64[4], %out0: f64[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : f64
    %one = constant {value = 1.0} : f64
    %e = exp %a : f64
    %s = sub %e, %one : f64
    store %s, %out0, %i
    yield
  }
  return
}
