// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// Integer division by zero is left for run time (splat or one dense element);
// non-constant operands, f16/bf16 values and dynamic shapes are not folded.
// CHECK-LABEL: func @keep(%x: f32[4], %y: f32[?]) -> (i32[], i32[2], f32[4], f16[], bf16[], f32[?]) {
// CHECK-NEXT:   %a = constant {value = 7} : i32[]
// CHECK-NEXT:   %z = constant {value = 0} : i32[]
// CHECK-NEXT:   %q = div %a, %z : i32[]
// CHECK-NEXT:   %d = constant {value = dense<[2, 0]>} : i32[2]
// CHECK-NEXT:   %q2 = div %a, %d : i32[2]
// CHECK-NEXT:   %one = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %b = add %x, %one : f32[4]
// CHECK-NEXT:   %h = constant {value = 1.5} : f16[]
// CHECK-NEXT:   %h2 = add %h, %h : f16[]
// CHECK-NEXT:   %g = constant {value = 1.5} : bf16[]
// CHECK-NEXT:   %g2 = exp %g : bf16[]
// CHECK-NEXT:   %dy = add %y, %one : f32[?]
// CHECK-NEXT:   return %q, %q2, %b, %h2, %g2, %dy
// CHECK-NEXT: }
func @keep(%x: f32[4], %y: f32[?]) -> (i32[], i32[2], f32[4], f16[], bf16[], f32[?]) {
  %a = constant {value = 7} : i32[]
  %z = constant {value = 0} : i32[]
  %q = div %a, %z : i32[]
  %d = constant {value = dense<[2, 0]>} : i32[2]
  %q2 = div %a, %d : i32[2]
  %one = constant {value = 1.0} : f32[]
  %b = add %x, %one : f32[4]
  %h = constant {value = 1.5} : f16[]
  %h2 = add %h, %h : f16[]
  %g = constant {value = 1.5} : bf16[]
  %g2 = exp %g : bf16[]
  %dy = add %y, %one : f32[?]
  return %q, %q2, %b, %h2, %g2, %dy
}
// -----
// Float-to-int casts of NaN or out-of-range values are poison in the compiled
// code: not folded. Integers from 2^53 up are not exact in doubles: not folded
// (2^53 - 1 + 2 would round to 2^53).
// CHECK-LABEL: func @casts() -> (i32[], i8[], i64[], i64[]) {
// CHECK-NEXT:   %nan = constant {value = nan} : f32[]
// CHECK-NEXT:   %a = cast %nan : i32[]
// CHECK-NEXT:   %big = constant {value = 128.5} : f64[]
// CHECK-NEXT:   %b = cast %big : i8[]
// CHECK-NEXT:   %h = constant {value = 9007199254740991} : i64[]
// CHECK-NEXT:   %two = constant {value = 2} : i64[]
// CHECK-NEXT:   %c = add %h, %two : i64[]
// CHECK-NEXT:   %m = constant {value = 4294967296} : i64[]
// CHECK-NEXT:   %d = mul %m, %m : i64[]
// CHECK-NEXT:   return %a, %b, %c, %d
// CHECK-NEXT: }
func @casts() -> (i32[], i8[], i64[], i64[]) {
  %nan = constant {value = nan} : f32[]
  %a = cast %nan : i32[]
  %big = constant {value = 128.5} : f64[]
  %b = cast %big : i8[]
  %h = constant {value = 9007199254740991} : i64[]
  %two = constant {value = 2} : i64[]
  %c = add %h, %two : i64[]
  %m = constant {value = 4294967296} : i64[]
  %d = mul %m, %m : i64[]
  return %a, %b, %c, %d
}
// -----
// max/min over zero elements have no value; an empty result is not worth a
// constant.
// CHECK-LABEL: func @empty() -> (f32[], f32[0]) {
// CHECK-NEXT:   %e = constant {value = 1.0} : f32[0]
// CHECK-NEXT:   %m = max %e : f32[]
// CHECK-NEXT:   %n = neg %e : f32[0]
// CHECK-NEXT:   return %m, %n
// CHECK-NEXT: }
func @empty() -> (f32[], f32[0]) {
  %e = constant {value = 1.0} : f32[0]
  %m = max %e : f32[]
  %n = neg %e : f32[0]
  return %m, %n
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
