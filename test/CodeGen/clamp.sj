// `clamp %i, %n` (an index clamped into [0, n)) becomes two selects, and it
// is the executor's contract for data-dependent indices: before the kernel
// runs, the dim the clamped index addresses must equal n and be non-empty;
// then any index value reads in bounds. An index that is neither 0, a loop
// variable over [0, n) nor a clamp is refused when the function is compiled.
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s
// RUN: %symjit-run %s --func g --shape ix=9 --int-range -100,100 --print | FileCheck %s --check-prefix=GATHER
// RUN: not %symjit-run %s --func empty --shape ix=3 --shape x=0 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not %symjit-run %s --func mismatch --shape x=4 --shape y=5 --shape ix=3 2>&1 | FileCheck %s --check-prefix=MISMATCH
// RUN: not %symjit-run %s --func raw --shape x=4 --shape ix=3 2>&1 | FileCheck %s --check-prefix=RAW
// RUN: %symjit-run %s --func affine --print | FileCheck %s --check-prefix=AFFINE
// RUN: not %symjit-run %s --func affine_oob 2>&1 | FileCheck %s --check-prefix=OOB

// CHECK-LABEL: define internal void @sjk_gather.impl.par0.impl(
// CHECK: %[[J:[0-9]+]] = load i64, ptr
// CHECK-NEXT: %[[HI:[0-9]+]] = sub i64 %{{[0-9]+}}, 1
// CHECK-NEXT: %[[LT:[0-9]+]] = icmp slt i64 %[[J]], %[[HI]]
// CHECK-NEXT: %[[M:[0-9]+]] = select i1 %[[LT]], i64 %[[J]], i64 %[[HI]]
// CHECK-NEXT: %[[GT:[0-9]+]] = icmp sgt i64 %[[M]], 0
// CHECK-NEXT: %clamp = select i1 %[[GT]], i64 %[[M]], i64 0
// CHECK-NEXT: %[[OFF:[0-9]+]] = mul nsw i64 %clamp, 1
// CHECK-NEXT: getelementptr inbounds float, ptr %{{[0-9]+}}, i64 %[[OFF]]
kernel @gather(%in0: f32[?], %in1: i64[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %m = dim %out0 {axis = 0} : i64
  parallel_for %c0, %m (%i: i64) {
    %j = load %in1, %i : i64
    %k = clamp %j, %n : i64
    %v = load %in0, %k : f32
    store %v, %out0, %i
    yield
  }
  return
}

// Indices in [-100, 100) against 5 elements: every one lands in the table.
// GATHER: g.out0: f32[9] =
// GATHER-NEXT: [{{(1[0-4], ){8}1[0-4]}}]
func @g(%ix: i64[?]) -> (f32[?]) {
  %x = constant {value = dense<[10.0, 11.0, 12.0, 13.0, 14.0]>} : f32[5]
  %m = dim %ix {axis = 0} : i64
  %o = alloc %m : f32[?]
  launch %x, %ix, %o {kernel = @gather}
  return %o
}

// EMPTY: error: shape mismatch before kernel @gather: dim 0 of %x (f32[0]) is 0 but must be at least 1
func @empty(%x: f32[?], %ix: i64[?]) -> (f32[?]) {
  %m = dim %ix {axis = 0} : i64
  %o = alloc %m : f32[?]
  launch %x, %ix, %o {kernel = @gather}
  return %o
}

// The bound names another buffer's dim: the two must agree.
// MISMATCH: error: shape mismatch before kernel @other: dim 0 of %x (f32[4]) is 4 but must equal dim 0 of %y (f32[5]), 5
kernel @other(%in0: f32[?], %in1: f32[?], %in2: i64[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in1 {axis = 0} : i64
  %m = dim %out0 {axis = 0} : i64
  parallel_for %c0, %m (%i: i64) {
    %j = load %in2, %i : i64
    %k = clamp %j, %n : i64
    %v = load %in0, %k : f32
    store %v, %out0, %i
    yield
  }
  return
}
func @mismatch(%x: f32[?], %y: f32[?], %ix: i64[?]) -> (f32[?]) {
  %m = dim %ix {axis = 0} : i64
  %o = alloc %m : f32[?]
  launch %x, %y, %ix, %o {kernel = @other}
  return %o
}

// The same gather with the clamp spelled as minimum/maximum is not a
// contract: the executor does not guess.
// RAW: error: 'load' op: index 0 is neither 0, nor a loop variable over [0, n), nor a clamp into [0, n) (n a constant or a dim of a parameter), nor a constant or c + i * s inside a static dim; its bounds cannot be checked before the kernel runs
kernel @rawk(%in0: f32[?], %in1: i64[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %n = dim %in0 {axis = 0} : i64
  %nm1 = sub %n, %c1 : i64
  %m = dim %out0 {axis = 0} : i64
  parallel_for %c0, %m (%i: i64) {
    %j = load %in1, %i : i64
    %a = minimum %j, %nm1 : i64
    %k = maximum %a, %c0 : i64
    %v = load %in0, %k : f32
    store %v, %out0, %i
    yield
  }
  return
}
func @raw(%x: f32[?], %ix: i64[?]) -> (f32[?]) {
  %m = dim %ix {axis = 0} : i64
  %o = alloc %m : f32[?]
  launch %x, %ix, %o {kernel = @rawk}
  return %o
}

// Into a static dim, an unclamped `c + i * s` over a constant-bound loop
// (lower-to-loops' index of a static sliced axis, decision 0025) is proven
// in bounds when the function is compiled: x[1::2] of 6 elements reads 1,
// 3, 5; starting at 2, the third index (6) is past the end: refused.
// AFFINE: affine.out0: f32[3] =
// AFFINE-NEXT: [1, 3, 5]
// OOB: error: 'load' op: index 0 is neither 0, nor a loop variable
kernel @affk(%in0: f32[6], %out0: f32[3]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c2 = constant {value = 2} : i64
  %c3 = constant {value = 3} : i64
  parallel_for %c0, %c3 (%i: i64) {
    %m = mul %i, %c2 : i64
    %j = add %c1, %m : i64
    %v = load %in0, %j : f32
    store %v, %out0, %i
    yield
  }
  return
}
kernel @affk_oob(%in0: f32[6], %out0: f32[3]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c3 = constant {value = 3} : i64
  parallel_for %c0, %c3 (%i: i64) {
    %m = mul %i, %c2 : i64
    %j = add %c2, %m : i64
    %v = load %in0, %j : f32
    store %v, %out0, %i
    yield
  }
  return
}
func @affine() -> (f32[3]) {
  %x = constant {value = dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]>} : f32[6]
  %o = alloc : f32[3]
  launch %x, %o {kernel = @affk}
  return %o
}
func @affine_oob() -> (f32[3]) {
  %x = constant {value = dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]>} : f32[6]
  %o = alloc : f32[3]
  launch %x, %o {kernel = @affk_oob}
  return %o
}
