// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file | FileCheck %s
// A diamond (shared producer, two consumers joining) is one group; dense
// constants become operands; results keep program order.
// CHECK-LABEL: func @diamond(%x: f32[3]) -> (f32[3]) {
// CHECK-NEXT:   %c = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
// CHECK-NEXT:   %0 = fused %x, %c : f32[3] (%1: f32, %2: f32) {
// CHECK-NEXT:     %3 = tanh %1 : f32
// CHECK-NEXT:     %4 = mul %3, %2 : f32
// CHECK-NEXT:     %5 = sigmoid %3 : f32
// CHECK-NEXT:     %6 = add %4, %5 : f32
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @diamond(%x: f32[3]) -> (f32[3]) {
  %c = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
  %0 = tanh %x : f32[3]
  %1 = mul %0, %c : f32[3]
  %2 = sigmoid %0 : f32[3]
  %3 = add %1, %2 : f32[3]
  return %3
}
// -----
// Two independent chains give two groups; comparisons and select fuse with
// mixed dtypes in one body.
// CHECK-LABEL: func @two(%x: f32[5], %y: i32[5]) -> (f32[5], i32[5]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %s = fused %x : f32[5] (%0: f32) {
// CHECK-NEXT:     %1 = constant {value = 0.0} : f32
// CHECK-NEXT:     %2 = gt %0, %1 : bool
// CHECK-NEXT:     %3 = neg %0 : f32
// CHECK-NEXT:     %4 = select %2, %0, %3 : f32
// CHECK-NEXT:     yield %4
// CHECK-NEXT:   }
// CHECK-NEXT:   %one = constant {value = 1} : i32[]
// CHECK-NEXT:   %t = fused %y : i32[5] (%5: i32) {
// CHECK-NEXT:     %6 = constant {value = 1} : i32
// CHECK-NEXT:     %7 = add %5, %6 : i32
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   return %s, %t
// CHECK-NEXT: }
func @two(%x: f32[5], %y: i32[5]) -> (f32[5], i32[5]) {
  %z = constant {value = 0.0} : f32[]
  %p = gt %x, %z : bool[5]
  %n = neg %x : f32[5]
  %s = select %p, %x, %n : f32[5]
  %one = constant {value = 1} : i32[]
  %t = add %y, %one : i32[5]
  return %s, %t
}
