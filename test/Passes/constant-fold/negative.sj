// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// Integer division by zero is left for run time; non-constant operands,
// f16 values and dynamic shapes are not folded.
// CHECK-LABEL: func @keep(%x: f32[4]) -> (i32[], f32[4], f16[]) {
// CHECK-NEXT:   %a = constant {value = 7} : i32[]
// CHECK-NEXT:   %z = constant {value = 0} : i32[]
// CHECK-NEXT:   %q = div %a, %z : i32[]
// CHECK-NEXT:   %one = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %b = add %x, %one : f32[4]
// CHECK-NEXT:   %h = constant {value = 1.5} : f16[]
// CHECK-NEXT:   %h2 = add %h, %h : f16[]
// CHECK-NEXT:   return %q, %b, %h2
// CHECK-NEXT: }
func @keep(%x: f32[4]) -> (i32[], f32[4], f16[]) {
  %a = constant {value = 7} : i32[]
  %z = constant {value = 0} : i32[]
  %q = div %a, %z : i32[]
  %one = constant {value = 1.0} : f32[]
  %b = add %x, %one : f32[4]
  %h = constant {value = 1.5} : f16[]
  %h2 = add %h, %h : f16[]
  return %q, %b, %h2
}
// -----
// Results larger than 4096 elements are not materialized as dense literals.
// CHECK-LABEL: func @big() -> (f32[100,100]) {
// CHECK-NEXT:   %b = constant {value = 1.0} : f32[100,100]
// CHECK-NEXT:   %i = constant {value = dense<[0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5, 16.5, 17.5, 18.5, 19.5, 20.5, 21.5, 22.5, 23.5, 24.5, 25.5, 26.5, 27.5, 28.5, 29.5, 30.5, 31.5, 32.5, 33.5, 34.5, 35.5, 36.5, 37.5, 38.5, 39.5, 40.5, 41.5, 42.5, 43.5, 44.5, 45.5, 46.5, 47.5, 48.5, 49.5, 50.5, 51.5, 52.5, 53.5, 54.5, 55.5, 56.5, 57.5, 58.5, 59.5, 60.5, 61.5, 62.5, 63.5, 64.5, 65.5, 66.5, 67.5, 68.5, 69.5, 70.5, 71.5, 72.5, 73.5, 74.5, 75.5, 76.5, 77.5, 78.5, 79.5, 80.5, 81.5, 82.5, 83.5, 84.5, 85.5, 86.5, 87.5, 88.5, 89.5, 90.5, 91.5, 92.5, 93.5, 94.5, 95.5, 96.5, 97.5, 98.5, 99.5]>} : f32[100,1]
// CHECK-NEXT:   %c = add %b, %i : f32[100,100]
// CHECK-NEXT:   return %c
// CHECK-NEXT: }
func @big() -> (f32[100,100]) {
  %b = constant {value = 1.0} : f32[100,100]
  %i = constant {value = dense<[0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5, 16.5, 17.5, 18.5, 19.5, 20.5, 21.5, 22.5, 23.5, 24.5, 25.5, 26.5, 27.5, 28.5, 29.5, 30.5, 31.5, 32.5, 33.5, 34.5, 35.5, 36.5, 37.5, 38.5, 39.5, 40.5, 41.5, 42.5, 43.5, 44.5, 45.5, 46.5, 47.5, 48.5, 49.5, 50.5, 51.5, 52.5, 53.5, 54.5, 55.5, 56.5, 57.5, 58.5, 59.5, 60.5, 61.5, 62.5, 63.5, 64.5, 65.5, 66.5, 67.5, 68.5, 69.5, 70.5, 71.5, 72.5, 73.5, 74.5, 75.5, 76.5, 77.5, 78.5, 79.5, 80.5, 81.5, 82.5, 83.5, 84.5, 85.5, 86.5, 87.5, 88.5, 89.5, 90.5, 91.5, 92.5, 93.5, 94.5, 95.5, 96.5, 97.5, 98.5, 99.5]>} : f32[100,1]
  %c = add %b, %i : f32[100,100]
  return %c
}
