// The fused elementwise kernel vectorizes to 8 or more float lanes, calls
// libmvec's vector log, computes the f32 exp inline (a polynomial, no call:
// math_lib.c), and its buffers reach LLVM as noalias. On AVX-512 hosts the
// loop has an inline exp, so its remainder is folded into the vector loop
// under a mask (math_lib.c, sj_cg_fold_tail): loads and stores are masked.
// REQUIRES: avx2
// RUN: %symjit-opt %s --emit-llvm | FileCheck %s
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s --check-prefix=NOOPT

// CHECK: @llvm.compiler.used = appending global {{.*}}@_ZGVdN8v_logf
// CHECK-NOT: expf
// CHECK-LABEL: define internal void @sjk_f_k0.impl.par0(
// CHECK: {{load <(8|16) x float>, ptr %.*|call <16 x float> @llvm.masked.load.v16f32.p0\(.*\)}}, !alias.scope ![[S:[0-9]+]], !noalias
// CHECK: call <{{8|16}} x float> @llvm.fmuladd.v{{8|16}}f32(
// CHECK: call <{{8|16}} x float> @_ZGV{{d|e}}N{{8|16}}v_logf(
// CHECK: fmul <{{8|16}} x float>
// CHECK: {{store <(8|16) x float>|call void @llvm.masked.store.v16f32.p0\(<16 x float>}}
// CHECK-LABEL: define void @sjk_f_k0(ptr
// CHECK: call void @sj_rt_parallel_for(

// NOOPT-LABEL: define internal void @sjk_f_k0.impl(ptr noalias %0, ptr noalias %1, ptr noalias %2, ptr noalias %3, ptr noalias %4, ptr noalias %5, ptr %6)
// NOOPT-LABEL: define internal void @sjk_f_k0.impl.par0.impl(ptr noalias %0, ptr noalias %1, ptr noalias %2, ptr noalias %3, ptr noalias %4, ptr %5, ptr %6, i64 %7, i64 %8)
// NOOPT-NOT: @expf
// NOOPT: call float @logf(float %{{.*}}) #[[ATTR:[0-9]+]]
// NOOPT: declare float @logf(float) #[[DECL:[0-9]+]]
// NOOPT: attributes #[[DECL]] = { nounwind willreturn memory(none) }
// NOOPT: attributes #[[ATTR]] = { "vector-function-abi-variant"="{{.*}}_ZGV_LLVM_N8v_logf(_ZGVdN8v_logf){{.*}}" }
kernel @f_k0(%in0: f32[?], %in1: f32[?], %in2: f32[?], %in3: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %b = load %in1, %i0 : f32
    %c = load %in2, %i0 : f32
    %d = load %in3, %i0 : f32
    %ab = mul %a, %b : f32
    %e = exp %c : f32
    %l = log %d : f32
    %ed = mul %e, %l : f32
    %z = add %ab, %ed : f32
    store %z, %out0, %i0
    yield
  }
  return
}
