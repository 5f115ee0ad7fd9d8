// Errors of the NVPTX target are symjit errors with a location and a
// non-zero status, never a crash or an exit from inside LLVM: a func-level
// op with no GPU implementation (a matmul: no GPU GEMM kernel yet), an
// unknown architecture, --emit-ptx without --target=nvptx.
// REQUIRES: nvptx
// RUN: not %symjit-opt %s -O --target=nvptx --emit-ptx 2>&1 | FileCheck %s --check-prefix=GEMM
// RUN: not %symjit-opt %s -O --target=nvptx --gpu-arch=sm_10 --emit-ptx 2>&1 | FileCheck %s --check-prefix=ARCH
// RUN: not %symjit-opt %s -O --target=nvptx --gpu-arch=sm_100 --emit-ptx 2>&1 | FileCheck %s --check-prefix=ARCH100
// RUN: not %symjit-opt %s -O --target=nvptx --gpu-arch=sm_60 --emit-ptx 2>&1 | FileCheck %s --check-prefix=ARCH60
// RUN: not %symjit-opt %s --emit-ptx 2>&1 | FileCheck %s --check-prefix=TARGET
// GEMM: errors.sj:[[@LINE+7]]:8: error: not supported on nvptx: 'gemm' (matmul) in @mm: no GPU GEMM kernel yet
// ARCH: error: codegen: unknown GPU architecture 'sm_10' (sm_70 .. sm_90a)
// ARCH100: error: codegen: unknown GPU architecture 'sm_100'
// ARCH60: error: codegen: unknown GPU architecture 'sm_60' (sm_70 .. sm_90a)
// TARGET: symjit-opt: error: --emit-ptx needs --target=nvptx
func @mm(%a: f32[4,3], %b: f32[3,5]) -> (f32[4,5]) {
  %x = exp %a : f32[4,3]
  %0 = matmul %x, %b : f32[4,5]
  return %0
}
