// A top-level `for {combine = ...}` (a reduction by contract, checked by
// the verifier) that stores nothing runs as P fixed chunks on the pool: each
// chunk reduces its range from the combine's identity into partial[p], then
// the caller folds the loop's initial value and the partials in order. A
// statically small one, one that stores, and an unmarked carried loop (a
// plain recurrence: no reassoc either) stay serial. Nested reduction loops
// with the same combine parallelize on the outer one.
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s

// CHECK-LABEL: define internal void @sjk_big.impl(
// CHECK: %partial = alloca [64 x float]
// CHECK: %csize = sdiv i64
// CHECK: call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_big.impl.par0, ptr %env, i64 0, i64 %[[P:[0-9]+]], i64 1, i64 1)
// CHECK-NEXT: store float 0.000000e+00, ptr %acc
// CHECK-NEXT: br label %chunk
// CHECK: chunk:
// CHECK-NEXT: %p = phi i64 [ 0, %{{.*}} ]
// CHECK: chunk.body:
// CHECK: fadd float
// CHECK-LABEL: define internal void @sjk_big.impl.par0.impl(
// CHECK: %acc = phi float [ 0.000000e+00, %chunk.body ]
// CHECK: fadd reassoc nsz float %acc
// CHECK: store float %acc, ptr
// CHECK-LABEL: define internal void @sjk_small.impl(
// CHECK-NOT: sj_rt_parallel_for
// CHECK: call reassoc nsz float @llvm.maximum.f32(
// CHECK-LABEL: define internal void @sjk_init.impl(
// CHECK: call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_init.impl.par0,
// CHECK-NEXT: store float 1.000000e+00, ptr %acc
// CHECK-LABEL: define internal void @sjk_init.impl.par0.impl(
// CHECK: %acc = phi float [ 0.000000e+00, %chunk.body ]
// CHECK-LABEL: define internal void @sjk_unmarked.impl(
// CHECK-NOT: sj_rt_parallel_for
// CHECK-NOT: reassoc
// CHECK-LABEL: define internal void @sjk_stores.impl(
// CHECK-NOT: sj_rt_parallel_for
// CHECK: fadd reassoc nsz float
// CHECK-LABEL: define internal void @sjk_nested.impl(
// CHECK: call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_nested.impl.par0,
// CHECK-NEXT: store double 0x7FF0000000000000, ptr %acc
// CHECK-LABEL: define internal void @sjk_nested.impl.par0.impl(
// CHECK: %acc = phi double [ 0x7FF0000000000000, %chunk.body ]
// CHECK: call reassoc nsz double @llvm.minimum.f64(
// CHECK-LABEL: define void @sjk_nested(
kernel @big(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %init = constant {value = 0.0} : f32
  %r = for %c0, %n, %init {combine = "add"} : f32 (%i: i64, %a: f32) {
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
  %r = for %c0, %c1000, %init {combine = "maximum"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = maximum %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}

kernel @init(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %init = constant {value = 1.0} : f32
  %r = for %c0, %n, %init {combine = "add"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}

kernel @unmarked(%in0: f32[?], %out0: f32[]) {
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

kernel @stores(%in0: f32[?], %out0: f32[?], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %init = constant {value = 0.0} : f32
  %r = for %c0, %n, %init {combine = "add"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    %a2 = add %a, %x : f32
    yield %a2
  }
  store %r, %out1
  return
}

kernel @nested(%in0: f64[?,?], %out0: f64[]) {
  %c0 = constant {value = 0} : i64
  %m = dim %in0 {axis = 0} : i64
  %n = dim %in0 {axis = 1} : i64
  %init = constant {value = inf} : f64
  %r = for %c0, %m, %init {combine = "minimum"} : f64 (%i: i64, %a: f64) {
    %s = for %c0, %n, %a {combine = "minimum"} : f64 (%j: i64, %b: f64) {
      %x = load %in0, %i, %j : f64
      %b2 = minimum %x, %b : f64
      yield %b2
    }
    yield %s
  }
  store %r, %out0
  return
}
