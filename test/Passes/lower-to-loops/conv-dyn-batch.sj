// RUN: %symjit-opt %s --passes=lower-to-loops{conv-runtime=0} --split-input-file | FileCheck %s
// RUN: %symjit-run %s --check --func dwoh --shape x=3x33x9x11 --shape g=3x32x8x5 | FileCheck %s --check-prefix=EXEC-DWOH
// RUN: %symjit-run %s --conv-kernels --check --func dwoh --shape x=3x33x9x11 --shape g=3x32x8x5 | FileCheck %s --check-prefix=EXEC-DWOH
// RUN: %symjit-run %s --check --func dwoh --shape x=0x33x9x11 --shape g=0x32x8x5 | FileCheck %s --check-prefix=EXEC-DWOH
// RUN: %symjit-run %s --conv-kernels --check --func dwoh --shape x=0x33x9x11 --shape g=0x32x8x5 | FileCheck %s --check-prefix=EXEC-DWOH
// RUN: %symjit-run %s --check --func dwohpad --shape x=2x33x8x7 --shape g=2x32x8x4 | FileCheck %s --check-prefix=EXEC-DWOHPAD
// RUN: %symjit-run %s --conv-kernels --check --func dwohpad --shape x=2x33x8x7 --shape g=2x32x8x4 | FileCheck %s --check-prefix=EXEC-DWOHPAD
// RUN: %symjit-run %s --check --func dwodd --shape x=2x33x4x4 --shape g=2x32x3x3 | FileCheck %s --check-prefix=EXEC-DWODD
// RUN: %symjit-run %s --conv-kernels --check --func dwodd --shape x=2x33x4x4 --shape g=2x32x3x3 | FileCheck %s --check-prefix=EXEC-DWODD
// RUN: %symjit-run %s --check --func dwimg --shape x=3x2x6x5 --shape g=3x4x3x5 | FileCheck %s --check-prefix=EXEC-DWIMG
// RUN: %symjit-run %s --conv-kernels --check --func dwimg --shape x=3x2x6x5 --shape g=3x4x3x5 | FileCheck %s --check-prefix=EXEC-DWIMG
// RUN: %symjit-run %s --check --func dwimg --shape x=0x2x6x5 --shape g=0x4x3x5 | FileCheck %s --check-prefix=EXEC-DWIMG
// RUN: %symjit-run %s --conv-kernels --check --func dwimg --shape x=0x2x6x5 --shape g=0x4x3x5 | FileCheck %s --check-prefix=EXEC-DWIMG
// RUN: %symjit-run %s --check --func dxbig --shape g=3x4x4x4 --shape x=3x33x5x5 | FileCheck %s --check-prefix=EXEC-DXBIG
// RUN: %symjit-run %s --conv-kernels --check --func dxbig --shape g=3x4x4x4 --shape x=3x33x5x5 | FileCheck %s --check-prefix=EXEC-DXBIG
// RUN: %symjit-run %s --check --func dxbig --shape g=0x4x4x4 --shape x=0x33x5x5 | FileCheck %s --check-prefix=EXEC-DXBIG
// RUN: %symjit-run %s --conv-kernels --check --func dxbig --shape g=0x4x4x4 --shape x=0x33x5x5 | FileCheck %s --check-prefix=EXEC-DXBIG
// RUN: %symjit-run %s --check --func dxbigpad --shape g=2x4x4x2 --shape x=2x33x6x5 | FileCheck %s --check-prefix=EXEC-DXBIGPAD
// RUN: %symjit-run %s --conv-kernels --check --func dxbigpad --shape g=2x4x4x2 --shape x=2x33x6x5 | FileCheck %s --check-prefix=EXEC-DXBIGPAD
//
// The conv2d gradients with a dynamic batch (the LeNet step's: its batch is
// `?`) take the same parallel forms as with a static one
// (docs/decisions/0028-conv-dynamic-batch.md).
// EXEC-DWOH: check: @dwoh passed
// EXEC-DWOHPAD: check: @dwohpad passed
// EXEC-DWODD: check: @dwodd passed
// EXEC-DWIMG: check: @dwimg passed
// EXEC-DXBIG: check: @dxbig passed
// EXEC-DXBIGPAD: check: @dxbigpad passed
//
// The filter gradient, O*K = 32*132 > 4096 (partials too large for one per
// image) and a `?` batch: the contraction (n, oh, ow) is split over the
// output rows into S = 4 chunks of OHc = 2 rows (oh = s*2 + ohc); g is
// copied to [S, O, N, OHc, OW]; four gemms [O, N*OHc*OW] @ [N*OHc*OW, K]
// (batched over S, parallel), their [S, O, K] results summed.
// CHECK-LABEL: func @dwoh(%x: f32[?,33,9,11], %g: f32[?,32,8,5], %w: f32[32,33,2,2]) -> (f32[32,33,2,2]) {
// CHECK-NEXT:   %0 = reshape %x : f32[?,1,33,9,11]
// CHECK-NEXT:   %1 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %2 = alloc %1 : f32[4,?,2,5,33,2,2]
// CHECK-NEXT:   launch %0, %2 {kernel = @dwoh_k0}
// CHECK-NEXT:   %3 = reshape %2 : f32[4,?,132]
// CHECK-NEXT:   %4 = reshape %g : f32[?,32,4,2,5]
// CHECK-NEXT:   %5 = alloc %1 : f32[4,32,?,2,5]
// CHECK-NEXT:   launch %4, %5 {kernel = @dwoh_k1}
// CHECK-NEXT:   %6 = reshape %5 : f32[4,32,?]
// CHECK-NEXT:   %7 = alloc : f32[4,32,132]
// CHECK-NEXT:   gemm %6, %3, %7
// CHECK-NEXT:   %8 = alloc : f32[32,132]
// CHECK-NEXT:   launch %7, %8 {kernel = @dwoh_k2}
// CHECK-NEXT:   %9 = reshape %8 : f32[32,33,2,2]
// CHECK-NEXT:   return %9
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dwoh_k0(%in0: f32[?,1,33,9,11], %out0: f32[4,?,2,5,33,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c9 = constant {value = 9} : i64
// CHECK-NEXT:   %c11 = constant {value = 11} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%1: i64) {
// CHECK-NEXT:     for %c0, %0 (%2: i64) {
// CHECK-NEXT:       for %c0, %c2 (%3: i64) {
// CHECK-NEXT:         for %c0, %c5 (%4: i64) {
// CHECK-NEXT:           for %c0, %c33 (%5: i64) {
// CHECK-NEXT:             for %c0, %c2 (%6: i64) {
// CHECK-NEXT:               for %c0, %c2 (%7: i64) {
// CHECK-NEXT:                 %8 = mul %1, %c2 : i64
// CHECK-NEXT:                 %9 = add %8, %3 : i64
// CHECK-NEXT:                 %10 = add %9, %6 : i64
// CHECK-NEXT:                 %11 = clamp %10, %c9 : i64
// CHECK-NEXT:                 %12 = mul %4, %c2 : i64
// CHECK-NEXT:                 %13 = add %12, %7 : i64
// CHECK-NEXT:                 %14 = clamp %13, %c11 : i64
// CHECK-NEXT:                 %15 = load %in0, %2, %c0, %5, %11, %14 : f32
// CHECK-NEXT:                 store %15, %out0, %1, %2, %3, %4, %5, %6, %7
// CHECK-NEXT:                 yield
// CHECK-NEXT:               }
// CHECK-NEXT:               yield
// CHECK-NEXT:             }
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
// CHECK-LABEL: kernel @dwoh_k1(%in0: f32[?,32,4,2,5], %out0: f32[4,32,?,2,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c32 = constant {value = 32} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 2} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%1: i64) {
// CHECK-NEXT:     for %c0, %c32 (%2: i64) {
// CHECK-NEXT:       for %c0, %0 (%3: i64) {
// CHECK-NEXT:         for %c0, %c2 (%4: i64) {
// CHECK-NEXT:           for %c0, %c5 (%5: i64) {
// CHECK-NEXT:             %6 = load %in0, %3, %2, %1, %4, %5 : f32
// CHECK-NEXT:             store %6, %out0, %1, %2, %3, %4, %5
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
// CHECK-LABEL: kernel @dwoh_k2(%in0: f32[4,32,132], %out0: f32[32,132]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c32 = constant {value = 32} : i64
// CHECK-NEXT:   %c132 = constant {value = 132} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   parallel_for %c0, %c32 (%1: i64) {
// CHECK-NEXT:     for %c0, %c132 (%2: i64) {
// CHECK-NEXT:       %3 = for %c0, %c4, %0 {combine = "add"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:         %6 = load %in0, %4, %1, %2 : f32
// CHECK-NEXT:         %7 = add %5, %6 : f32
// CHECK-NEXT:         yield %7
// CHECK-NEXT:       }
// CHECK-NEXT:       store %3, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dwoh(%x: f32[?,33,9,11], %g: f32[?,32,8,5], %w: f32[32,33,2,2]) -> (f32[32,33,2,2]) {
  %0 = conv2d_filter_grad %x, %g, %w {stride = [1, 2], pad = [0, 0, 0, 0]} : f32[32,33,2,2]
  return %0
}
// -----
// The same with padding (a padded copy first) and a dilation, OH = 8.
// CHECK-LABEL: func @dwohpad(%x: f32[?,33,8,7], %g: f32[?,32,8,4], %w: f32[32,33,2,2]) -> (f32[32,33,2,2]) {
// CHECK-NEXT:   %0 = reshape %x : f32[?,1,33,8,7]
// CHECK-NEXT:   %1 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %2 = alloc %1 : f32[?,1,33,10,8]
// CHECK-NEXT:   launch %0, %2 {kernel = @dwohpad_k0}
// CHECK-NEXT:   %3 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %4 = alloc %3 : f32[4,?,2,4,33,2,2]
// CHECK-NEXT:   launch %2, %4 {kernel = @dwohpad_k1}
// CHECK-NEXT:   %5 = reshape %4 : f32[4,?,132]
// CHECK-NEXT:   %6 = reshape %g : f32[?,32,4,2,4]
// CHECK-NEXT:   %7 = alloc %1 : f32[4,32,?,2,4]
// CHECK-NEXT:   launch %6, %7 {kernel = @dwohpad_k2}
// CHECK-NEXT:   %8 = reshape %7 : f32[4,32,?]
// CHECK-NEXT:   %9 = alloc : f32[4,32,132]
// CHECK-NEXT:   gemm %8, %5, %9
// CHECK-NEXT:   %10 = alloc : f32[32,132]
// CHECK-NEXT:   launch %9, %10 {kernel = @dwohpad_k3}
// CHECK-NEXT:   %11 = reshape %10 : f32[32,33,2,2]
// CHECK-NEXT:   return %11
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dwohpad_k0(%in0: f32[?,1,33,8,7], %out0: f32[?,1,33,10,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %c7 = constant {value = 7} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%2: i64) {
// CHECK-NEXT:     for %c0, %c33 (%3: i64) {
// CHECK-NEXT:       for %c0, %c10 (%4: i64) {
// CHECK-NEXT:         for %c0, %c8 (%5: i64) {
// CHECK-NEXT:           %6 = sub %4, %c1 : i64
// CHECK-NEXT:           %7 = clamp %6, %c8 : i64
// CHECK-NEXT:           %8 = sub %c7, %6 : i64
// CHECK-NEXT:           %9 = minimum %6, %8 : i64
// CHECK-NEXT:           %10 = clamp %5, %c7 : i64
// CHECK-NEXT:           %11 = sub %c6, %5 : i64
// CHECK-NEXT:           %12 = minimum %5, %11 : i64
// CHECK-NEXT:           %13 = minimum %9, %12 : i64
// CHECK-NEXT:           %14 = load %in0, %2, %c0, %3, %7, %10 : f32
// CHECK-NEXT:           %15 = ge %13, %c0 : bool
// CHECK-NEXT:           %16 = select %15, %14, %0 : f32
// CHECK-NEXT:           store %16, %out0, %2, %c0, %3, %4, %5
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
// CHECK-LABEL: kernel @dwohpad_k1(%in0: f32[?,1,33,10,8], %out0: f32[4,?,2,4,33,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%1: i64) {
// CHECK-NEXT:     for %c0, %0 (%2: i64) {
// CHECK-NEXT:       for %c0, %c2 (%3: i64) {
// CHECK-NEXT:         for %c0, %c4 (%4: i64) {
// CHECK-NEXT:           for %c0, %c33 (%5: i64) {
// CHECK-NEXT:             for %c0, %c2 (%6: i64) {
// CHECK-NEXT:               for %c0, %c2 (%7: i64) {
// CHECK-NEXT:                 %8 = mul %1, %c2 : i64
// CHECK-NEXT:                 %9 = add %8, %3 : i64
// CHECK-NEXT:                 %10 = mul %6, %c2 : i64
// CHECK-NEXT:                 %11 = add %9, %10 : i64
// CHECK-NEXT:                 %12 = clamp %11, %c10 : i64
// CHECK-NEXT:                 %13 = mul %4, %c2 : i64
// CHECK-NEXT:                 %14 = add %13, %7 : i64
// CHECK-NEXT:                 %15 = clamp %14, %c8 : i64
// CHECK-NEXT:                 %16 = load %in0, %2, %c0, %5, %12, %15 : f32
// CHECK-NEXT:                 store %16, %out0, %1, %2, %3, %4, %5, %6, %7
// CHECK-NEXT:                 yield
// CHECK-NEXT:               }
// CHECK-NEXT:               yield
// CHECK-NEXT:             }
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
// CHECK-LABEL: kernel @dwohpad_k2(%in0: f32[?,32,4,2,4], %out0: f32[4,32,?,2,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c32 = constant {value = 32} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 2} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%1: i64) {
// CHECK-NEXT:     for %c0, %c32 (%2: i64) {
// CHECK-NEXT:       for %c0, %0 (%3: i64) {
// CHECK-NEXT:         for %c0, %c2 (%4: i64) {
// CHECK-NEXT:           for %c0, %c4 (%5: i64) {
// CHECK-NEXT:             %6 = load %in0, %3, %2, %1, %4, %5 : f32
// CHECK-NEXT:             store %6, %out0, %1, %2, %3, %4, %5
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
// CHECK-LABEL: kernel @dwohpad_k3(%in0: f32[4,32,132], %out0: f32[32,132]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c32 = constant {value = 32} : i64
// CHECK-NEXT:   %c132 = constant {value = 132} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   parallel_for %c0, %c32 (%1: i64) {
// CHECK-NEXT:     for %c0, %c132 (%2: i64) {
// CHECK-NEXT:       %3 = for %c0, %c4, %0 {combine = "add"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:         %6 = load %in0, %4, %1, %2 : f32
// CHECK-NEXT:         %7 = add %5, %6 : f32
// CHECK-NEXT:         yield %7
// CHECK-NEXT:       }
// CHECK-NEXT:       store %3, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dwohpad(%x: f32[?,33,8,7], %g: f32[?,32,8,4], %w: f32[32,33,2,2]) -> (f32[32,33,2,2]) {
  %0 = conv2d_filter_grad %x, %g, %w {stride = [1, 2], pad = [1, 1, 0, 1], dilation = [2, 1]} : f32[32,33,2,2]
  return %0
}
// -----
// Negative: OH = 3 is divisible by neither 4 nor 2: one gemm over the
// whole batch (g transposed to [O, N*P]).
// CHECK-LABEL: func @dwodd(%x: f32[?,33,4,4], %g: f32[?,32,3,3], %w: f32[32,33,2,2]) -> (f32[32,33,2,2]) {
// CHECK-NEXT:   %0 = reshape %x : f32[?,1,33,4,4]
// CHECK-NEXT:   %1 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %2 = alloc %1 : f32[1,?,3,3,33,2,2]
// CHECK-NEXT:   launch %0, %2 {kernel = @dwodd_k0}
// CHECK-NEXT:   %3 = reshape %2 : f32[?,132]
// CHECK-NEXT:   %4 = reshape %g : f32[?,1,32,3,3]
// CHECK-NEXT:   %5 = alloc %1 : f32[1,32,?,3,3]
// CHECK-NEXT:   launch %4, %5 {kernel = @dwodd_k1}
// CHECK-NEXT:   %6 = reshape %5 : f32[32,?]
// CHECK-NEXT:   %7 = alloc : f32[32,132]
// CHECK-NEXT:   gemm %6, %3, %7
// CHECK-NEXT:   %8 = reshape %7 : f32[32,33,2,2]
// CHECK-NEXT:   return %8
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dwodd_k0(%in0: f32[?,1,33,4,4], %out0: f32[1,?,3,3,33,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c3 (%2: i64) {
// CHECK-NEXT:       for %c0, %c3 (%3: i64) {
// CHECK-NEXT:         for %c0, %c33 (%4: i64) {
// CHECK-NEXT:           for %c0, %c2 (%5: i64) {
// CHECK-NEXT:             for %c0, %c2 (%6: i64) {
// CHECK-NEXT:               %7 = add %2, %5 : i64
// CHECK-NEXT:               %8 = clamp %7, %c4 : i64
// CHECK-NEXT:               %9 = add %3, %6 : i64
// CHECK-NEXT:               %10 = clamp %9, %c4 : i64
// CHECK-NEXT:               %11 = load %in0, %1, %c0, %4, %8, %10 : f32
// CHECK-NEXT:               store %11, %out0, %c0, %1, %2, %3, %4, %5, %6
// CHECK-NEXT:               yield
// CHECK-NEXT:             }
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
// CHECK-LABEL: kernel @dwodd_k1(%in0: f32[?,1,32,3,3], %out0: f32[1,32,?,3,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c32 = constant {value = 32} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c32 (%1: i64) {
// CHECK-NEXT:     for %c0, %0 (%2: i64) {
// CHECK-NEXT:       for %c0, %c3 (%3: i64) {
// CHECK-NEXT:         for %c0, %c3 (%4: i64) {
// CHECK-NEXT:           %5 = load %in0, %2, %c0, %1, %3, %4 : f32
// CHECK-NEXT:           store %5, %out0, %c0, %1, %2, %3, %4
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
func @dwodd(%x: f32[?,33,4,4], %g: f32[?,32,3,3], %w: f32[32,33,2,2]) -> (f32[32,33,2,2]) {
  %0 = conv2d_filter_grad %x, %g, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[32,33,2,2]
  return %0
}
// -----
// Small O*K (4*8) and a `?` batch: one gemm per image on g as it is
// ([N, O, P] @ [N, P, K], parallel over N), the [N, O, K] partials summed.
// CHECK-LABEL: func @dwimg(%x: f32[?,2,6,5], %g: f32[?,4,3,5], %w: f32[4,2,2,2]) -> (f32[4,2,2,2]) {
// CHECK-NEXT:   %0 = reshape %x : f32[?,1,2,6,5]
// CHECK-NEXT:   %1 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %2 = alloc %1 : f32[?,1,2,6,6]
// CHECK-NEXT:   launch %0, %2 {kernel = @dwimg_k0}
// CHECK-NEXT:   %3 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %4 = alloc %3 : f32[?,1,3,5,2,2,2]
// CHECK-NEXT:   launch %2, %4 {kernel = @dwimg_k1}
// CHECK-NEXT:   %5 = reshape %4 : f32[?,15,8]
// CHECK-NEXT:   %6 = reshape %g : f32[?,4,15]
// CHECK-NEXT:   %7 = alloc %1 : f32[?,4,8]
// CHECK-NEXT:   gemm %6, %5, %7
// CHECK-NEXT:   %8 = alloc : f32[4,8]
// CHECK-NEXT:   launch %7, %8 {kernel = @dwimg_k2}
// CHECK-NEXT:   %9 = reshape %8 : f32[4,2,2,2]
// CHECK-NEXT:   return %9
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dwimg_k0(%in0: f32[?,1,2,6,5], %out0: f32[?,1,2,6,6]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%2: i64) {
// CHECK-NEXT:     for %c0, %c2 (%3: i64) {
// CHECK-NEXT:       for %c0, %c6 (%4: i64) {
// CHECK-NEXT:         for %c0, %c6 (%5: i64) {
// CHECK-NEXT:           %6 = clamp %4, %c6 : i64
// CHECK-NEXT:           %7 = sub %c5, %4 : i64
// CHECK-NEXT:           %8 = minimum %4, %7 : i64
// CHECK-NEXT:           %9 = clamp %5, %c5 : i64
// CHECK-NEXT:           %10 = sub %c4, %5 : i64
// CHECK-NEXT:           %11 = minimum %5, %10 : i64
// CHECK-NEXT:           %12 = minimum %8, %11 : i64
// CHECK-NEXT:           %13 = load %in0, %2, %c0, %3, %6, %9 : f32
// CHECK-NEXT:           %14 = ge %12, %c0 : bool
// CHECK-NEXT:           %15 = select %14, %13, %0 : f32
// CHECK-NEXT:           store %15, %out0, %2, %c0, %3, %4, %5
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
// CHECK-LABEL: kernel @dwimg_k1(%in0: f32[?,1,2,6,6], %out0: f32[?,1,3,5,2,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c3 (%2: i64) {
// CHECK-NEXT:       for %c0, %c5 (%3: i64) {
// CHECK-NEXT:         for %c0, %c2 (%4: i64) {
// CHECK-NEXT:           for %c0, %c2 (%5: i64) {
// CHECK-NEXT:             for %c0, %c2 (%6: i64) {
// CHECK-NEXT:               %7 = mul %2, %c2 : i64
// CHECK-NEXT:               %8 = add %7, %5 : i64
// CHECK-NEXT:               %9 = clamp %8, %c6 : i64
// CHECK-NEXT:               %10 = add %3, %6 : i64
// CHECK-NEXT:               %11 = clamp %10, %c6 : i64
// CHECK-NEXT:               %12 = load %in0, %1, %c0, %4, %9, %11 : f32
// CHECK-NEXT:               store %12, %out0, %1, %c0, %2, %3, %4, %5, %6
// CHECK-NEXT:               yield
// CHECK-NEXT:             }
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
// CHECK-LABEL: kernel @dwimg_k2(%in0: f32[?,4,8], %out0: f32[4,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %1 = constant {value = 0.0} : f32
// CHECK-NEXT:   parallel_for %c0, %c4 (%2: i64) {
// CHECK-NEXT:     for %c0, %c8 (%3: i64) {
// CHECK-NEXT:       %4 = for %c0, %0, %1 {combine = "add"} : f32 (%5: i64, %6: f32) {
// CHECK-NEXT:         %7 = load %in0, %5, %2, %3 : f32
// CHECK-NEXT:         %8 = add %6, %7 : f32
// CHECK-NEXT:         yield %8
// CHECK-NEXT:       }
// CHECK-NEXT:       store %4, %out0, %2, %3
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dwimg(%x: f32[?,2,6,5], %g: f32[?,4,3,5], %w: f32[4,2,2,2]) -> (f32[4,2,2,2]) {
  %0 = conv2d_filter_grad %x, %g, %w {stride = [2, 1], pad = [0, 0, 0, 1]} : f32[4,2,2,2]
  return %0
}
// -----
// The input gradient, K = 33*2*2 >= 128 and a `?` batch: one gemm
// [K, O] @ [O, N*P] on g copied to [O, N, OH, OW]; its result is allocated
// as the col2im layout [G, Cg, KH, KW, N, OH, OW] (whose `?` is N) and
// viewed as [K, N*P] for the gemm.
// CHECK-LABEL: func @dxbig(%g: f32[?,4,4,4], %w: f32[4,33,2,2], %x: f32[?,33,5,5]) -> (f32[?,33,5,5]) {
// CHECK-NEXT:   %0 = reshape %w : f32[1,4,33,2,2]
// CHECK-NEXT:   %1 = alloc : f32[1,33,2,2,4]
// CHECK-NEXT:   launch %0, %1 {kernel = @dxbig_k0}
// CHECK-NEXT:   %2 = reshape %1 : f32[132,4]
// CHECK-NEXT:   %3 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %4 = alloc %3 : f32[4,?,4,4]
// CHECK-NEXT:   launch %g, %4 {kernel = @dxbig_k1}
// CHECK-NEXT:   %5 = reshape %4 : f32[4,?]
// CHECK-NEXT:   %6 = alloc %3 : f32[1,33,2,2,?,4,4]
// CHECK-NEXT:   %7 = reshape %6 : f32[132,?]
// CHECK-NEXT:   gemm %2, %5, %7
// CHECK-NEXT:   %8 = alloc %3 : f32[?,1,33,5,5]
// CHECK-NEXT:   launch %6, %8 {kernel = @dxbig_k2}
// CHECK-NEXT:   %9 = reshape %8 : f32[?,33,5,5]
// CHECK-NEXT:   return %9
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dxbig_k0(%in0: f32[1,4,33,2,2], %out0: f32[1,33,2,2,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c33 (%0: i64) {
// CHECK-NEXT:     for %c0, %c2 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c4 (%3: i64) {
// CHECK-NEXT:           %4 = load %in0, %c0, %3, %0, %1, %2 : f32
// CHECK-NEXT:           store %4, %out0, %c0, %0, %1, %2, %3
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
// CHECK-LABEL: kernel @dxbig_k1(%in0: f32[?,4,4,4], %out0: f32[4,?,4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%1: i64) {
// CHECK-NEXT:     for %c0, %0 (%2: i64) {
// CHECK-NEXT:       for %c0, %c4 (%3: i64) {
// CHECK-NEXT:         for %c0, %c4 (%4: i64) {
// CHECK-NEXT:           %5 = load %in0, %2, %1, %3, %4 : f32
// CHECK-NEXT:           store %5, %out0, %1, %2, %3, %4
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
// CHECK-LABEL: kernel @dxbig_k2(%in0: f32[1,33,2,2,?,4,4], %out0: f32[?,1,33,5,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%2: i64) {
// CHECK-NEXT:     for %c0, %c33 (%3: i64) {
// CHECK-NEXT:       for %c0, %c5 (%4: i64) {
// CHECK-NEXT:         for %c0, %c5 (%5: i64) {
// CHECK-NEXT:           store %0, %out0, %2, %c0, %3, %4, %5
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %6 = dim %in0 {axis = 4} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c33 (%7: i64) {
// CHECK-NEXT:     for %c0, %c2 (%8: i64) {
// CHECK-NEXT:       for %c0, %c2 (%9: i64) {
// CHECK-NEXT:         for %c0, %6 (%10: i64) {
// CHECK-NEXT:           for %c0, %c4 (%11: i64) {
// CHECK-NEXT:             for %c0, %c4 (%12: i64) {
// CHECK-NEXT:               %13 = add %11, %8 : i64
// CHECK-NEXT:               %14 = clamp %13, %c5 : i64
// CHECK-NEXT:               %15 = add %12, %9 : i64
// CHECK-NEXT:               %16 = clamp %15, %c5 : i64
// CHECK-NEXT:               %17 = load %in0, %c0, %7, %8, %9, %10, %11, %12 : f32
// CHECK-NEXT:               %18 = load %out0, %10, %c0, %7, %14, %16 : f32
// CHECK-NEXT:               %19 = add %18, %17 : f32
// CHECK-NEXT:               store %19, %out0, %10, %c0, %7, %14, %16
// CHECK-NEXT:               yield
// CHECK-NEXT:             }
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
func @dxbig(%g: f32[?,4,4,4], %w: f32[4,33,2,2], %x: f32[?,33,5,5]) -> (f32[?,33,5,5]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,33,5,5]
  return %0
}
// -----
// The same with stride, padding and dilation.
// CHECK-LABEL: func @dxbigpad(%g: f32[?,4,4,2], %w: f32[4,33,2,2], %x: f32[?,33,6,5]) -> (f32[?,33,6,5]) {
// CHECK-NEXT:   %0 = reshape %w : f32[1,4,33,2,2]
// CHECK-NEXT:   %1 = alloc : f32[1,33,2,2,4]
// CHECK-NEXT:   launch %0, %1 {kernel = @dxbigpad_k0}
// CHECK-NEXT:   %2 = reshape %1 : f32[132,4]
// CHECK-NEXT:   %3 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %4 = alloc %3 : f32[4,?,4,2]
// CHECK-NEXT:   launch %g, %4 {kernel = @dxbigpad_k1}
// CHECK-NEXT:   %5 = reshape %4 : f32[4,?]
// CHECK-NEXT:   %6 = alloc %3 : f32[1,33,2,2,?,4,2]
// CHECK-NEXT:   %7 = reshape %6 : f32[132,?]
// CHECK-NEXT:   gemm %2, %5, %7
// CHECK-NEXT:   %8 = alloc %3 : f32[?,1,33,8,6]
// CHECK-NEXT:   launch %6, %8 {kernel = @dxbigpad_k2}
// CHECK-NEXT:   %9 = alloc %3 : f32[?,1,33,6,5]
// CHECK-NEXT:   launch %8, %9 {kernel = @dxbigpad_k3}
// CHECK-NEXT:   %10 = reshape %9 : f32[?,33,6,5]
// CHECK-NEXT:   return %10
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dxbigpad_k0(%in0: f32[1,4,33,2,2], %out0: f32[1,33,2,2,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c33 (%0: i64) {
// CHECK-NEXT:     for %c0, %c2 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c4 (%3: i64) {
// CHECK-NEXT:           %4 = load %in0, %c0, %3, %0, %1, %2 : f32
// CHECK-NEXT:           store %4, %out0, %c0, %0, %1, %2, %3
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
// CHECK-LABEL: kernel @dxbigpad_k1(%in0: f32[?,4,4,2], %out0: f32[4,?,4,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%1: i64) {
// CHECK-NEXT:     for %c0, %0 (%2: i64) {
// CHECK-NEXT:       for %c0, %c4 (%3: i64) {
// CHECK-NEXT:         for %c0, %c2 (%4: i64) {
// CHECK-NEXT:           %5 = load %in0, %2, %1, %3, %4 : f32
// CHECK-NEXT:           store %5, %out0, %1, %2, %3, %4
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
// CHECK-LABEL: kernel @dxbigpad_k2(%in0: f32[1,33,2,2,?,4,2], %out0: f32[?,1,33,8,6]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%2: i64) {
// CHECK-NEXT:     for %c0, %c33 (%3: i64) {
// CHECK-NEXT:       for %c0, %c8 (%4: i64) {
// CHECK-NEXT:         for %c0, %c6 (%5: i64) {
// CHECK-NEXT:           store %0, %out0, %2, %c0, %3, %4, %5
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %6 = dim %in0 {axis = 4} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c33 (%7: i64) {
// CHECK-NEXT:     for %c0, %c2 (%8: i64) {
// CHECK-NEXT:       for %c0, %c2 (%9: i64) {
// CHECK-NEXT:         for %c0, %6 (%10: i64) {
// CHECK-NEXT:           for %c0, %c4 (%11: i64) {
// CHECK-NEXT:             for %c0, %c2 (%12: i64) {
// CHECK-NEXT:               %13 = mul %11, %c2 : i64
// CHECK-NEXT:               %14 = add %13, %8 : i64
// CHECK-NEXT:               %15 = clamp %14, %c8 : i64
// CHECK-NEXT:               %16 = mul %12, %c2 : i64
// CHECK-NEXT:               %17 = mul %9, %c2 : i64
// CHECK-NEXT:               %18 = add %16, %17 : i64
// CHECK-NEXT:               %19 = clamp %18, %c6 : i64
// CHECK-NEXT:               %20 = load %in0, %c0, %7, %8, %9, %10, %11, %12 : f32
// CHECK-NEXT:               %21 = load %out0, %10, %c0, %7, %15, %19 : f32
// CHECK-NEXT:               %22 = add %21, %20 : f32
// CHECK-NEXT:               store %22, %out0, %10, %c0, %7, %15, %19
// CHECK-NEXT:               yield
// CHECK-NEXT:             }
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
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
// CHECK-LABEL: kernel @dxbigpad_k3(%in0: f32[?,1,33,8,6], %out0: f32[?,1,33,6,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c33 = constant {value = 33} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c33 (%2: i64) {
// CHECK-NEXT:       for %c0, %c6 (%3: i64) {
// CHECK-NEXT:         for %c0, %c5 (%4: i64) {
// CHECK-NEXT:           %5 = add %3, %c1 : i64
// CHECK-NEXT:           %6 = clamp %5, %c8 : i64
// CHECK-NEXT:           %7 = add %4, %c1 : i64
// CHECK-NEXT:           %8 = clamp %7, %c6 : i64
// CHECK-NEXT:           %9 = load %in0, %1, %c0, %2, %6, %8 : f32
// CHECK-NEXT:           store %9, %out0, %1, %c0, %2, %3, %4
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
func @dxbigpad(%g: f32[?,4,4,2], %w: f32[4,33,2,2], %x: f32[?,33,6,5]) -> (f32[?,33,6,5]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [2, 2], pad = [1, 1, 1, 0], dilation = [1, 2]} : f32[?,33,6,5]
  return %0
}
