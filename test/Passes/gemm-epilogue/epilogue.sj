// RUN: %symjit-opt %s --passes=gemm-combine,fuse-elementwise,lower-to-loops,loop-fusion,gemm-epilogue --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=gemm-combine,fuse-elementwise,lower-to-loops,loop-fusion,gemm-epilogue --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// RUN: %symjit-run %s --check --func dense | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func rowscale --shape x=100x30 --shape r=100x1 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func rowscale --shape x=0x30 --shape r=0x1 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func trans | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func acc | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func two_out | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func rowsum --shape x=70x9 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func batched --shape x=5x4x3 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func batched --shape x=1x4x3 | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func batched --shape x=0x4x3 | FileCheck %s --check-prefix=EXEC
// EXEC: check: @{{[a-z_]+}} passed
// relu(X @ W + b): the bias+relu kernel becomes the gemm's epilogue; its
// row parameters get a dynamic dim 0 and the loop runs to the slice's rows.
// CHECK-LABEL: func @dense(%x: f32[64,30], %w: f32[30,20], %b: f32[20]) -> (f32[64,20]) {
// CHECK-NEXT:   %0 = alloc : f32[64,20]
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %1 = alloc : f32[64,20]
// CHECK-NEXT:   gemm %x, %w, %0, %0, %b, %1 {epilogue = @dense_k0, epilogue_rows = [0, 2]}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dense_k0(%in0: f32[?,20], %in1: f32[20], %out0: f32[?,20]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c20 = constant {value = 20} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c20 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %2 : f32
// CHECK-NEXT:       %5 = add %3, %4 : f32
// CHECK-NEXT:       %6 = constant {value = 0.0} : f32
// CHECK-NEXT:       %7 = maximum %5, %6 : f32
// CHECK-NEXT:       store %7, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dense(%x: f32[64,30], %w: f32[30,20], %b: f32[20]) -> (f32[64,20]) {
  %0 = matmul %x, %w : f32[64,20]
  %1 = add %0, %b : f32[64,20]
  %z = constant {value = 0.0} : f32[]
  %2 = maximum %1, %z : f32[64,20]
  return %2
}
// -----
// Dynamic rows, a per-row column [?,1] (sliced too) and tanh.
// CHECK-LABEL: func @rowscale(%x: f32[?,30], %w: f32[30,20], %r: f32[?,1]) -> (f32[?,20]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,20]
// CHECK-NEXT:   %2 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,20]
// CHECK-NEXT:   gemm %x, %w, %1, %1, %r, %3 {epilogue = @rowscale_k0, epilogue_rows = [0, 1, 2]}
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @rowscale_k0(%in0: f32[?,20], %in1: f32[?,1], %out0: f32[?,20]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c20 = constant {value = 20} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c20 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %1, %c0 : f32
// CHECK-NEXT:       %5 = tanh %3 : f32
// CHECK-NEXT:       %6 = mul %5, %4 : f32
// CHECK-NEXT:       store %6, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @rowscale(%x: f32[?,30], %w: f32[30,20], %r: f32[?,1]) -> (f32[?,20]) {
  %0 = matmul %x, %w : f32[?,20]
  %1 = tanh %0 : f32[?,20]
  %2 = mul %1, %r : f32[?,20]
  return %2
}
// -----
// Transposed operands keep their flags.
// CHECK-LABEL: func @trans(%x: f64[30,40], %w: f64[20,30], %b: f64[20]) -> (f64[40,20]) {
// CHECK-NEXT:   %0 = alloc : f64[40,20]
// CHECK-NEXT:   %1 = alloc : f64[40,20]
// CHECK-NEXT:   gemm %x, %w, %0, %0, %b, %1 {epilogue = @trans_k0, epilogue_rows = [0, 2], trans_a = true, trans_b = true}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @trans_k0(%in0: f64[?,20], %in1: f64[20], %out0: f64[?,20]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c20 = constant {value = 20} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c20 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f64
// CHECK-NEXT:       %4 = load %in1, %2 : f64
// CHECK-NEXT:       %5 = add %3, %4 : f64
// CHECK-NEXT:       %6 = sigmoid %5 : f64
// CHECK-NEXT:       store %6, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @trans(%x: f64[30,40], %w: f64[20,30], %b: f64[20]) -> (f64[40,20]) {
  %t = transpose %x {perm = [1, 0]} : f64[40,30]
  %u = transpose %w {perm = [1, 0]} : f64[30,20]
  %0 = matmul %t, %u : f64[40,20]
  %1 = add %0, %b : f64[40,20]
  %2 = sigmoid %1 : f64[40,20]
  return %2
}
// -----
// An accumulating gemm (two products, in place) with an epilogue: z comes
// before the epilogue's arguments.
// CHECK-LABEL: func @acc(%a: f32[33,8], %b: f32[8,16], %c: f32[33,4], %d: f32[4,16], %bias: f32[16]) -> (f32[33,16]) {
// CHECK-NEXT:   %0 = alloc : f32[33,16]
// CHECK-NEXT:   gemm %c, %d, %0
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %1 = alloc : f32[33,16]
// CHECK-NEXT:   gemm %a, %b, %0, %0, %0, %bias, %1 {alpha = 1.0, beta = 1.0, epilogue = @acc_k0, epilogue_rows = [0, 2]}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @acc_k0(%in0: f32[?,16], %in1: f32[16], %out0: f32[?,16]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c16 = constant {value = 16} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c16 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %2 : f32
// CHECK-NEXT:       %5 = add %3, %4 : f32
// CHECK-NEXT:       %6 = constant {value = 0.0} : f32
// CHECK-NEXT:       %7 = maximum %5, %6 : f32
// CHECK-NEXT:       store %7, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @acc(%a: f32[33,8], %b: f32[8,16], %c: f32[33,4], %d: f32[4,16], %bias: f32[16]) -> (f32[33,16]) {
  %0 = matmul %a, %b : f32[33,16]
  %1 = matmul %c, %d : f32[33,16]
  %2 = add %0, %1 : f32[33,16]
  %3 = add %2, %bias : f32[33,16]
  %z = constant {value = 0.0} : f32[]
  %4 = maximum %3, %z : f32[33,16]
  return %4
}
// -----
// An epilogue with two row outputs (the pre-activation is returned too).
// CHECK-LABEL: func @two_out(%x: f32[50,10], %w: f32[10,12], %b: f32[12]) -> (f32[50,12], f32[50,12]) {
// CHECK-NEXT:   %0 = alloc : f32[50,12]
// CHECK-NEXT:   %1 = alloc : f32[50,12]
// CHECK-NEXT:   %2 = alloc : f32[50,12]
// CHECK-NEXT:   gemm %x, %w, %0, %0, %b, %1, %2 {epilogue = @two_out_k0, epilogue_rows = [0, 2, 3]}
// CHECK-NEXT:   return %1, %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @two_out_k0(%in0: f32[?,12], %in1: f32[12], %out0: f32[?,12], %out1: f32[?,12]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c12 = constant {value = 12} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c12 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %2 : f32
// CHECK-NEXT:       %5 = add %3, %4 : f32
// CHECK-NEXT:       %6 = tanh %5 : f32
// CHECK-NEXT:       store %5, %out0, %1, %2
// CHECK-NEXT:       store %6, %out1, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @two_out(%x: f32[50,10], %w: f32[10,12], %b: f32[12]) -> (f32[50,12], f32[50,12]) {
  %0 = matmul %x, %w : f32[50,12]
  %1 = add %0, %b : f32[50,12]
  %2 = tanh %1 : f32[50,12]
  return %1, %2
}
// -----
// A row-wise reduction reads and writes row i only: it is an epilogue too.
// CHECK-LABEL: func @rowsum(%x: f32[?,9], %w: f32[9,7]) -> (f32[?]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,7]
// CHECK-NEXT:   %2 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?]
// CHECK-NEXT:   gemm %x, %w, %1, %1, %3 {epilogue = @rowsum_k0, epilogue_rows = [0, 1]}
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @rowsum_k0(%in0: f32[?,7], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c7 = constant {value = 7} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = 0.0} : f32
// CHECK-NEXT:     %3 = for %c0, %c7, %2 {combine = "add"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = add %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     store %3, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @rowsum(%x: f32[?,9], %w: f32[9,7]) -> (f32[?]) {
  %0 = matmul %x, %w : f32[?,7]
  %1 = sum %0 {axes = [1]} : f32[?]
  return %1
}
// -----
// A gemm batched over dim 0 (rank 3) whose output the kernel reads through
// a view with the same rows ([?, 4, 6] as [?, 4, 2, 3]): the kernel becomes
// the epilogue, run per row of dim 0 (one batch) after that batch's BLAS
// call.
// CHECK-LABEL: func @batched(%x: f32[?,4,3], %w: f32[3,6], %b: f32[4,1,1]) -> (f32[?,4,2,3]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,4,6]
// CHECK-NEXT:   %2 = reshape %1 : f32[?,4,2,3]
// CHECK-NEXT:   %3 = dim %2 {axis = 0} : i64
// CHECK-NEXT:   %4 = alloc %3 : f32[?,4,2,3]
// CHECK-NEXT:   gemm %x, %w, %1, %2, %b, %4 {epilogue = @batched_k0, epilogue_rows = [0, 2]}
// CHECK-NEXT:   return %4
// CHECK-NEXT: }
// CHECK-LABEL: kernel @batched_k0(%in0: f32[?,4,2,3], %in1: f32[4,1,1], %out0: f32[?,4,2,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c4 (%2: i64) {
// CHECK-NEXT:       for %c0, %c2 (%3: i64) {
// CHECK-NEXT:         for %c0, %c3 (%4: i64) {
// CHECK-NEXT:           %5 = load %in0, %1, %2, %3, %4 : f32
// CHECK-NEXT:           %6 = load %in1, %2, %c0, %c0 : f32
// CHECK-NEXT:           %7 = add %5, %6 : f32
// CHECK-NEXT:           %8 = tanh %7 : f32
// CHECK-NEXT:           store %8, %out0, %1, %2, %3, %4
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @batched(%x: f32[?,4,3], %w: f32[3,6], %b: f32[4,1,1]) -> (f32[?,4,2,3]) {
  %0 = matmul %x, %w : f32[?,4,6]
  %1 = reshape %0 : f32[?,4,2,3]
  %2 = add %1, %b : f32[?,4,2,3]
  %3 = tanh %2 : f32[?,4,2,3]
  return %3
}
