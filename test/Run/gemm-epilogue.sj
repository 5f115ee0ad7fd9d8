// A gemm epilogue computes what the separate kernel computed, bit for bit:
// the same BLAS panels, then the same kernel code on each panel's rows
// instead of over the whole output. Compared on the saved outputs of the
// -O pipeline and of the same pipeline without gemm-epilogue, at sizes with
// one row, 16-row panel edges, several panels on the pool, and no rows;
// --check also holds both against the reference evaluator.
// RUN: rm -rf %t && mkdir -p %t/fused %t/plain
// RUN: %symjit-run %s --func mlp --shape x=1000x70 --shape r=1000x1 --save %t/fused > /dev/null
// RUN: %symjit-run %s --func mlp --shape x=1000x70 --shape r=1000x1 --save %t/plain --passes=canonicalize,cse,constant-fold,canonicalize,dce,gemm-combine,fuse-elementwise,lower-to-loops,loop-fusion,cse,dce > /dev/null
// RUN: cmp %t/fused/mlp_out0.npy %t/plain/mlp_out0.npy && cmp %t/fused/mlp_out1.npy %t/plain/mlp_out1.npy
// RUN: %symjit-run %s --func mlp --shape x=1x70 --shape r=1x1 --save %t/fused > /dev/null
// RUN: %symjit-run %s --func mlp --shape x=1x70 --shape r=1x1 --save %t/plain --passes=canonicalize,cse,constant-fold,canonicalize,dce,gemm-combine,fuse-elementwise,lower-to-loops,loop-fusion,cse,dce > /dev/null
// RUN: cmp %t/fused/mlp_out0.npy %t/plain/mlp_out0.npy && cmp %t/fused/mlp_out1.npy %t/plain/mlp_out1.npy
// RUN: %symjit-run %s --func dense64 --shape x=47x300 --shape w=300x40 --save %t/fused > /dev/null
// RUN: %symjit-run %s --func dense64 --shape x=47x300 --shape w=300x40 --save %t/plain --passes=canonicalize,cse,constant-fold,canonicalize,dce,gemm-combine,fuse-elementwise,lower-to-loops,loop-fusion,cse,dce > /dev/null
// RUN: cmp %t/fused/dense64_out0.npy %t/plain/dense64_out0.npy
// RUN: %symjit-opt %s -O | FileCheck %s --check-prefix=IR
// RUN: %symjit-run %s --check --func mlp --shape x=1000x70 --shape r=1000x1 | FileCheck %s
// RUN: %symjit-run %s --check --func mlp --shape x=17x70 --shape r=17x1 | FileCheck %s
// RUN: %symjit-run %s --check --func mlp --shape x=0x70 --shape r=0x1 | FileCheck %s
// RUN: %symjit-run %s --check --func dense64 --shape x=47x300 --shape w=300x40 | FileCheck %s
// RUN: %symjit-run %s --check --func dense64 --shape x=47x0 --shape w=0x40 | FileCheck %s
// RUN: %symjit-run %s --check --func dense64 --range -1e6,1e6 --shape x=33x300 --shape w=300x40 | FileCheck %s
// Bias, tanh and a per-row scale on the output, which is also returned
// before the activation: two row outputs of one epilogue.
// IR: gemm %x, %w, %{{[0-9]+}}, %{{[0-9]+}}, %b, %r, %{{[0-9]+}}, %{{[0-9]+}} {epilogue = @mlp_k0, epilogue_rows = [0, 2, 3, 4]}
// IR: gemm %x, %w, %{{[0-9]+}}, %{{[0-9]+}}, %b, %{{[0-9]+}} {epilogue = @dense64_k0, epilogue_rows = [0, 2]}
// CHECK: check: @{{[a-z0-9]+}} passed
func @mlp(%x: f32[?,70], %w: f32[70,50], %b: f32[50], %r: f32[?,1]) -> (f32[?,50], f32[?,50]) {
  %0 = matmul %x, %w : f32[?,50]
  %1 = add %0, %b : f32[?,50]
  %2 = tanh %1 : f32[?,50]
  %3 = mul %2, %r : f32[?,50]
  return %1, %3
}
// f64 with the relu spelled as a select (NaN-preserving comparisons).
func @dense64(%x: f64[?,?], %w: f64[?,40], %b: f64[40]) -> (f64[?,40]) {
  %0 = matmul %x, %w : f64[?,40]
  %1 = add %0, %b : f64[?,40]
  %z = constant {value = 0.0} : f64[]
  %c = gt %1, %z : bool[?,40]
  %2 = select %c, %1, %z : f64[?,40]
  return %2
}
