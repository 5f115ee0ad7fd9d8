// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// Splats fold to splats; f32 results are rounded to f32.
// CHECK-LABEL: func @splat() -> (f32[2,2], f32[]) {
// CHECK-NEXT:   %0 = constant {value = 0.20000000298023224} : f32[2,2]
// CHECK-NEXT:   %1 = constant {value = 1.1051709651947021} : f32[]
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
func @splat() -> (f32[2,2], f32[]) {
  %a = constant {value = 2.0} : f32[2,2]
  %b = constant {value = 0.1} : f32[]
  %c = mul %a, %b : f32[2,2]
  %d = exp %b : f32[]
  return %c, %d
}
// -----
// Dense operands broadcast against splats and each other.
// CHECK-LABEL: func @dense() -> (f32[2,3], bool[3]) {
// CHECK-NEXT:   %0 = constant {value = dense<[11.0, 12.0, 13.0, 21.0, 22.0, 23.0]>} : f32[2,3]
// CHECK-NEXT:   %1 = constant {value = dense<[0, 0, 1]>} : bool[3]
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
func @dense() -> (f32[2,3], bool[3]) {
  %a = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
  %b = constant {value = dense<[10.0, 20.0]>} : f32[2,1]
  %c = add %a, %b : f32[2,3]
  %two = constant {value = 2.0} : f32[]
  %d = gt %a, %two : bool[3]
  return %c, %d
}
// -----
// Reductions over constants, with axes and keepdims.
// CHECK-LABEL: func @reduce() -> (f32[2], f32[1,3], i32[]) {
// CHECK-NEXT:   %0 = constant {value = dense<[6.0, 15.0]>} : f32[2]
// CHECK-NEXT:   %1 = constant {value = dense<[4.0, 5.0, 6.0]>} : f32[1,3]
// CHECK-NEXT:   %2 = constant {value = 24} : i32[]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @reduce() -> (f32[2], f32[1,3], i32[]) {
  %a = constant {value = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>} : f32[2,3]
  %s = sum %a {axes = [1]} : f32[2]
  %m = max %a {axes = [0], keepdims = true} : f32[1,3]
  %i = constant {value = dense<[2, 3, 4]>} : i32[3]
  %p = prod %i : i32[]
  return %s, %m, %p
}
