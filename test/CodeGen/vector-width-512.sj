// On an AVX-512 core without the 512-bit clock penalty (lib/codegen/target.c)
// every kernel function asks for 512-bit vectors, overriding LLVM's 256-bit
// tuning of Intel AVX-512 cores: the row reduction and the inline f32 exp
// run on 16 lanes, with no call in the loop.
// REQUIRES: prefer512
// RUN: %symjit-opt %s --emit-llvm | FileCheck %s

// CHECK-LABEL: define internal void @sjk_rows_k0.impl.par0(
// CHECK-SAME: #[[$A:[0-9]+]]
// CHECK-NOT: call {{.*}}expf
// CHECK: call <16 x float> @llvm.fmuladd.v16f32(
// CHECK-NOT: call {{.*}}expf
// CHECK: fadd reassoc nsz <16 x float>
// CHECK-NOT: call {{.*}}expf
// CHECK-LABEL: define void @sjk_rows_k0(
// CHECK: attributes #[[$A]] = { {{.*}}"prefer-vector-width"="512"
kernel @rows_k0(%in0: f32[?,1000], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c1000 = constant {value = 1000} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %init = constant {value = 0.0} : f32
    %acc = for %c0, %c1000, %init {combine = "add"} : f32 (%i1: i64, %a: f32) {
      %x = load %in0, %i0, %i1 : f32
      %e = exp %x : f32
      %a2 = add %a, %e : f32
      yield %a2
    }
    store %acc, %out0, %i0
    yield
  }
  return
}
