// A top-level `for` that reduces with add/maximum/minimum from the identity
// (a full reduction) runs as P fixed chunks on the pool: each chunk reduces
// its range into partial[p], then the caller folds the partials in order.
// A statically small one, or one that starts from another value, stays a
// serial loop.
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s

// CHECK-LABEL: define internal void @sjk_big.impl(
// CHECK: %partial = alloca [64 x float]
// CHECK: %csize = sdiv i64
// CHECK: call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_big.impl.par0, ptr %env, i64 0, i64 %{{[0-9]+}}, i64 1, i64 1)
// CHECK: chunk.body:
// CHECK: fadd float
// CHECK-LABEL: define internal void @sjk_big.impl.par0.impl(
// CHECK: %acc = phi float [ 0.000000e+00, %chunk.body ]
// CHECK: fadd reassoc nsz float %acc
// CHECK: store float %acc, ptr
// CHECK-LABEL: define internal void @sjk_small.impl(
// CHECK-NOT: sj_rt_parallel_for
// CHECK-LABEL: define internal void @sjk_noident.impl(
// CHECK-NOT: sj_rt_parallel_for
// CHECK-LABEL: define void @sjk_noident(
kernel @big(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %init = constant {value = 0.0} : f32
  %r = for %c0, %n, %init : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}

kernel @small(%in0: f32[1000], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %c1000 = constant {value = 1000} : i64
  %init = constant {value = -inf} : f32
  %r = for %c0, %c1000, %init : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = maximum %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}

kernel @noident(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %init = constant {value = 1.0} : f32
  %r = for %c0, %n, %init : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}
