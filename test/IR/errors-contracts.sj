// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// The contracts lowering states in the IR for codegen and the executor:
// `for {combine = "<op>"}` (a reduction of the one carried value with <op>,
// nothing else) and `clamp %i, %n` (an index clamped into [0, n)). A marker
// that does not hold is a verifier error, never a silently wrong parallel
// reduction. Valid forms are in test/CodeGen/reduction-parallel.sj and
// test/Passes/lower-to-loops (round trip).
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // the combine named is not the op that combines
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op with combine "maximum" must yield 'maximum' of the carried value and a value of the body
  %r = for %c0, %n, %z {combine = "maximum"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // not an associative combine
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op combine "sub" is not one of add, mul, maximum, minimum
  %r = for %c0, %n, %z {combine = "sub"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = sub %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // an unknown op name
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op combine "plus" is not one of add, mul, maximum, minimum
  %r = for %c0, %n, %z {combine = "plus"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // the accumulator also feeds the summand: a recurrence, not a reduction
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op with combine "add": the carried value may only be combined, but it has 2 uses
  %r = for %c0, %n, %z {combine = "add"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %y = mul %a, %x : f32
    %a2 = add %a, %y : f32
    yield %a2
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // a prefix sum: the running value is stored, so the order matters
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op with combine "add": the running value may only be yielded, but it has 2 uses
  %r = for %c0, %n, %z {combine = "add"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    store %a2, %out0, %i
    yield %a2
  }
  store %r, %out1
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // the yielded value does not combine the carried value at all
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op with combine "add" must yield 'add' of the carried value and a value of the body
  %r = for %c0, %n, %z {combine = "add"} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %x, %x : f32
    %u = add %x, %a : f32
    yield %a2
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // the carried value passed through unchanged is not combined
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op with combine "add" must yield 'add' of the carried value and a value of the body
  %r = for %c0, %n, %z {combine = "add"} : f32 (%i: i64, %a: f32) {
    yield %a
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?,?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %m = dim %in0 {axis = 0} : i64
  %n = dim %in0 {axis = 1} : i64
  %z = constant {value = 0.0} : f32
  // a nested loop with another combine
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op with combine "add" yields a nested 'for' that is not a "add" reduction started from the carried value
  %r = for %c0, %m, %z {combine = "add"} : f32 (%i: i64, %a: f32) {
    %s = for %c0, %n, %a {combine = "maximum"} : f32 (%j: i64, %b: f32) {
      %x = load %in0, %i, %j : f32
      %b2 = maximum %b, %x : f32
      yield %b2
    }
    yield %s
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?,?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %m = dim %in0 {axis = 0} : i64
  %n = dim %in0 {axis = 1} : i64
  %z = constant {value = 0.0} : f32
  // a nested loop that is not marked
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op with combine "add" yields a nested 'for' that is not a "add" reduction started from the carried value
  %r = for %c0, %m, %z {combine = "add"} : f32 (%i: i64, %a: f32) {
    %s = for %c0, %n, %a : f32 (%j: i64, %b: f32) {
      %x = load %in0, %i, %j : f32
      %b2 = add %b, %x : f32
      yield %b2
    }
    yield %s
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[], %out1: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // one marker cannot describe two carried values
  // CHECK: errors-contracts.sj:[[@LINE+1]]:12: error: 'for' op with combine "add" must carry exactly one value, got 2
  %r, %q = for %c0, %n, %z, %z {combine = "add"} : f32, f32 (%i: i64, %a: f32, %b: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    %b2 = add %b, %x : f32
    yield %a2, %b2
  }
  store %r, %out0
  store %q, %out1
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // parallel_for carries nothing: no marker
  // CHECK: errors-contracts.sj:[[@LINE+1]]:3: error: 'parallel_for' op has no attribute 'combine'
  parallel_for %c0, %n {combine = "add"} (%i: i64) {
    yield
  }
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %z = constant {value = 0.0} : f32
  // the marker is a string naming the op
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'for' op attribute 'combine' must be of kind str, got int
  %r = for %c0, %n, %z {combine = 1} : f32 (%i: i64, %a: f32) {
    %x = load %in0, %i : f32
    %a2 = add %a, %x : f32
    yield %a2
  }
  store %r, %out0
  return
}
// -----
kernel @k(%in0: f32[?], %in1: i32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %i = load %in1 : i32
  // clamp works on i64 indices and sizes
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'clamp' op the index must be an i64 scalar, got i32
  %k = clamp %i, %n : i64
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %f = constant {value = 2.0} : f32
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'clamp' op the size must be an i64 scalar, got f32
  %k = clamp %c0, %f : i64
  return
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // clamp is a scalar (kernel-level) op
  // CHECK: errors-contracts.sj:[[@LINE+1]]:8: error: 'clamp' op the index must be an i64 scalar, got f32[4]
  %k = clamp %x, %x : f32[4]
  return %x
}
