// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// A fused op becomes a kernel: parallel outer loop, broadcast loads (the
// bias has no row index), the cloned scalar body, one store per result; the
// func allocates the outputs from the input's dynamic dim and launches it.
// CHECK-LABEL: func @f(%x: f32[?,16], %b: f32[16]) -> (f32[?,16], f32[?,16]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,16]
// CHECK-NEXT:   %2 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,16]
// CHECK-NEXT:   launch %x, %b, %1, %3 {kernel = @f_k0}
// CHECK-NEXT:   return %1, %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @f_k0(%in0: f32[?,16], %in1: f32[16], %out0: f32[?,16], %out1: f32[?,16]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i64
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %2 = constant {value = 16} : i64
// CHECK-NEXT:   parallel_for %0, %1 (%3: i64) {
// CHECK-NEXT:     for %0, %2 (%4: i64) {
// CHECK-NEXT:       %5 = load %in0, %3, %4 : f32
// CHECK-NEXT:       %6 = load %in1, %4 : f32
// CHECK-NEXT:       %s = add %5, %6 : f32
// CHECK-NEXT:       %e = exp %s : f32
// CHECK-NEXT:       store %s, %out0, %3, %4
// CHECK-NEXT:       store %e, %out1, %3, %4
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @f(%x: f32[?,16], %b: f32[16]) -> (f32[?,16], f32[?,16]) {
  %0, %1 = fused %x, %b : f32[?,16], f32[?,16] (%p: f32, %q: f32) {
    %s = add %p, %q : f32
    %e = exp %s : f32
    yield %s, %e
  }
  return %0, %1
}
// -----
// A lone elementwise op (the unfused path) and a rank-0 operand; a static
// size-1 dim reads index 0 and gets no loop.
// CHECK-LABEL: func @g(%x: f32[4,1], %s: f32[]) -> (f32[4,1]) {
// CHECK-NEXT:   %0 = alloc : f32[4,1]
// CHECK-NEXT:   launch %x, %s, %0 {kernel = @g_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @g_k0(%in0: f32[4,1], %in1: f32[], %out0: f32[4,1]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i64
// CHECK-NEXT:   %1 = constant {value = 4} : i64
// CHECK-NEXT:   %2 = constant {value = 1} : i64
// CHECK-NEXT:   parallel_for %0, %1 (%3: i64) {
// CHECK-NEXT:     %4 = load %in0, %3, %0 : f32
// CHECK-NEXT:     %5 = load %in1 : f32
// CHECK-NEXT:     %6 = mul %4, %5 : f32
// CHECK-NEXT:     store %6, %out0, %3, %0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @g(%x: f32[4,1], %s: f32[]) -> (f32[4,1]) {
  %0 = mul %x, %s : f32[4,1]
  return %0
}
// -----
// transpose loads at permuted indices; matmul becomes alloc + gemm.
// CHECK-LABEL: func @t(%x: f32[?,3], %w: f32[3,5]) -> (f32[3,?], f32[?,5]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[3,?]
// CHECK-NEXT:   launch %x, %1 {kernel = @t_k0}
// CHECK-NEXT:   %2 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,5]
// CHECK-NEXT:   gemm %x, %w, %3
// CHECK-NEXT:   return %1, %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @t_k0(%in0: f32[?,3], %out0: f32[3,?]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i64
// CHECK-NEXT:   %1 = constant {value = 3} : i64
// CHECK-NEXT:   %2 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   parallel_for %0, %1 (%3: i64) {
// CHECK-NEXT:     for %0, %2 (%4: i64) {
// CHECK-NEXT:       %5 = load %in0, %4, %3 : f32
// CHECK-NEXT:       store %5, %out0, %3, %4
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @t(%x: f32[?,3], %w: f32[3,5]) -> (f32[3,?], f32[?,5]) {
  %0 = transpose %x {perm = [1, 0]} : f32[3,?]
  %1 = matmul %x, %w : f32[?,5]
  return %0, %1
}
