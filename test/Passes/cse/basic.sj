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
// Every commutative op (maximum, minimum, eq, ne) matches swapped operands.
// CHECK-LABEL: func @comm(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], bool[4], bool[4], f32[4], f32[4], bool[4], bool[4]) {
// CHECK-NEXT:   %a = maximum %x, %y : f32[4]
// CHECK-NEXT:   %b = minimum %x, %y : f32[4]
// CHECK-NEXT:   %c = eq %x, %y : bool[4]
// CHECK-NEXT:   %d = ne %x, %y : bool[4]
// CHECK-NEXT:   return %a, %b, %c, %d, %a, %b, %c, %d
// CHECK-NEXT: }
func @comm(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], bool[4], bool[4], f32[4], f32[4], bool[4], bool[4]) {
  %a = maximum %x, %y : f32[4]
  %b = minimum %x, %y : f32[4]
  %c = eq %x, %y : bool[4]
  %d = ne %x, %y : bool[4]
  %a2 = maximum %y, %x : f32[4]
  %b2 = minimum %y, %x : f32[4]
  %c2 = eq %y, %x : bool[4]
  %d2 = ne %y, %x : bool[4]
  return %a, %b, %c, %d, %a2, %b2, %c2, %d2
}
// -----
// Attributes and result types are part of the key.
// CHECK-LABEL: func @attrs(%x: f32[4,6]) -> (f32[4], f32[4], f32[6], f32[4,1], f32[6,4], f32[6,4]) {
// CHECK-NEXT:   %a = sum %x {axes = [1]} : f32[4]
// CHECK-NEXT:   %c = sum %x {axes = [0]} : f32[6]
// CHECK-NEXT:   %d = sum %x {axes = [1], keepdims = true} : f32[4,1]
// CHECK-NEXT:   %t = transpose %x {perm = [1, 0]} : f32[6,4]
// CHECK-NEXT:   return %a, %a, %c, %d, %t, %t
// CHECK-NEXT: }
func @attrs(%x: f32[4,6]) -> (f32[4], f32[4], f32[6], f32[4,1], f32[6,4], f32[6,4]) {
  %a = sum %x {axes = [1]} : f32[4]
  %b = sum %x {axes = [1]} : f32[4]
  %c = sum %x {axes = [0]} : f32[6]
  %d = sum %x {axes = [1], keepdims = true} : f32[4,1]
  %t = transpose %x {perm = [1, 0]} : f32[6,4]
  %u = transpose %x {perm = [1, 0]} : f32[6,4]
  return %a, %b, %c, %d, %t, %u
}
// -----
// Constants with the same value and type merge, dense ones too; a merged
// constant makes its users identical, which merge in turn.
// CHECK-LABEL: func @consts(%x: f32[3]) -> (f32[3], f32[3]) {
// CHECK-NEXT:   %c1 = constant {value = 2.0} : f32[]
// CHECK-NEXT:   %c3 = constant {value = 2} : i32[]
// CHECK-NEXT:   %a = mul %x, %c1 : f32[3]
// CHECK-NEXT:   %s = add %a, %a : f32[3]
// CHECK-NEXT:   %d1 = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
// CHECK-NEXT:   %e1 = sub %x, %d1 : f32[3]
// CHECK-NEXT:   %f = mul %e1, %e1 : f32[3]
// CHECK-NEXT:   return %s, %f
// CHECK-NEXT: }
func @consts(%x: f32[3]) -> (f32[3], f32[3]) {
  %c1 = constant {value = 2.0} : f32[]
  %c2 = constant {value = 2.0} : f32[]
  %c3 = constant {value = 2} : i32[]
  %a = mul %x, %c1 : f32[3]
  %b = mul %x, %c2 : f32[3]
  %s = add %a, %b : f32[3]
  %d1 = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
  %d2 = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
  %e1 = sub %x, %d1 : f32[3]
  %e2 = sub %x, %d2 : f32[3]
  %f = mul %e1, %e2 : f32[3]
  return %s, %f
}
// -----
// Shape ops and matmul are pure: they merge like the rest.
// CHECK-LABEL: func @shapes(%x: f32[4,6], %w: f32[6,2]) -> (f32[24], f32[24], f32[4,2], f32[4,2], f32[3,4,6], f32[3,4,6]) {
// CHECK-NEXT:   %r1 = reshape %x : f32[24]
// CHECK-NEXT:   %m1 = matmul %x, %w : f32[4,2]
// CHECK-NEXT:   %b1 = broadcast_to %x : f32[3,4,6]
// CHECK-NEXT:   return %r1, %r1, %m1, %m1, %b1, %b1
// CHECK-NEXT: }
func @shapes(%x: f32[4,6], %w: f32[6,2]) -> (f32[24], f32[24], f32[4,2], f32[4,2], f32[3,4,6], f32[3,4,6]) {
  %r1 = reshape %x : f32[24]
  %r2 = reshape %x : f32[24]
  %m1 = matmul %x, %w : f32[4,2]
  %m2 = matmul %x, %w : f32[4,2]
  %b1 = broadcast_to %x : f32[3,4,6]
  %b2 = broadcast_to %x : f32[3,4,6]
  return %r1, %r2, %m1, %m2, %b1, %b2
}
