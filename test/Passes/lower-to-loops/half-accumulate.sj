// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// f16/bf16 sums, means, products and matmuls accumulate in f32: the op is
// rewritten into cast -> the op in f32 -> cast back before lowering, so the
// value is rounded to the half dtype once (docs/decisions/0005). Here a row
// sum: the three kernels that -O's loop-fusion merges into one (see
// test/Run/half-accumulate.sj).
// CHECK-LABEL: func @hsum(%x: f16[?,8]) -> (f16[?]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,8]
// CHECK-NEXT:   launch %x, %1 {kernel = @hsum_k0}
// CHECK-NEXT:   %2 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?]
// CHECK-NEXT:   launch %1, %3 {kernel = @hsum_k1}
// CHECK-NEXT:   %4 = dim %3 {axis = 0} : i64
// CHECK-NEXT:   %5 = alloc %4 : f16[?]
// CHECK-NEXT:   launch %3, %5 {kernel = @hsum_k2}
// CHECK-NEXT:   return %5
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hsum_k0(%in0: f16[?,8], %out0: f32[?,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c8 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f16
// CHECK-NEXT:       %4 = cast %3 : f32
// CHECK-NEXT:       store %4, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hsum_k1(%in0: f32[?,8], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = 0.0} : f32
// CHECK-NEXT:     %3 = for %c0, %c8, %2 {combine = "add"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = add %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     store %3, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hsum_k2(%in0: f32[?], %out0: f16[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = load %in0, %1 : f32
// CHECK-NEXT:     %3 = cast %2 : f16
// CHECK-NEXT:     store %3, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @hsum(%x: f16[?,8]) -> (f16[?]) {
  %0 = sum %x {axes = [1]} : f16[?]
  return %0
}
// -----
// A mean of bf16 keeps its scale in f32 too.
// CHECK-LABEL: func @hmean(%x: bf16[6]) -> (bf16[]) {
// CHECK-NEXT:   %0 = alloc : f32[6]
// CHECK-NEXT:   launch %x, %0 {kernel = @hmean_k0}
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %0, %1 {kernel = @hmean_k1}
// CHECK-NEXT:   %2 = alloc : bf16[]
// CHECK-NEXT:   launch %1, %2 {kernel = @hmean_k2}
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hmean_k0(%in0: bf16[6], %out0: f32[6]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %c6 (%0: i64) {
// CHECK-NEXT:     %1 = load %in0, %0 : bf16
// CHECK-NEXT:     %2 = cast %1 : f32
// CHECK-NEXT:     store %2, %out0, %0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hmean_k1(%in0: f32[6], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   %0 = constant {value = 0.16666666666666666} : f32
// CHECK-NEXT:   %1 = constant {value = 0.0} : f32
// CHECK-NEXT:   %2 = for %c0, %c6, %1 {combine = "add"} : f32 (%3: i64, %4: f32) {
// CHECK-NEXT:     %5 = load %in0, %3 : f32
// CHECK-NEXT:     %6 = add %4, %5 : f32
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   %7 = mul %2, %0 : f32
// CHECK-NEXT:   store %7, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hmean_k2(%in0: f32[], %out0: bf16[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = load %in0 : f32
// CHECK-NEXT:   %1 = cast %0 : bf16
// CHECK-NEXT:   store %1, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @hmean(%x: bf16[6]) -> (bf16[]) {
  %0 = mean %x : bf16[]
  return %0
}
// -----
// Negative: max/min are exact in any dtype and stay in bf16.
// CHECK-LABEL: func @hmax(%x: bf16[8]) -> (bf16[]) {
// CHECK-NEXT:   %0 = alloc : bf16[]
// CHECK-NEXT:   launch %x, %0 {kernel = @hmax_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hmax_k0(%in0: bf16[8], %out0: bf16[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %0 = constant {value = -inf} : bf16
// CHECK-NEXT:   %1 = for %c0, %c8, %0 {combine = "maximum"} : bf16 (%2: i64, %3: bf16) {
// CHECK-NEXT:     %4 = load %in0, %2 : bf16
// CHECK-NEXT:     %5 = maximum %3, %4 : bf16
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   store %1, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @hmax(%x: bf16[8]) -> (bf16[]) {
  %0 = max %x : bf16[]
  return %0
}
// -----
// A bf16 matmul multiplies in f32 (BLAS has no half gemm: the gemm
// verifier rejects half operands).
// CHECK-LABEL: func @hmm(%a: bf16[4,3], %b: bf16[3,5]) -> (bf16[4,5]) {
// CHECK-NEXT:   %0 = alloc : f32[4,3]
// CHECK-NEXT:   launch %a, %0 {kernel = @hmm_k0}
// CHECK-NEXT:   %1 = alloc : f32[3,5]
// CHECK-NEXT:   launch %b, %1 {kernel = @hmm_k1}
// CHECK-NEXT:   %2 = alloc : f32[4,5]
// CHECK-NEXT:   gemm %0, %1, %2
// CHECK-NEXT:   %3 = alloc : bf16[4,5]
// CHECK-NEXT:   launch %2, %3 {kernel = @hmm_k2}
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hmm_k0(%in0: bf16[4,3], %out0: f32[4,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     for %c0, %c3 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %0, %1 : bf16
// CHECK-NEXT:       %3 = cast %2 : f32
// CHECK-NEXT:       store %3, %out0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hmm_k1(%in0: bf16[3,5], %out0: f32[3,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%0: i64) {
// CHECK-NEXT:     for %c0, %c5 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %0, %1 : bf16
// CHECK-NEXT:       %3 = cast %2 : f32
// CHECK-NEXT:       store %3, %out0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @hmm_k2(%in0: f32[4,5], %out0: bf16[4,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     for %c0, %c5 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %0, %1 : f32
// CHECK-NEXT:       %3 = cast %2 : bf16
// CHECK-NEXT:       store %3, %out0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @hmm(%a: bf16[4,3], %b: bf16[3,5]) -> (bf16[4,5]) {
  %0 = matmul %a, %b : bf16[4,5]
  return %0
}
// -----
// Negative: f32 and f64 reductions are not widened.
// CHECK-LABEL: func @fsum(%x: f64[5]) -> (f64[]) {
// CHECK-NEXT:   %0 = alloc : f64[]
// CHECK-NEXT:   launch %x, %0 {kernel = @fsum_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @fsum_k0(%in0: f64[5], %out0: f64[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f64
// CHECK-NEXT:   %1 = for %c0, %c5, %0 {combine = "add"} : f64 (%2: i64, %3: f64) {
// CHECK-NEXT:     %4 = load %in0, %2 : f64
// CHECK-NEXT:     %5 = add %3, %4 : f64
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   store %1, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @fsum(%x: f64[5]) -> (f64[]) {
  %0 = sum %x : f64[]
  return %0
}
