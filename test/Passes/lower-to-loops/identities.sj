// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// Reductions start from their combine's identity, exactly, in the operand's
// dtype: the i64 bounds are not doubles (min over i64 used to start from
// 2^63 - 1024). test/unit/dtypes.c runs every dtype x combine.
// CHECK-LABEL: func @imin(%x: i64[?]) -> (i64[]) {
// CHECK-NEXT:   %0 = alloc : i64[]
// CHECK-NEXT:   launch %x, %0 {kernel = @imin_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @imin_k0(%in0: i64[?], %out0: i64[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = constant {value = 9223372036854775807} : i64
// CHECK-NEXT:   %2 = for %c0, %0, %1 {combine = "minimum"} : i64 (%3: i64, %4: i64) {
// CHECK-NEXT:     %5 = load %in0, %3 : i64
// CHECK-NEXT:     %6 = minimum %4, %5 : i64
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   store %2, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @imin(%x: i64[?]) -> (i64[]) {
  %0 = min %x : i64[]
  return %0
}
// -----
// CHECK-LABEL: func @imax(%x: i64[?]) -> (i64[]) {
// CHECK-NEXT:   %0 = alloc : i64[]
// CHECK-NEXT:   launch %x, %0 {kernel = @imax_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @imax_k0(%in0: i64[?], %out0: i64[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = constant {value = -9223372036854775808} : i64
// CHECK-NEXT:   %2 = for %c0, %0, %1 {combine = "maximum"} : i64 (%3: i64, %4: i64) {
// CHECK-NEXT:     %5 = load %in0, %3 : i64
// CHECK-NEXT:     %6 = maximum %4, %5 : i64
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   store %2, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @imax(%x: i64[?]) -> (i64[]) {
  %0 = max %x : i64[]
  return %0
}
// -----
// CHECK-LABEL: func @i8min(%x: i8[?,3]) -> (i8[3]) {
// CHECK-NEXT:   %0 = alloc : i8[3]
// CHECK-NEXT:   launch %x, %0 {kernel = @i8min_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @i8min_k0(%in0: i8[?,3], %out0: i8[3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = 127} : i8
// CHECK-NEXT:     store %2, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %0 (%3: i64) {
// CHECK-NEXT:     for %c0, %c3 (%4: i64) {
// CHECK-NEXT:       %5 = load %in0, %3, %4 : i8
// CHECK-NEXT:       %6 = load %out0, %4 : i8
// CHECK-NEXT:       %7 = minimum %6, %5 : i8
// CHECK-NEXT:       store %7, %out0, %4
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @i8min(%x: i8[?,3]) -> (i8[3]) {
  %0 = min %x {axes = [0]} : i8[3]
  return %0
}
// -----
// CHECK-LABEL: func @i32prod(%x: i32[4]) -> (i32[]) {
// CHECK-NEXT:   %0 = alloc : i32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @i32prod_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @i32prod_k0(%in0: i32[4], %out0: i32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %0 = constant {value = 1} : i32
// CHECK-NEXT:   %1 = for %c0, %c4, %0 {combine = "mul"} : i32 (%2: i64, %3: i32) {
// CHECK-NEXT:     %4 = load %in0, %2 : i32
// CHECK-NEXT:     %5 = mul %3, %4 : i32
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   store %1, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @i32prod(%x: i32[4]) -> (i32[]) {
  %0 = prod %x : i32[]
  return %0
}
// -----
// CHECK-LABEL: func @fmin(%x: f64[4]) -> (f64[]) {
// CHECK-NEXT:   %0 = alloc : f64[]
// CHECK-NEXT:   launch %x, %0 {kernel = @fmin_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @fmin_k0(%in0: f64[4], %out0: f64[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %0 = constant {value = inf} : f64
// CHECK-NEXT:   %1 = for %c0, %c4, %0 {combine = "minimum"} : f64 (%2: i64, %3: f64) {
// CHECK-NEXT:     %4 = load %in0, %2 : f64
// CHECK-NEXT:     %5 = minimum %3, %4 : f64
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   store %1, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @fmin(%x: f64[4]) -> (f64[]) {
  %0 = min %x : f64[]
  return %0
}
