// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// Row reduction: kept dims outside (parallel), the reduced dim carried in a
// register by a `for`.
// CHECK-LABEL: func @rowsum(%x: f32[?,100]) -> (f32[?]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?]
// CHECK-NEXT:   launch %x, %1 {kernel = @rowsum_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @rowsum_k0(%in0: f32[?,100], %out0: f32[?]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i64
// CHECK-NEXT:   %1 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %2 = constant {value = 100} : i64
// CHECK-NEXT:   parallel_for %0, %1 (%3: i64) {
// CHECK-NEXT:     %4 = constant {value = 0.0} : f32
// CHECK-NEXT:     %5 = for %0, %2, %4 : f32 (%6: i64, %7: f32) {
// CHECK-NEXT:       %8 = load %in0, %3, %6 : f32
// CHECK-NEXT:       %9 = add %7, %8 : f32
// CHECK-NEXT:       yield %9
// CHECK-NEXT:     }
// CHECK-NEXT:     store %5, %out0, %3
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @rowsum(%x: f32[?,100]) -> (f32[?]) {
  %0 = sum %x {axes = [1]} : f32[?]
  return %0
}
// -----
// Column reduction: initialize, then accumulate in memory in input order
// (contiguous inner loop); mean divides by the count at the end.
// CHECK-LABEL: func @colmean(%x: f32[?,8]) -> (f32[1,8]) {
// CHECK-NEXT:   %0 = alloc : f32[1,8]
// CHECK-NEXT:   launch %x, %0 {kernel = @colmean_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @colmean_k0(%in0: f32[?,8], %out0: f32[1,8]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i64
// CHECK-NEXT:   %1 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %2 = constant {value = 8} : i64
// CHECK-NEXT:   %3 = constant {value = 1} : i64
// CHECK-NEXT:   %4 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %0, %4 (%5: i64) {
// CHECK-NEXT:     %6 = constant {value = 0.0} : f32
// CHECK-NEXT:     store %6, %out0, %0, %5
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %0, %1 (%7: i64) {
// CHECK-NEXT:     for %0, %2 (%8: i64) {
// CHECK-NEXT:       %9 = load %in0, %7, %8 : f32
// CHECK-NEXT:       %10 = load %out0, %0, %8 : f32
// CHECK-NEXT:       %11 = add %10, %9 : f32
// CHECK-NEXT:       store %11, %out0, %0, %8
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   %12 = cast %1 : f32
// CHECK-NEXT:   parallel_for %0, %4 (%13: i64) {
// CHECK-NEXT:     %14 = load %out0, %0, %13 : f32
// CHECK-NEXT:     %15 = div %14, %12 : f32
// CHECK-NEXT:     store %15, %out0, %0, %13
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @colmean(%x: f32[?,8]) -> (f32[1,8]) {
  %0 = mean %x {axes = [0], keepdims = true} : f32[1,8]
  return %0
}
// -----
// Full reduction of an int tensor with max: int identity, no parallel loop.
// CHECK-LABEL: func @full(%x: i32[?]) -> (i32[]) {
// CHECK-NEXT:   %0 = alloc : i32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @full_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @full_k0(%in0: i32[?], %out0: i32[]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i64
// CHECK-NEXT:   %1 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %2 = constant {value = -2147483648} : i32
// CHECK-NEXT:   %3 = for %0, %1, %2 : i32 (%4: i64, %5: i32) {
// CHECK-NEXT:     %6 = load %in0, %4 : i32
// CHECK-NEXT:     %7 = maximum %5, %6 : i32
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   store %3, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @full(%x: i32[?]) -> (i32[]) {
  %0 = max %x : i32[]
  return %0
}
