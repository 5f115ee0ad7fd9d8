// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file | FileCheck %s
// A chain becomes one fused op; a splat constant is copied into the body.
// CHECK-LABEL: func @chain(%a: f32[?], %b: f32[?], %c: f32[?], %d: f32[?]) -> (f32[?]) {
// CHECK-NEXT:   %k = constant {value = 0.5} : f32[]
// CHECK-NEXT:   %0 = fused %a, %b, %c, %d : f32[?] (%1: f32, %2: f32, %3: f32, %4: f32) {
// CHECK-NEXT:     %5 = mul %1, %2 : f32
// CHECK-NEXT:     %6 = exp %3 : f32
// CHECK-NEXT:     %7 = mul %6, %4 : f32
// CHECK-NEXT:     %8 = add %5, %7 : f32
// CHECK-NEXT:     %9 = constant {value = 0.5} : f32
// CHECK-NEXT:     %10 = mul %8, %9 : f32
// CHECK-NEXT:     yield %10
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @chain(%a: f32[?], %b: f32[?], %c: f32[?], %d: f32[?]) -> (f32[?]) {
  %0 = mul %a, %b : f32[?]
  %1 = exp %c : f32[?]
  %2 = mul %1, %d : f32[?]
  %3 = add %0, %2 : f32[?]
  %k = constant {value = 0.5} : f32[]
  %4 = mul %3, %k : f32[?]
  return %4
}
// -----
// Bias add + relu: the smaller operand is a broadcast input; broadcast_to is
// absorbed as an index map.
// CHECK-LABEL: func @bias(%x: f32[?,16], %b: f32[16], %r: f32[16]) -> (f32[?,16]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %0 = fused %x, %b, %r : f32[?,16] (%1: f32, %2: f32, %3: f32) {
// CHECK-NEXT:     %4 = add %1, %2 : f32
// CHECK-NEXT:     %5 = constant {value = 0.0} : f32
// CHECK-NEXT:     %6 = maximum %4, %5 : f32
// CHECK-NEXT:     %7 = mul %6, %3 : f32
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @bias(%x: f32[?,16], %b: f32[16], %r: f32[16]) -> (f32[?,16]) {
  %0 = add %x, %b : f32[?,16]
  %z = constant {value = 0.0} : f32[]
  %1 = maximum %0, %z : f32[?,16]
  %rb = broadcast_to %r : f32[?,16]
  %2 = mul %1, %rb : f32[?,16]
  return %2
}
// -----
// A member used outside the group becomes an extra result (multi-output);
// the expensive exp is computed once.
// CHECK-LABEL: func @multi(%x: f32[8,4]) -> (f32[8,4], f32[8,4], f32[8]) {
// CHECK-NEXT:   %0, %1 = fused %x : f32[8,4], f32[8,4] (%2: f32) {
// CHECK-NEXT:     %3 = exp %2 : f32
// CHECK-NEXT:     %4 = mul %3, %2 : f32
// CHECK-NEXT:     yield %3, %4
// CHECK-NEXT:   }
// CHECK-NEXT:   %5 = sum %0 {axes = [1]} : f32[8]
// CHECK-NEXT:   return %0, %1, %5
// CHECK-NEXT: }
func @multi(%x: f32[8,4]) -> (f32[8,4], f32[8,4], f32[8]) {
  %0 = exp %x : f32[8,4]
  %1 = mul %0, %x : f32[8,4]
  %2 = sum %0 {axes = [1]} : f32[8]
  return %0, %1, %2
}
