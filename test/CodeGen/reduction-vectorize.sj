// A row reduction (a `for {combine = "add"}`) vectorizes: the combining fadd
// gets reassoc (and nothing else gets fast-math flags). The same loop without
// the marker is a plain recurrence: no reassoc, no vector reduction.
// REQUIRES: avx2
// RUN: %symjit-opt %s --emit-llvm | FileCheck %s
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s --check-prefix=NOOPT

// CHECK-LABEL: define internal void @sjk_rows_k0.impl.par0(
// CHECK: fadd reassoc nsz <{{8|16}} x float>
// CHECK: call reassoc nsz float @llvm.vector.reduce.fadd.v{{8|16}}f32(

// NOOPT-LABEL: define internal void @sjk_rows_k0.impl.par0.impl(
// NOOPT: %[[SQ:.*]] = fmul float
// NOOPT-NEXT: fadd reassoc nsz float %{{.*}}, %[[SQ]]

// CHECK-LABEL: define internal void @sjk_plain.impl.par0(
// CHECK-NOT: reassoc
// CHECK-NOT: llvm.vector.reduce
// CHECK-LABEL: define void @sjk_plain(
// NOOPT-LABEL: define internal void @sjk_plain.impl.par0.impl(
// NOOPT: %[[SQ2:.*]] = fmul float
// NOOPT-NEXT: fadd float %{{.*}}, %[[SQ2]]
kernel @rows_k0(%in0: f32[?,1000], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c1000 = constant {value = 1000} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %init = constant {value = 0.0} : f32
    %acc = for %c0, %c1000, %init {combine = "add"} : f32 (%i1: i64, %a: f32) {
      %x = load %in0, %i0, %i1 : f32
      %sq = mul %x, %x : f32
      %a2 = add %a, %sq : f32
      yield %a2
    }
    store %acc, %out0, %i0
    yield
  }
  return
}

kernel @plain(%in0: f32[?,1000], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c1000 = constant {value = 1000} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %init = constant {value = 0.0} : f32
    %acc = for %c0, %c1000, %init : f32 (%i1: i64, %a: f32) {
      %x = load %in0, %i0, %i1 : f32
      %sq = mul %x, %x : f32
      %a2 = add %a, %sq : f32
      yield %a2
    }
    store %acc, %out0, %i0
    yield
  }
  return
}
