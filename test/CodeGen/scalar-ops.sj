// Scalar rules: integer division never traps, comparisons follow numpy's
// NaN semantics, maximum propagates NaN, bool is a byte in memory.
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s

// CHECK-LABEL: define internal void @sjk_ops_k0.impl(
// CHECK: icmp eq i32 %[[D:.*]], 0
// CHECK: icmp eq i32 %[[D]], -1
// CHECK: sdiv i32
// CHECK: fcmp une float
// CHECK: fcmp olt float
// CHECK: call float @llvm.maximum.f32(
// CHECK: zext i1 %{{.*}} to i8
kernel @ops_k0(%in0: i32[4], %in1: i32[4], %in2: f32[4], %out0: i32[4], %out1: bool[4], %out2: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : i32
    %b = load %in1, %i : i32
    %q = div %a, %b : i32
    store %q, %out0, %i
    %x = load %in2, %i : f32
    %ne = ne %x, %x : bool
    %z = constant {value = 0.0} : f32
    %lt = lt %x, %z : bool
    %k = select %lt, %ne, %lt : bool
    %m = maximum %x, %z : f32
    store %m, %out2, %i
    store %k, %out1, %i
    yield
  }
  return
}
