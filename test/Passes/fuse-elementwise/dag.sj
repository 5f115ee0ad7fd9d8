// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// A diamond (shared producer, two consumers joining) is one group; the
// shared tanh is computed once in the body.
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
// A member used outside the group (by a reduction and by return) becomes an
// extra result (multi-output): the expensive exp is computed once and never
// duplicated. Results keep program order.
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
// -----
// Siblings: two consumers of one producer that do not meet again still join
// its group (growth toward consumers), giving two results.
// CHECK-LABEL: func @siblings(%x: f32[?,6], %y: f32[?,6]) -> (f32[?,6], f32[?,6]) {
// CHECK-NEXT:   %a, %b = fused %x, %y : f32[?,6], f32[?,6] (%0: f32, %1: f32) {
// CHECK-NEXT:     %2 = exp %0 : f32
// CHECK-NEXT:     %3 = add %2, %1 : f32
// CHECK-NEXT:     %4 = mul %2, %1 : f32
// CHECK-NEXT:     yield %3, %4
// CHECK-NEXT:   }
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @siblings(%x: f32[?,6], %y: f32[?,6]) -> (f32[?,6], f32[?,6]) {
  %e = exp %x : f32[?,6]
  %a = add %e, %y : f32[?,6]
  %b = mul %e, %y : f32[?,6]
  return %a, %b
}
// -----
// An op between two members uses an early member: the fused op is moved up
// before it (stable topological order), so every use stays dominated.
// CHECK-LABEL: func @order(%x: f32[4], %y: f32[4]) -> (f32[], f32[4]) {
// CHECK-NEXT:   %0, %1 = fused %x, %y : f32[4], f32[4] (%2: f32, %3: f32) {
// CHECK-NEXT:     %4 = exp %2 : f32
// CHECK-NEXT:     %5 = mul %4, %3 : f32
// CHECK-NEXT:     yield %4, %5
// CHECK-NEXT:   }
// CHECK-NEXT:   %6 = sum %0 : f32[]
// CHECK-NEXT:   return %6, %1
// CHECK-NEXT: }
func @order(%x: f32[4], %y: f32[4]) -> (f32[], f32[4]) {
  %0 = exp %x : f32[4]
  %1 = sum %0 : f32[]
  %2 = mul %0, %y : f32[4]
  return %1, %2
}
// -----
// Two independent chains give two groups.
// CHECK-LABEL: func @two(%x: f32[5], %y: i32[5]) -> (f32[5], i32[5]) {
// CHECK-NEXT:   %one = constant {value = 1} : i32[]
// CHECK-NEXT:   %t = fused %y : i32[5] (%0: i32) {
// CHECK-NEXT:     %1 = constant {value = 1} : i32
// CHECK-NEXT:     %2 = add %0, %1 : i32
// CHECK-NEXT:     yield %2
// CHECK-NEXT:   }
// CHECK-NEXT:   %b = fused %x : f32[5] (%3: f32) {
// CHECK-NEXT:     %4 = abs %3 : f32
// CHECK-NEXT:     %5 = neg %4 : f32
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   return %b, %t
// CHECK-NEXT: }
func @two(%x: f32[5], %y: i32[5]) -> (f32[5], i32[5]) {
  %a = abs %x : f32[5]
  %one = constant {value = 1} : i32[]
  %t = add %y, %one : i32[5]
  %b = neg %a : f32[5]
  return %b, %t
}
