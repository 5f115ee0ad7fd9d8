// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// Scalar constants in kernel bodies fold; ints wrap to their width; casts fold.
// CHECK-LABEL: kernel @k(%out0: i32[2], %out1: f32[2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %0 = constant {value = -2147483648} : i32
// CHECK-NEXT:   store %0, %out0, %c0
// CHECK-NEXT:   %1 = constant {value = nan} : f32
// CHECK-NEXT:   store %1, %out1, %c1
// CHECK-NEXT:   %2 = constant {value = 1} : i32
// CHECK-NEXT:   store %2, %out0, %c1
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k(%out0: i32[2], %out1: f32[2]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %big = constant {value = 2147483647} : i32
  %one = constant {value = 1} : i32
  %w = add %big, %one : i32
  store %w, %out0, %c0
  %f = cast %w : f32
  %g = sqrt %f : f32
  store %g, %out1, %c1
  %sel = constant {value = 1} : bool
  %s = select %sel, %one, %big : i32
  store %s, %out0, %c1
  return
}
// -----
// Constants inside loop bodies fold; loads do not.
// CHECK-LABEL: kernel @loop(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %x = load %in0, %i : f32
// CHECK-NEXT:     %0 = constant {value = -0.28768208622932434} : f32
// CHECK-NEXT:     %e = add %x, %0 : f32
// CHECK-NEXT:     store %e, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @loop(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %x = load %in0, %i : f32
    %a = constant {value = 3.0} : f32
    %b = constant {value = 0.25} : f32
    %c = mul %a, %b : f32
    %d = log %c : f32
    %e = add %x, %d : f32
    store %e, %out0, %i
    yield
  }
  return
}
// -----
// Scalar ops in a fused body fold; the block arguments do not.
// CHECK-LABEL: func @f(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %r = fused %x : f32[4] (%p: f32) {
// CHECK-NEXT:     %0 = constant {value = 1.9280551671981812} : f32
// CHECK-NEXT:     %m = mul %p, %0 : f32
// CHECK-NEXT:     yield %m
// CHECK-NEXT:   }
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
func @f(%x: f32[4]) -> (f32[4]) {
  %r = fused %x : f32[4] (%p: f32) {
    %two = constant {value = 2.0} : f32
    %t = tanh %two : f32
    %h = mul %t, %two : f32
    %m = mul %p, %h : f32
    yield %m
  }
  return %r
}
