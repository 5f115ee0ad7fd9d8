// Errors of the NVPTX target are symjit errors with a location and a
// non-zero status, never a crash or an exit from inside LLVM: a kernel with
// more parameters than the GPU ABI takes (lowering never makes one; a
// hand-written kernel can), an unknown or too old architecture, --emit-ptx
// without --target=nvptx, no libdevice.
// REQUIRES: nvptx
// RUN: %python -c "print('kernel @wide(' + ', '.join(chr(37) + 'p' + str(i) + ': f32[2]' for i in range(65)) + ') {\n  return\n}')" > %t.sj
// RUN: not %symjit-opt %t.sj --target=nvptx --emit-ptx 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: not %symjit-opt %s -O --target=nvptx --gpu-arch=sm_10 --emit-ptx 2>&1 | FileCheck %s --check-prefix=ARCH
// RUN: not %symjit-opt %s -O --target=nvptx --gpu-arch=sm_100 --emit-ptx 2>&1 | FileCheck %s --check-prefix=ARCH100
// RUN: not %symjit-opt %s -O --target=nvptx --gpu-arch=sm_60 --emit-ptx 2>&1 | FileCheck %s --check-prefix=ARCH60
// RUN: not %symjit-opt %s --emit-ptx 2>&1 | FileCheck %s --check-prefix=TARGET
// libdevice is needed for exp (the func's `exp` becomes a kernel):
// RUN: env CUDA_HOME=/nonexistent not %symjit-opt %s -O --target=nvptx --emit-ptx 2>&1 | FileCheck %s --check-prefix=LIBDEVICE
// LIBDEVICE: error: codegen: cannot read libdevice '/nonexistent/nvvm/libdevice/libdevice.10.bc': No such file or directory (set CUDA_HOME)
// WIDE: errors.sj.tmp.sj:1:1: error: codegen: not supported on nvptx: kernel @wide has more than 64 parameters
// ARCH: error: codegen: unknown GPU architecture 'sm_10' (sm_70 .. sm_90a)
// ARCH100: error: codegen: unknown GPU architecture 'sm_100'
// ARCH60: error: codegen: unknown GPU architecture 'sm_60' (sm_70 .. sm_90a)
// TARGET: symjit-opt: error: --emit-ptx needs --target=nvptx
func @mm(%a: f32[4,3], %b: f32[3,5]) -> (f32[4,5]) {
  %x = exp %a : f32[4,3]
  %0 = matmul %x, %b : f32[4,5]
  return %0
}
