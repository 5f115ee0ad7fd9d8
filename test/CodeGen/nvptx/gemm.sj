// The GPU GEMM (nvptx_gemm.c; ABI in gpu_abi.h): one entry per dtype and
// transposition that the module's gemm ops need, each once. 16 x 16
// threads per 64 x 64 tile of C: A and B slices staged in shared memory
// (row pitch 65) between two barriers per K step of 16, 16 x 16 fma per
// thread and step, A and B read through the non-coherent cache (read-only,
// noalias), Z through the ordinary path (it may be C). f16 storage
// accumulates in f32 and rounds once per element.
// REQUIRES: nvptx
// RUN: %symjit-opt %s -O --target=nvptx --emit-ptx | FileCheck %s
// RUN: %symjit-opt %s -O --target=nvptx --emit-llvm | FileCheck %s --check-prefix=IR
// gemm ops are f32/f64 (a matmul of halves is an f32 gemm between casts);
// the runtime can ask for entries of f16/bf16 storage, as --gpu-gemm does:
// RUN: %symjit-opt --target=nvptx --gpu-gemm=f16,nt | FileCheck %s --check-prefix=F16
// RUN: %symjit-opt --target=nvptx --gpu-gemm=bf16,tt | FileCheck %s --check-prefix=BF16
// RUN: not %symjit-opt --target=nvptx --gpu-gemm=i32,nn 2>&1 | FileCheck %s --check-prefix=I32
// RUN: not %symjit-opt --target=nvptx --gpu-gemm=f32,nx 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK:      // gemm sjg_gemm_f32_nn: block 256, tile 64 x 64
// CHECK-NEXT: // gemm sjg_gemm_f32_tn: block 256, tile 64 x 64
// CHECK-NOT:  // gemm
// CHECK-LABEL: .visible .entry sjg_gemm_f32_nn(
// CHECK-COUNT-13: .param
// CHECK:      .reqntid 256, 1, 1
// CHECK:      .shared .align 16 .b8 sjg_gemm_f32_nn_$_as[4160];
// CHECK-NEXT: // demoted variable
// CHECK-NEXT: .shared .align 16 .b8 sjg_gemm_f32_nn_$_bs[4160];
// CHECK:      %ctaid.z
// CHECK:      st.shared.f32
// CHECK-NEXT: bar.sync 0;
// CHECK-COUNT-256: fma.rn.f32
// CHECK:      bar.sync 0;
// CHECK-DAG:  ld.global.nc.f32
// CHECK-DAG:  ld.global.f32
// CHECK-DAG:  st.global.f32
// CHECK-LABEL: .visible .entry sjg_gemm_f32_tn(

// F16-LABEL: .visible .entry sjg_gemm_f16_nt(
// F16-DAG:  cvt.rn.f16.f32
// F16-DAG:  st.global.b16
// F16-COUNT-256: fma.rn.f32
// F16:      ld.global.nc.u16
// F16-NEXT: cvt.f32.f16
// BF16-LABEL: .visible .entry sjg_gemm_bf16_tt(
// BF16:      st.global.u16
// BF16-COUNT-256: fma.rn.f32
// BF16:      ld.global.nc.u16
// I32: error: not supported on nvptx: a gemm of i32 (f16, bf16, f32 and f64 only)
// BAD: symjit-opt: error: --gpu-gemm=f32,nx: expected DTYPE,TT with TT one of nn nt tn tt

// IR-LABEL: define void @sjg_gemm_f32_nn(ptr addrspace(1) noalias nocapture readonly %0, ptr addrspace(1) noalias nocapture readonly %1, ptr addrspace(1) nocapture writeonly %2, ptr addrspace(1) nocapture readonly %3, i64 %4, i64 %5, i64 %6, i64 %7, i64 %8, i64 %9, i64 %10, double %11, double %12)
// (two matmuls of one kind share an entry; the transposed operand folds
// into trans_a; gemm-combine folds the sum into beta)
func @f(%a: f32[?,8], %b: f32[8,16], %c: f32[8,?]) -> (f32[?,16], f32[?,16]) {
  %0 = matmul %a, %b : f32[?,16]
  %e = exp %a : f32[?,8]
  %1 = matmul %e, %b : f32[?,16]
  %ct = transpose %c {perm = [1, 0]} : f32[?,8]
  %2 = matmul %ct, %b : f32[?,16]
  %s = add %1, %2 : f32[?,16]
  return %0, %s
}

