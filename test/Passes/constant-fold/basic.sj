// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// Splats fold to splats; f32 results are rounded to f32.
// CHECK-LABEL: func @splat() -> (f32[2,2], f32[], f64[]) {
// CHECK-NEXT:   %0 = constant {value = 0.20000000298023224} : f32[2,2]
// CHECK-NEXT:   %1 = constant {value = 1.1051709651947021} : f32[]
// CHECK-NEXT:   %2 = constant {value = 0.010000000000000002} : f64[]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @splat() -> (f32[2,2], f32[], f64[]) {
  %a = constant {value = 2.0} : f32[2,2]
  %b = constant {value = 0.1} : f32[]
  %c = mul %a, %b : f32[2,2]
  %d = exp %b : f32[]
  %e = constant {value = 0.1} : f64[]
  %f = mul %e, %e : f64[]
  return %c, %d, %f
}
// -----
// Dense operands broadcast against splats and each other; comparisons give
// bool (printed as 0/1).
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
// Chains fold completely; a dense result whose elements are all equal is a
// splat; select picks per element.
// CHECK-LABEL: func @chain() -> (f32[3], i32[3], f32[3]) {
// CHECK-NEXT:   %0 = constant {value = 2.0} : f32[3]
// CHECK-NEXT:   %1 = constant {value = dense<[3, -3, 4]>} : i32[3]
// CHECK-NEXT:   %2 = constant {value = dense<[1.0, 2.0, 1.0]>} : f32[3]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @chain() -> (f32[3], i32[3], f32[3]) {
  %a = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
  %b = constant {value = dense<[3.0, 2.0, 1.0]>} : f32[3]
  %s = add %a, %b : f32[3]
  %h = constant {value = 0.5} : f32[]
  %m = mul %s, %h : f32[3]
  %i = constant {value = dense<[7, -7, 8]>} : i32[3]
  %two = constant {value = 2} : i32[]
  %q = div %i, %two : i32[3]
  %c = lt %a, %b : bool[3]
  %sel = select %c, %a, %b : f32[3]
  return %m, %q, %sel
}
// -----
// Reductions over constants, with axes (negative too) and keepdims.
// CHECK-LABEL: func @reduce() -> (f32[2], f32[1,3], i32[], f32[3], f64[], f32[2]) {
// CHECK-NEXT:   %0 = constant {value = dense<[6.0, 15.0]>} : f32[2]
// CHECK-NEXT:   %1 = constant {value = dense<[4.0, 5.0, 6.0]>} : f32[1,3]
// CHECK-NEXT:   %2 = constant {value = 24} : i32[]
// CHECK-NEXT:   %3 = constant {value = dense<[1.0, 2.0, 3.0]>} : f32[3]
// CHECK-NEXT:   %4 = constant {value = 1.5} : f64[]
// CHECK-NEXT:   %5 = constant {value = dense<[2.0, 5.0]>} : f32[2]
// CHECK-NEXT:   return %0, %1, %2, %3, %4, %5
// CHECK-NEXT: }
func @reduce() -> (f32[2], f32[1,3], i32[], f32[3], f64[], f32[2]) {
  %a = constant {value = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>} : f32[2,3]
  %s = sum %a {axes = [1]} : f32[2]
  %m = max %a {axes = [0], keepdims = true} : f32[1,3]
  %i = constant {value = dense<[2, 3, 4]>} : i32[3]
  %p = prod %i : i32[]
  %n = min %a {axes = [-2]} : f32[3]
  %d = constant {value = 1.5} : f64[4,5]
  %mean = mean %d : f64[]
  %mr = mean %a {axes = [1]} : f32[2]
  return %s, %m, %p, %n, %mean, %mr
}
// -----
// Casts: float to int truncates toward zero, to bool is x != 0 (NaN too),
// int to float rounds to the target, i64 to i8 wraps.
// CHECK-LABEL: func @casts() -> (i32[4], bool[4], f32[], i8[2]) {
// CHECK-NEXT:   %0 = constant {value = dense<[2, -2, 0, 1000000000]>} : i32[4]
// CHECK-NEXT:   %1 = constant {value = dense<[1, 1, 0, 1]>} : bool[4]
// CHECK-NEXT:   %2 = constant {value = 16777216.0} : f32[]
// CHECK-NEXT:   %3 = constant {value = dense<[-56, 127]>} : i8[2]
// CHECK-NEXT:   return %0, %1, %2, %3
// CHECK-NEXT: }
func @casts() -> (i32[4], bool[4], f32[], i8[2]) {
  %f = constant {value = dense<[2.7, -2.7, 0.0, nan]>} : f32[4]
  %fi = constant {value = dense<[2.7, -2.7, 0.0, 1.0e9]>} : f32[4]
  %a = cast %fi : i32[4]
  %b = cast %f : bool[4]
  %big = constant {value = 16777217} : i64[]
  %c = cast %big : f32[]
  %w = constant {value = dense<[200, -129]>} : i64[2]
  %d = cast %w : i8[2]
  return %a, %b, %c, %d
}
// -----
// Integer arithmetic wraps to the dtype's width.
// CHECK-LABEL: func @wrap() -> (i8[2], i32[], i8[]) {
// CHECK-NEXT:   %0 = constant {value = dense<[-56, 0]>} : i8[2]
// CHECK-NEXT:   %1 = constant {value = 0} : i32[]
// CHECK-NEXT:   %2 = constant {value = -128} : i8[]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @wrap() -> (i8[2], i32[], i8[]) {
  %a = constant {value = dense<[100, -100]>} : i8[2]
  %b = constant {value = 100} : i8[]
  %c = add %a, %b : i8[2]
  %m = constant {value = 65536} : i32[]
  %d = mul %m, %m : i32[]
  %n = constant {value = -128} : i8[]
  %e = neg %n : i8[]
  return %c, %d, %e
}
