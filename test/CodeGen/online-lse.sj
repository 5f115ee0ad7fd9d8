// A `for {combine = "maximum"}` of v followed (past stores) by a
// `for {combine = "add"}` of exp(v - max) over the same bounds runs as one
// pass over memory (parallel.c, sj_cg_parallel_online): chunk p computes its
// max and its sum of exp against that max, while the chunk is in cache; the
// caller folds max(init, pmax[p]) and sum(psum[p] * exp(pmax[p] - M)), a
// chunk whose max is M adding psum[p] as is and an all -inf chunk adding 0.
// Otherwise (a store between that the sum reads, other bounds) the two loops
// are two parallel reductions; a loop whose initial value is also read in
// its body stays serial (a chunk would start from the identity instead). A nest of reduction loops (a full reduction
// over two axes) runs the same way, chunked on its outer loop.
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s

// CHECK-LABEL: define internal void @sjk_pair.impl(
// CHECK:        %pmax = alloca [1024 x float]
// CHECK-NEXT:   %psum = alloca [1024 x float]
// CHECK:        %[[P:[0-9]+]] = sdiv i64 %{{[0-9]+}}, 16384
// CHECK:        call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_pair.impl.par0, ptr %env, i64 0, i64 %{{[0-9]+}}, i64 1, i64 1)
// CHECK-NEXT:   store float 0xFFF0000000000000, ptr %accm
// CHECK-NOT:    sj_rt_parallel_for
// CHECK:        call float @llvm.maximum.f32(
// CHECK:        store float 0.000000e+00, ptr %accs
// CHECK:        %[[MQ:[0-9]+]] = load float, ptr %{{[0-9]+}}
// CHECK:        %[[SQ:[0-9]+]] = load float, ptr %{{[0-9]+}}
// CHECK:        %[[SC:[0-9]+]] = fmul float %[[SQ]], %{{[0-9]+}}
// CHECK-NEXT:   %[[NI:[0-9]+]] = fcmp oeq float %[[MQ]], 0xFFF0000000000000
// CHECK-NEXT:   %[[T:[0-9]+]] = select i1 %[[NI]], float 0.000000e+00, float %[[SC]]
// CHECK-NEXT:   %[[EQ:[0-9]+]] = fcmp oeq float %[[MQ]], %{{[0-9]+}}
// CHECK-NEXT:   %{{[0-9]+}} = select i1 %[[EQ]], float %[[SQ]], float %[[T]]
// CHECK-LABEL: define internal void @sjk_pair.impl.par0.impl(
// CHECK:        call reassoc nsz float @llvm.maximum.f32(
// CHECK:        fadd reassoc nsz float
// CHECK:        store float %{{.*}}, ptr %{{[0-9]+}}
// CHECK:        store float %{{.*}}, ptr %{{[0-9]+}}

// CHECK-LABEL: define internal void @sjk_readback.impl(
// CHECK-NOT:    %pmax
// CHECK:        call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_readback.impl.par0,
// CHECK:        call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_readback.impl.par1,
// CHECK-LABEL: define internal void @sjk_bounds.impl(
// CHECK-NOT:    %pmax
// CHECK:        call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_bounds.impl.par0,
// CHECK:        call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_bounds.impl.par1,
// CHECK-LABEL: define internal void @sjk_initused.impl(
// CHECK-NOT:    %pmax
// CHECK:        call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_initused.impl.par0,
// CHECK-NOT:    sj_rt_parallel_for
// CHECK-LABEL: define void @sjk_initused(
// A nest (a full reduction of a matrix): a chunk is 16384 / (inner trips)
// outer iterations, at least 1.
// CHECK-LABEL: define internal void @sjk_pair2.impl(
// CHECK:        %pmax = alloca [1024 x float]
// CHECK:        %[[PER:[0-9]+]] = sdiv i64 16384, %{{[0-9]+}}
// CHECK:        call void @sj_rt_parallel_for(ptr %{{[0-9]+}}, ptr @sjk_pair2.impl.par0,
// CHECK-NOT:    sj_rt_parallel_for
// CHECK-LABEL: define void @sjk_pair2(
kernel @pair(%in0: f32[?], %out0: f32[], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %ninf = constant {value = -inf} : f32
  %zero = constant {value = 0.0} : f32
  %m = for %c0, %n, %ninf {combine = "maximum"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = maximum %a, %x : f32
    yield %a2
  }
  store %m, %out0
  %s = for %c0, %n, %zero {combine = "add"} : f32 (%j: i64, %b: f32) {
    %y = load %in0, %j : f32
    %t = sub %y, %m : f32
    %e = exp %t : f32
    %b2 = add %b, %e : f32
    yield %b2
  }
  store %s, %out1
  return
}

