// RUN: %symjit-opt %s --passes=lower-to-loops{conv-runtime=0} --split-input-file | FileCheck %s
// RUN: %symjit-run %s --check --func fwd --shape x=3x2x5x5 | FileCheck %s --check-prefix=EXEC-FWD
// RUN: %symjit-run %s --conv-kernels --check --func fwd --shape x=3x2x5x5 | FileCheck %s --check-prefix=EXEC-FWD
// RUN: %symjit-run %s --check --func pad | FileCheck %s --check-prefix=EXEC-PAD
// RUN: %symjit-run %s --conv-kernels --check --func pad | FileCheck %s --check-prefix=EXEC-PAD
// RUN: %symjit-run %s --check --func dx | FileCheck %s --check-prefix=EXEC-DX
// RUN: %symjit-run %s --conv-kernels --check --func dx | FileCheck %s --check-prefix=EXEC-DX
// RUN: %symjit-run %s --check --func dw | FileCheck %s --check-prefix=EXEC-DW
// RUN: %symjit-run %s --conv-kernels --check --func dw | FileCheck %s --check-prefix=EXEC-DW
// RUN: %symjit-run %s --check --func dwdyn --shape x=3x1x3x3 --shape g=3x2x2x2 | FileCheck %s --check-prefix=EXEC-DWDYN
// RUN: %symjit-run %s --conv-kernels --check --func dwdyn --shape x=3x1x3x3 --shape g=3x2x2x2 | FileCheck %s --check-prefix=EXEC-DWDYN
// RUN: %symjit-run %s --check --func dxpad | FileCheck %s --check-prefix=EXEC-DXPAD
// RUN: %symjit-run %s --conv-kernels --check --func dxpad | FileCheck %s --check-prefix=EXEC-DXPAD
// RUN: %symjit-run %s --check --func dxdyn --shape g=3x2x2x2 --shape x=3x1x3x3 | FileCheck %s --check-prefix=EXEC-DXDYN
// RUN: %symjit-run %s --conv-kernels --check --func dxdyn --shape g=3x2x2x2 --shape x=3x1x3x3 | FileCheck %s --check-prefix=EXEC-DXDYN
// EXEC-DXDYN: check: @dxdyn passed
// EXEC-DXPAD: check: @dxpad passed
// EXEC-FWD: check: @fwd passed
// EXEC-PAD: check: @pad passed
// EXEC-DX: check: @dx passed
// EXEC-DW: check: @dw passed
// EXEC-DWDYN: check: @dwdyn passed
// lower-to-loops on the conv2d family (passes/lower-conv.c, docs/lowering.md).
// The forward conv with no padding: im2col into [N, G, Cg, KH, KW, OH, OW]
// (parallel over the batch; the window index is a clamp that never fires:
// no select, no zero constant), the filter viewed as [O, K], one gemm per
// image ([O, K] @ [K, OH*OW], batched over N by the executor), the result a
// view. The batch is `?`: one `dim` sizes both buffers.
// CHECK-LABEL: func @fwd(%x: f32[?,2,5,5], %w: f32[3,2,3,3]) -> (f32[?,3,3,3]) {
// CHECK-NEXT:   %0 = reshape %x : f32[?,1,2,5,5]
// CHECK-NEXT:   %1 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %2 = alloc %1 : f32[?,1,2,3,3,3,3]
// CHECK-NEXT:   launch %0, %2 {kernel = @fwd_k0}
// CHECK-NEXT:   %3 = reshape %2 : f32[?,18,9]
// CHECK-NEXT:   %4 = reshape %w : f32[3,18]
// CHECK-NEXT:   %5 = alloc %1 : f32[?,3,9]
// CHECK-NEXT:   gemm %4, %3, %5
// CHECK-NEXT:   %6 = reshape %5 : f32[?,3,3,3]
// CHECK-NEXT:   return %6
// CHECK-NEXT: }
// CHECK-LABEL: kernel @fwd_k0(%in0: f32[?,1,2,5,5], %out0: f32[?,1,2,3,3,3,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c2 (%2: i64) {
// CHECK-NEXT:       for %c0, %c3 (%3: i64) {
// CHECK-NEXT:         for %c0, %c3 (%4: i64) {
// CHECK-NEXT:           for %c0, %c3 (%5: i64) {
// CHECK-NEXT:             for %c0, %c3 (%6: i64) {
// CHECK-NEXT:               %7 = add %5, %3 : i64
// CHECK-NEXT:               %8 = clamp %7, %c5 : i64
// CHECK-NEXT:               %9 = add %6, %4 : i64
// CHECK-NEXT:               %10 = clamp %9, %c5 : i64
// CHECK-NEXT:               %11 = load %in0, %1, %c0, %2, %8, %10 : f32
// CHECK-NEXT:               store %11, %out0, %1, %c0, %2, %3, %4, %5, %6
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
func @fwd(%x: f32[?,2,5,5], %w: f32[3,2,3,3]) -> (f32[?,3,3,3]) {
  %0 = conv2d %x, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,3,3,3]
  return %0
}
// -----
// Padding (stride 2 rows, pad [1, 0, 0, 1]): first a copy of x into the
// zero-padded [N, G, Cg, H+1, W+1] (a select on the margin min(i, n-1-i)
// per axis, widened to f32 on the way), then im2col on it with no padding
// (its clamps never fire); groups 2 keep the group axis (gemm batched over
// [N, G] against the filter's [G, Og, K]); f16 is widened into the gemm's
// operands and rounded back by a last kernel.
// CHECK-LABEL: func @pad(%x: f16[2,4,4,3], %w: f16[4,2,2,2]) -> (f16[2,4,2,3]) {
// CHECK-NEXT:   %0 = reshape %x : f16[2,2,2,4,3]
// CHECK-NEXT:   %1 = alloc : f32[2,2,2,5,4]
// CHECK-NEXT:   launch %0, %1 {kernel = @pad_k0}
// CHECK-NEXT:   %2 = alloc : f32[2,2,2,2,2,2,3]
// CHECK-NEXT:   launch %1, %2 {kernel = @pad_k1}
// CHECK-NEXT:   %3 = reshape %2 : f32[2,2,8,6]
// CHECK-NEXT:   %4 = alloc : f32[4,2,2,2]
// CHECK-NEXT:   launch %w, %4 {kernel = @pad_k2}
// CHECK-NEXT:   %5 = reshape %4 : f32[2,2,8]
// CHECK-NEXT:   %6 = alloc : f32[2,2,2,6]
// CHECK-NEXT:   gemm %5, %3, %6
// CHECK-NEXT:   %7 = reshape %6 : f32[2,4,2,3]
// CHECK-NEXT:   %8 = alloc : f16[2,4,2,3]
// CHECK-NEXT:   launch %7, %8 {kernel = @pad_k3}
// CHECK-NEXT:   return %8
// CHECK-NEXT: }
// CHECK-LABEL: kernel @pad_k0(%in0: f16[2,2,2,4,3], %out0: f32[2,2,2,5,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%1: i64) {
// CHECK-NEXT:     for %c0, %c2 (%2: i64) {
// CHECK-NEXT:       for %c0, %c2 (%3: i64) {
// CHECK-NEXT:         for %c0, %c5 (%4: i64) {
// CHECK-NEXT:           for %c0, %c4 (%5: i64) {
// CHECK-NEXT:             %6 = sub %4, %c1 : i64
// CHECK-NEXT:             %7 = clamp %6, %c4 : i64
// CHECK-NEXT:             %8 = sub %c3, %6 : i64
// CHECK-NEXT:             %9 = minimum %6, %8 : i64
// CHECK-NEXT:             %10 = clamp %5, %c3 : i64
// CHECK-NEXT:             %11 = sub %c2, %5 : i64
// CHECK-NEXT:             %12 = minimum %5, %11 : i64
// CHECK-NEXT:             %13 = minimum %9, %12 : i64
// CHECK-NEXT:             %14 = load %in0, %1, %2, %3, %7, %10 : f16
// CHECK-NEXT:             %15 = cast %14 : f32
// CHECK-NEXT:             %16 = ge %13, %c0 : bool
// CHECK-NEXT:             %17 = select %16, %15, %0 : f32
// CHECK-NEXT:             store %17, %out0, %1, %2, %3, %4, %5
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
// CHECK-LABEL: kernel @pad_k1(%in0: f32[2,2,2,5,4], %out0: f32[2,2,2,2,2,2,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c2 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c2 (%3: i64) {
// CHECK-NEXT:           for %c0, %c2 (%4: i64) {
// CHECK-NEXT:             for %c0, %c2 (%5: i64) {
// CHECK-NEXT:               for %c0, %c3 (%6: i64) {
// CHECK-NEXT:                 %7 = mul %5, %c2 : i64
// CHECK-NEXT:                 %8 = add %7, %3 : i64
// CHECK-NEXT:                 %9 = clamp %8, %c5 : i64
// CHECK-NEXT:                 %10 = add %6, %4 : i64
// CHECK-NEXT:                 %11 = clamp %10, %c4 : i64
// CHECK-NEXT:                 %12 = load %in0, %0, %1, %2, %9, %11 : f32
// CHECK-NEXT:                 store %12, %out0, %0, %1, %2, %3, %4, %5, %6
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
// CHECK-LABEL: kernel @pad_k2(%in0: f16[4,2,2,2], %out0: f32[4,2,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     for %c0, %c2 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c2 (%3: i64) {
// CHECK-NEXT:           %4 = load %in0, %0, %1, %2, %3 : f16
// CHECK-NEXT:           %5 = cast %4 : f32
// CHECK-NEXT:           store %5, %out0, %0, %1, %2, %3
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
// CHECK-LABEL: kernel @pad_k3(%in0: f32[2,4,2,3], %out0: f16[2,4,2,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c3 (%3: i64) {
// CHECK-NEXT:           %4 = load %in0, %0, %1, %2, %3 : f32
// CHECK-NEXT:           %5 = cast %4 : f16
// CHECK-NEXT:           store %5, %out0, %0, %1, %2, %3
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
func @pad(%x: f16[2,4,4,3], %w: f16[4,2,2,2]) -> (f16[2,4,2,3]) {
  %0 = conv2d %x, %w {stride = [2, 1], pad = [1, 0, 0, 1], groups = 2} : f16[2,4,2,3]
  return %0
}
// -----
// The input gradient, static batch, groups 1, K = Cg*KH*KW = 128 rows: the filter transposed to
// [Cg, KH, KW, O] and g to [O, N, OH, OW] (copy kernels), one gemm
// [K, O] @ [O, N*P] (row panels in parallel), col2im zeroes dx then adds
// every column entry of [Cg, KH, KW, N, OH, OW] at its input position
// (parallel over Cg only, whose channels are disjoint: taps overlap).
// CHECK-LABEL: func @dx(%g: f32[2,2,2,2], %w: f32[2,8,4,4], %x: f32[2,8,5,5]) -> (f32[2,8,5,5]) {
// CHECK-NEXT:   %0 = reshape %w : f32[1,2,8,4,4]
// CHECK-NEXT:   %1 = alloc : f32[1,8,4,4,2]
// CHECK-NEXT:   launch %0, %1 {kernel = @dx_k0}
// CHECK-NEXT:   %2 = reshape %1 : f32[128,2]
// CHECK-NEXT:   %3 = alloc : f32[2,2,2,2]
// CHECK-NEXT:   launch %g, %3 {kernel = @dx_k1}
// CHECK-NEXT:   %4 = reshape %3 : f32[2,8]
// CHECK-NEXT:   %5 = alloc : f32[1,8,4,4,2,2,2]
// CHECK-NEXT:   %6 = reshape %5 : f32[128,8]
// CHECK-NEXT:   gemm %2, %4, %6
// CHECK-NEXT:   %7 = alloc : f32[2,1,8,5,5]
// CHECK-NEXT:   launch %5, %7 {kernel = @dx_k2}
// CHECK-NEXT:   %8 = reshape %7 : f32[2,8,5,5]
// CHECK-NEXT:   return %8
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dx_k0(%in0: f32[1,2,8,4,4], %out0: f32[1,8,4,4,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%1: i64) {
// CHECK-NEXT:       for %c0, %c4 (%2: i64) {
// CHECK-NEXT:         for %c0, %c2 (%3: i64) {
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
// CHECK-LABEL: kernel @dx_k1(%in0: f32[2,2,2,2], %out0: f32[2,2,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c2 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c2 (%3: i64) {
// CHECK-NEXT:           %4 = load %in0, %1, %0, %2, %3 : f32
// CHECK-NEXT:           store %4, %out0, %0, %1, %2, %3
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
// CHECK-LABEL: kernel @dx_k2(%in0: f32[1,8,4,4,2,2,2], %out0: f32[2,1,8,5,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%1: i64) {
// CHECK-NEXT:     for %c0, %c8 (%2: i64) {
// CHECK-NEXT:       for %c0, %c5 (%3: i64) {
// CHECK-NEXT:         for %c0, %c5 (%4: i64) {
// CHECK-NEXT:           store %0, %out0, %1, %c0, %2, %3, %4
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%5: i64) {
// CHECK-NEXT:     for %c0, %c4 (%6: i64) {
// CHECK-NEXT:       for %c0, %c4 (%7: i64) {
// CHECK-NEXT:         for %c0, %c2 (%8: i64) {
// CHECK-NEXT:           for %c0, %c2 (%9: i64) {
// CHECK-NEXT:             for %c0, %c2 (%10: i64) {
// CHECK-NEXT:               %11 = add %9, %6 : i64
// CHECK-NEXT:               %12 = clamp %11, %c5 : i64
// CHECK-NEXT:               %13 = add %10, %7 : i64
// CHECK-NEXT:               %14 = clamp %13, %c5 : i64
// CHECK-NEXT:               %15 = load %in0, %c0, %5, %6, %7, %8, %9, %10 : f32
// CHECK-NEXT:               %16 = load %out0, %8, %c0, %5, %12, %14 : f32
// CHECK-NEXT:               %17 = add %16, %15 : f32
// CHECK-NEXT:               store %17, %out0, %8, %c0, %5, %12, %14
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
func @dx(%g: f32[2,2,2,2], %w: f32[2,8,4,4], %x: f32[2,8,5,5]) -> (f32[2,8,5,5]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,8,5,5]
  return %0
}
// -----
// The filter gradient, static batch of 2 and a small O*K: one chunk per
// image: im2col [S, Nc, OH, OW, Cg, KH, KW] with n = s*Nc + nc (a clamp
// codegen drops), g used as it is ([N, O, P]), one gemm per image, and a
// kernel summing the [N, O, K] partial results (a reduction loop).
// CHECK-LABEL: func @dw(%x: f32[2,1,3,3], %g: f32[2,2,2,2], %w: f32[2,1,2,2]) -> (f32[2,1,2,2]) {
// CHECK-NEXT:   %0 = reshape %x : f32[2,1,1,3,3]
// CHECK-NEXT:   %1 = alloc : f32[2,1,2,2,1,2,2]
// CHECK-NEXT:   launch %0, %1 {kernel = @dw_k0}
// CHECK-NEXT:   %2 = reshape %1 : f32[2,4,4]
// CHECK-NEXT:   %3 = reshape %g : f32[2,2,4]
// CHECK-NEXT:   %4 = alloc : f32[2,2,4]
// CHECK-NEXT:   gemm %3, %2, %4
// CHECK-NEXT:   %5 = alloc : f32[2,4]
// CHECK-NEXT:   launch %4, %5 {kernel = @dw_k1}
// CHECK-NEXT:   %6 = reshape %5 : f32[2,1,2,2]
// CHECK-NEXT:   return %6
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dw_k0(%in0: f32[2,1,1,3,3], %out0: f32[2,1,2,2,1,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c2 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c2 (%3: i64) {
// CHECK-NEXT:           for %c0, %c2 (%4: i64) {
// CHECK-NEXT:             %5 = add %1, %3 : i64
// CHECK-NEXT:             %6 = clamp %5, %c3 : i64
// CHECK-NEXT:             %7 = add %2, %4 : i64
// CHECK-NEXT:             %8 = clamp %7, %c3 : i64
// CHECK-NEXT:             %9 = load %in0, %0, %c0, %c0, %6, %8 : f32
// CHECK-NEXT:             store %9, %out0, %0, %c0, %1, %2, %c0, %3, %4
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
// CHECK-LABEL: kernel @dw_k1(%in0: f32[2,2,4], %out0: f32[2,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   parallel_for %c0, %c2 (%1: i64) {
// CHECK-NEXT:     for %c0, %c4 (%2: i64) {
// CHECK-NEXT:       %3 = for %c0, %c2, %0 {combine = "add"} : f32 (%4: i64, %5: f32) {
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
func @dw(%x: f32[2,1,3,3], %g: f32[2,2,2,2], %w: f32[2,1,2,2]) -> (f32[2,1,2,2]) {
  %0 = conv2d_filter_grad %x, %g, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,1,2,2]
  return %0
}
// -----
// A dynamic batch with small partials (O*K = 8): one gemm per image on g
// as it is, batched over the `?` batch, and the [N, O, K] partials summed
// (a reduction loop over N). Groups > 1 keep one gemm over the whole batch:
// @groups of test/Run/conv2d.sj; O*K > 4096: conv-dyn-batch.sj.
// CHECK-LABEL: func @dwdyn(%x: f32[?,1,3,3], %g: f32[?,2,2,2], %w: f32[2,1,2,2]) -> (f32[2,1,2,2]) {
// CHECK-NEXT:   %0 = reshape %x : f32[?,1,1,3,3]
// CHECK-NEXT:   %1 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %2 = alloc %1 : f32[?,1,2,2,1,2,2]
// CHECK-NEXT:   launch %0, %2 {kernel = @dwdyn_k0}
// CHECK-NEXT:   %3 = reshape %2 : f32[?,4,4]
// CHECK-NEXT:   %4 = reshape %g : f32[?,2,4]
// CHECK-NEXT:   %5 = alloc %1 : f32[?,2,4]
// CHECK-NEXT:   gemm %4, %3, %5
// CHECK-NEXT:   %6 = alloc : f32[2,4]
// CHECK-NEXT:   launch %5, %6 {kernel = @dwdyn_k1}
// CHECK-NEXT:   %7 = reshape %6 : f32[2,1,2,2]
// CHECK-NEXT:   return %7
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dwdyn_k0(%in0: f32[?,1,1,3,3], %out0: f32[?,1,2,2,1,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c2 (%2: i64) {
// CHECK-NEXT:       for %c0, %c2 (%3: i64) {
// CHECK-NEXT:         for %c0, %c2 (%4: i64) {
// CHECK-NEXT:           for %c0, %c2 (%5: i64) {
// CHECK-NEXT:             %6 = add %2, %4 : i64
// CHECK-NEXT:             %7 = clamp %6, %c3 : i64
// CHECK-NEXT:             %8 = add %3, %5 : i64
// CHECK-NEXT:             %9 = clamp %8, %c3 : i64
// CHECK-NEXT:             %10 = load %in0, %1, %c0, %c0, %7, %9 : f32
// CHECK-NEXT:             store %10, %out0, %1, %c0, %2, %3, %c0, %4, %5
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
// CHECK-LABEL: kernel @dwdyn_k1(%in0: f32[?,2,4], %out0: f32[2,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %1 = constant {value = 0.0} : f32
// CHECK-NEXT:   parallel_for %c0, %c2 (%2: i64) {
// CHECK-NEXT:     for %c0, %c4 (%3: i64) {
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
func @dwdyn(%x: f32[?,1,3,3], %g: f32[?,2,2,2], %w: f32[2,1,2,2]) -> (f32[2,1,2,2]) {
  %0 = conv2d_filter_grad %x, %g, %w {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,1,2,2]
  return %0
}
// -----
// The input gradient with padding 1: col2im into the padded
// [N, G, Cg, H+2, W+2] with no padding, then a crop copy reading it at
// (h + 1, w + 1) (clamps that never fire).
// CHECK-LABEL: func @dxpad(%g: f32[1,1,3,3], %w: f32[1,1,3,3], %x: f32[1,1,3,3]) -> (f32[1,1,3,3]) {
// CHECK-NEXT:   %0 = reshape %w : f32[1,1,1,3,3]
// CHECK-NEXT:   %1 = alloc : f32[1,1,3,3,1]
// CHECK-NEXT:   launch %0, %1 {kernel = @dxpad_k0}
// CHECK-NEXT:   %2 = reshape %1 : f32[9,1]
// CHECK-NEXT:   %3 = reshape %g : f32[1,1,9]
// CHECK-NEXT:   %4 = alloc : f32[1,9,9]
// CHECK-NEXT:   gemm %2, %3, %4
// CHECK-NEXT:   %5 = reshape %4 : f32[1,1,1,3,3,3,3]
// CHECK-NEXT:   %6 = alloc : f32[1,1,1,5,5]
// CHECK-NEXT:   launch %5, %6 {kernel = @dxpad_k1}
// CHECK-NEXT:   %7 = alloc : f32[1,1,1,3,3]
// CHECK-NEXT:   launch %6, %7 {kernel = @dxpad_k2}
// CHECK-NEXT:   %8 = reshape %7 : f32[1,1,3,3]
// CHECK-NEXT:   return %8
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dxpad_k0(%in0: f32[1,1,1,3,3], %out0: f32[1,1,3,3,1]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%0: i64) {
// CHECK-NEXT:     for %c0, %c3 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %c0, %c0, %c0, %0, %1 : f32
// CHECK-NEXT:       store %2, %out0, %c0, %c0, %0, %1, %c0
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dxpad_k1(%in0: f32[1,1,1,3,3,3,3], %out0: f32[1,1,1,5,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %c5 (%1: i64) {
// CHECK-NEXT:     for %c0, %c5 (%2: i64) {
// CHECK-NEXT:       store %0, %out0, %c0, %c0, %c0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   for %c0, %c3 (%3: i64) {
// CHECK-NEXT:     for %c0, %c3 (%4: i64) {
// CHECK-NEXT:       for %c0, %c3 (%5: i64) {
// CHECK-NEXT:         for %c0, %c3 (%6: i64) {
// CHECK-NEXT:           %7 = add %5, %3 : i64
// CHECK-NEXT:           %8 = clamp %7, %c5 : i64
// CHECK-NEXT:           %9 = add %6, %4 : i64
// CHECK-NEXT:           %10 = clamp %9, %c5 : i64
// CHECK-NEXT:           %11 = load %in0, %c0, %c0, %c0, %3, %4, %5, %6 : f32
// CHECK-NEXT:           %12 = load %out0, %c0, %c0, %c0, %8, %10 : f32
// CHECK-NEXT:           %13 = add %12, %11 : f32
// CHECK-NEXT:           store %13, %out0, %c0, %c0, %c0, %8, %10
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
// CHECK-LABEL: kernel @dxpad_k2(%in0: f32[1,1,1,5,5], %out0: f32[1,1,1,3,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%0: i64) {
// CHECK-NEXT:     for %c0, %c3 (%1: i64) {
// CHECK-NEXT:       %2 = add %0, %c1 : i64
// CHECK-NEXT:       %3 = clamp %2, %c5 : i64
// CHECK-NEXT:       %4 = add %1, %c1 : i64
// CHECK-NEXT:       %5 = clamp %4, %c5 : i64
// CHECK-NEXT:       %6 = load %in0, %c0, %c0, %c0, %3, %5 : f32
// CHECK-NEXT:       store %6, %out0, %c0, %c0, %c0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dxpad(%g: f32[1,1,3,3], %w: f32[1,1,3,3], %x: f32[1,1,3,3]) -> (f32[1,1,3,3]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [1, 1, 1, 1]} : f32[1,1,3,3]
  return %0
}
// -----
// Negative: K < 128 (also @dxpad above) keeps one gemm per image ([K, O] @ [O, P],
// batched over N; g read as it is) and col2im over [N, 1, Cg, KH, KW, OH,
// OW], parallel over N.
// CHECK-LABEL: func @dxdyn(%g: f32[?,2,2,2], %w: f32[2,1,2,2], %x: f32[?,1,3,3]) -> (f32[?,1,3,3]) {
// CHECK-NEXT:   %0 = reshape %w : f32[1,2,1,2,2]
// CHECK-NEXT:   %1 = alloc : f32[1,1,2,2,2]
// CHECK-NEXT:   launch %0, %1 {kernel = @dxdyn_k0}
// CHECK-NEXT:   %2 = reshape %1 : f32[4,2]
// CHECK-NEXT:   %3 = reshape %g : f32[?,2,4]
// CHECK-NEXT:   %4 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %5 = alloc %4 : f32[?,4,4]
// CHECK-NEXT:   gemm %2, %3, %5
// CHECK-NEXT:   %6 = reshape %5 : f32[?,1,1,2,2,2,2]
// CHECK-NEXT:   %7 = alloc %4 : f32[?,1,1,3,3]
// CHECK-NEXT:   launch %6, %7 {kernel = @dxdyn_k1}
// CHECK-NEXT:   %8 = reshape %7 : f32[?,1,3,3]
// CHECK-NEXT:   return %8
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dxdyn_k0(%in0: f32[1,2,1,2,2], %out0: f32[1,1,2,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c2 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         %3 = load %in0, %c0, %2, %c0, %0, %1 : f32
// CHECK-NEXT:         store %3, %out0, %c0, %c0, %0, %1, %2
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dxdyn_k1(%in0: f32[?,1,1,2,2,2,2], %out0: f32[?,1,1,3,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%2: i64) {
// CHECK-NEXT:     for %c0, %c3 (%3: i64) {
// CHECK-NEXT:       for %c0, %c3 (%4: i64) {
// CHECK-NEXT:         store %0, %out0, %2, %c0, %c0, %3, %4
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   %5 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %5 (%6: i64) {
// CHECK-NEXT:     for %c0, %c2 (%7: i64) {
// CHECK-NEXT:       for %c0, %c2 (%8: i64) {
// CHECK-NEXT:         for %c0, %c2 (%9: i64) {
// CHECK-NEXT:           for %c0, %c2 (%10: i64) {
// CHECK-NEXT:             %11 = add %9, %7 : i64
// CHECK-NEXT:             %12 = clamp %11, %c3 : i64
// CHECK-NEXT:             %13 = add %10, %8 : i64
// CHECK-NEXT:             %14 = clamp %13, %c3 : i64
// CHECK-NEXT:             %15 = load %in0, %6, %c0, %c0, %7, %8, %9, %10 : f32
// CHECK-NEXT:             %16 = load %out0, %6, %c0, %c0, %12, %14 : f32
// CHECK-NEXT:             %17 = add %16, %15 : f32
// CHECK-NEXT:             store %17, %out0, %6, %c0, %c0, %12, %14
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
func @dxdyn(%g: f32[?,2,2,2], %w: f32[2,1,2,2], %x: f32[?,1,3,3]) -> (f32[?,1,3,3]) {
  %0 = conv2d_input_grad %g, %w, %x {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[?,1,3,3]
  return %0
}
