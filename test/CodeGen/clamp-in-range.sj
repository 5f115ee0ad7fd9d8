// A clamp whose operand provably lies in [0, n) (n a constant; the operand
// built from constants and loop variables with constant bounds by add, sub,
// mul, minimum, maximum) is emitted as the operand itself: no selects, so
// window loads such as conv's im2col (x[i + k]) stay affine and vectorize.
// The IR keeps the clamp: the executor still checks the dim against n.
// Where the range may leave [0, n) (n - 1 + 1, a dynamic n, a negative
// offset) the two selects stay.
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s
// RUN: %symjit-run %s --func run --print | FileCheck %s --check-prefix=WIN

// i in [0, 4), k in [0, 3): i + k in [0, 5], inside [0, 6).
// CHECK-LABEL: define internal void @sjk_window.impl(
// CHECK-NOT: %clamp
// CHECK-LABEL: define void @sjk_window(
kernel @window(%in0: f32[6], %out0: f32[4,3]) {
  %c0 = constant {value = 0} : i64
  %c3 = constant {value = 3} : i64
  %c4 = constant {value = 4} : i64
  %c6 = constant {value = 6} : i64
  for %c0, %c4 (%i: i64) {
    for %c0, %c3 (%k: i64) {
      %j = add %i, %k : i64
      %jc = clamp %j, %c6 : i64
      %v = load %in0, %jc : f32
      store %v, %out0, %i, %k
      yield
    }
    yield
  }
  return
}

// 2*i - k + 2 with i in [0, 4), k in [0, 3): [0, 8], inside [0, 9).
// CHECK-LABEL: define internal void @sjk_affine.impl(
// CHECK-NOT: %clamp
// CHECK-LABEL: define void @sjk_affine(
kernel @affine(%in0: f32[9], %out0: f32[4,3]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c3 = constant {value = 3} : i64
  %c4 = constant {value = 4} : i64
  %c9 = constant {value = 9} : i64
  for %c0, %c4 (%i: i64) {
    for %c0, %c3 (%k: i64) {
      %a = mul %i, %c2 : i64
      %b = sub %a, %k : i64
      %j = add %b, %c2 : i64
      %jc = clamp %j, %c9 : i64
      %v = load %in0, %jc : f32
      store %v, %out0, %i, %k
      yield
    }
    yield
  }
  return
}

// Negative: i + k reaches 5 against n = 5; i - 1 reaches -1; a dynamic n.
// CHECK-LABEL: define internal void @sjk_outside.impl(
// CHECK: %clamp = select
// CHECK: %clamp{{[0-9]+}} = select
// CHECK: %clamp{{[0-9]+}} = select
// CHECK-LABEL: define void @sjk_outside(
kernel @outside(%in0: f32[5], %in1: f32[?], %out0: f32[4,3]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c3 = constant {value = 3} : i64
  %c4 = constant {value = 4} : i64
  %c5 = constant {value = 5} : i64
  %n = dim %in1 {axis = 0} : i64
  for %c0, %c4 (%i: i64) {
    for %c0, %c3 (%k: i64) {
      %j = add %i, %k : i64
      %jc = clamp %j, %c5 : i64
      %v = load %in0, %jc : f32
      %m = sub %i, %c1 : i64
      %mc = clamp %m, %c5 : i64
      %u = load %in0, %mc : f32
      %nc = clamp %k, %n : i64
      %w = load %in1, %nc : f32
      %s = add %v, %u : f32
      %t = add %s, %w : f32
      store %t, %out0, %i, %k
      yield
    }
    yield
  }
  return
}

// The windows of 0..5: row i holds i, i+1, i+2.
// WIN: run.out0: f32[4,3] =
// WIN-NEXT: {{^\[\[}}0, 1, 2],
// WIN-NEXT: {{^}} [1, 2, 3],
// WIN-NEXT: {{^}} [2, 3, 4],
// WIN-NEXT: {{^}} [3, 4, 5]]
func @run() -> (f32[4,3]) {
  %x = constant {value = dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]>} : f32[6]
  %o = alloc : f32[4,3]
  launch %x, %o {kernel = @window}
  return %o
}
