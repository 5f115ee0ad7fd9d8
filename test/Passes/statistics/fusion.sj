// Statistics of the fusion passes on a row softmax after a matmul, with the
// default options and with options that stop all fusion. By hand:
// fuse-elementwise groups {sub, exp} (result %e, read by the sum and the
// div) and {div, log} (results %r, %l): 2 fused ops, 4 ops, 3 results.
// lower-to-loops: max, sum and the two fused ops become kernels, the matmul
// a gemm. loop-fusion merges the four launches (3 merges) into one row
// loop: %m, %s and the exp row are stored then loaded in the same
// iteration (3 forwarded), %m's and %s's buffers go (2 temporaries); the
// sub/exp loop merges into the sum's loop (1 inner merge).
// RUN: %symjit-opt %s --passes=fuse-elementwise,lower-to-loops,loop-fusion --pass-statistics 2>&1 >/dev/null | FileCheck %s
// CHECK:      fuse-elementwise
// CHECK-NEXT:   (S) 2 fused-ops-created - 'fused' ops built
// CHECK-NEXT:   (S) 4 ops-fused - tensor ops moved into a 'fused' op
// CHECK-NEXT:   (S) 3 fused-results - results of 'fused' ops (values used outside their group)
// CHECK-NEXT: lower-to-loops
// CHECK-NEXT:   (S) 4 kernels-created - kernels built (one launch each)
// CHECK-NEXT:   (S) 1 gemms-created - matmuls lowered to gemm
// CHECK-NEXT:   (S) 0 conv-gemms-created - f32/f64 convolutions lowered to conv_gemm
// CHECK-NEXT: loop-fusion
// CHECK-NEXT:   (S) 3 kernels-merged - pairs of launches merged into one kernel
// CHECK-NEXT:   (S) 1 inner-loops-merged - inner loops merged into the next one
// CHECK-NEXT:   (S) 3 loads-forwarded - loads replaced by the value stored before them
// CHECK-NEXT:   (S) 0 loads-rematerialized - loads replaced by recomputing the stored value
// CHECK-NEXT:   (S) 2 temporaries-removed - intermediate buffers removed with their stores
// CHECK-NOT:  {{.}}

// Options: groups of one op each (4 fused ops of 1 result), and kernels
// too small to merge any pair. Values wider than one digit are
// right-aligned within their pass.
// RUN: %symjit-opt %s --passes='fuse-elementwise{max-group-ops=1},lower-to-loops,loop-fusion{max-kernel-ops=1}' --pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=OPT
// OPT:      fuse-elementwise
// OPT-NEXT:   (S) 4 fused-ops-created - 'fused' ops built
// OPT-NEXT:   (S) 4 ops-fused - tensor ops moved into a 'fused' op
// OPT-NEXT:   (S) 4 fused-results - results of 'fused' ops (values used outside their group)
// OPT-NEXT: lower-to-loops
// OPT-NEXT:   (S) 6 kernels-created - kernels built (one launch each)
// OPT-NEXT:   (S) 1 gemms-created - matmuls lowered to gemm
// OPT-NEXT:   (S) 0 conv-gemms-created - f32/f64 convolutions lowered to conv_gemm
// OPT-NEXT: loop-fusion
// OPT-NEXT:   (S) 0 kernels-merged - pairs of launches merged into one kernel
// OPT-NEXT:   (S) 0 inner-loops-merged - inner loops merged into the next one
// OPT-NEXT:   (S) 0 loads-forwarded - loads replaced by the value stored before them
// OPT-NEXT:   (S) 0 loads-rematerialized - loads replaced by recomputing the stored value
// OPT-NEXT:   (S) 0 temporaries-removed - intermediate buffers removed with their stores
// OPT-NOT:  {{.}}

func @sm(%x: f32[?,10], %w: f32[10,10]) -> (f32[?,10], f32[?,10]) {
  %p = matmul %x, %w : f32[?,10]
  %m = max %p {axes = [1], keepdims = true} : f32[?,1]
  %d = sub %p, %m : f32[?,10]
  %e = exp %d : f32[?,10]
  %s = sum %e {axes = [1], keepdims = true} : f32[?,1]
  %r = div %e, %s : f32[?,10]
  %l = log %r : f32[?,10]
  return %r, %l
}
