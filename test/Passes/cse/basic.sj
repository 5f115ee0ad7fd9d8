// RUN: %symjit-opt %s --passes=cse --split-input-file | FileCheck %s
// Identical pure ops merge; commutative operands match in either order.
// CHECK-LABEL: func @dup(%x: f32[4], %y: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %a = add %x, %y : f32[4]
// CHECK-NEXT:   %c = mul %a, %a : f32[4]
// CHECK-NEXT:   %e = sub %c, %c : f32[4]
// CHECK-NEXT:   return %e
// CHECK-NEXT: }
func @dup(%x: f32[4], %y: f32[4]) -> (f32[4]) {
  %a = add %x, %y : f32[4]
  %b = add %y, %x : f32[4]
  %c = mul %a, %b : f32[4]
  %d = mul %b, %a : f32[4]
  %e = sub %c, %d : f32[4]
  return %e
}
// -----
// Attributes and result types are part of the key.
// CHECK-LABEL: func @attrs(%x: f32[4,6]) -> (f32[4], f32[4], f32[6], f32[4,1]) {
// CHECK-NEXT:   %a = sum %x {axes = [1]} : f32[4]
// CHECK-NEXT:   %c = sum %x {axes = [0]} : f32[6]
// CHECK-NEXT:   %d = sum %x {axes = [1], keepdims = true} : f32[4,1]
// CHECK-NEXT:   return %a, %a, %c, %d
// CHECK-NEXT: }
func @attrs(%x: f32[4,6]) -> (f32[4], f32[4], f32[6], f32[4,1]) {
  %a = sum %x {axes = [1]} : f32[4]
  %b = sum %x {axes = [1]} : f32[4]
  %c = sum %x {axes = [0]} : f32[6]
  %d = sum %x {axes = [1], keepdims = true} : f32[4,1]
  return %a, %b, %c, %d
}
// -----
// Constants with the same value and type merge.
// CHECK-LABEL: func @consts(%x: f32[3]) -> (f32[3]) {
// CHECK-NEXT:   %c1 = constant {value = 2.0} : f32[]
// CHECK-NEXT:   %c3 = constant {value = 2} : i32[]
// CHECK-NEXT:   %a = mul %x, %c1 : f32[3]
// CHECK-NEXT:   %s = add %a, %a : f32[3]
// CHECK-NEXT:   return %s
// CHECK-NEXT: }
func @consts(%x: f32[3]) -> (f32[3]) {
  %c1 = constant {value = 2.0} : f32[]
  %c2 = constant {value = 2.0} : f32[]
  %c3 = constant {value = 2} : i32[]
  %a = mul %x, %c1 : f32[3]
  %b = mul %x, %c2 : f32[3]
  %s = add %a, %b : f32[3]
  return %s
}