kernel @readback(%in0: f32[?], %out0: f32[], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %ninf = constant {value = -inf} : f32
  %zero = constant {value = 0.0} : f32
  %m = for %c0, %n, %ninf {combine = "maximum"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = maximum %a, %x : f32
    yield %a2
  }
  store %m, %out0
  %s = for %c0, %n, %zero {combine = "add"} : f32 (%j: i64, %b: f32) {
    %y = load %in0, %j : f32
    %t = sub %y, %m : f32
    %e = exp %t : f32
    %k = load %out0 : f32
    %ek = mul %e, %k : f32
    %b2 = add %b, %e : f32
    yield %b2
  }
  store %s, %out1
  return
}

kernel @bounds(%in0: f32[?], %out0: f32[], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %n = dim %in0 {axis = 0} : i64
  %ninf = constant {value = -inf} : f32
  %zero = constant {value = 0.0} : f32
  %m = for %c0, %n, %ninf {combine = "maximum"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = maximum %a, %x : f32
    yield %a2
  }
  store %m, %out0
  %s = for %c1, %n, %zero {combine = "add"} : f32 (%j: i64, %b: f32) {
    %y = load %in0, %j : f32
    %t = sub %y, %m : f32
    %e = exp %t : f32
    %b2 = add %b, %e : f32
    yield %b2
  }
  store %s, %out1
  return
}

kernel @initused(%in0: f32[?], %out0: f32[], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %ninf = constant {value = -inf} : f32
  %one = constant {value = 1.0} : f32
  %m = for %c0, %n, %ninf {combine = "maximum"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %x1 = add %x, %one : f32
    %a2 = maximum %a, %x1 : f32
    yield %a2
  }
  store %m, %out0
  %s = for %c0, %n, %one {combine = "add"} : f32 (%j: i64, %b: f32) {
    %y = load %in0, %j : f32
    %y1 = add %y, %one : f32
    %t = sub %y1, %m : f32
    %e = exp %t : f32
    %b2 = add %b, %e : f32
    yield %b2
  }
  store %s, %out1
  return
}

kernel @pair2(%in0: f32[?,?], %out0: f32[], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %k = dim %in0 {axis = 1} : i64
  %ninf = constant {value = -inf} : f32
  %zero = constant {value = 0.0} : f32
  %m = for %c0, %n, %ninf {combine = "maximum"} : f32 (%i: i64, %a: f32) {
    %mi = for %c0, %k, %a {combine = "maximum"} : f32 (%i2: i64, %a1: f32) {
      %x = load %in0, %i, %i2 : f32
      %a2 = maximum %a1, %x : f32
      yield %a2
    }
    yield %mi
  }
  store %m, %out0
  %s = for %c0, %n, %zero {combine = "add"} : f32 (%j: i64, %b: f32) {
    %si = for %c0, %k, %b {combine = "add"} : f32 (%j2: i64, %b1: f32) {
      %y = load %in0, %j, %j2 : f32
      %t = sub %y, %m : f32
      %e = exp %t : f32
      %b2 = add %b1, %e : f32
      yield %b2
    }
    yield %si
  }
  store %s, %out1
  return
}
