// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// {loop.vectorize = W} (decision 0042) is a dotted, discardable attribute,
// but its kind and value are verified on the one op that reads it: an int,
// 0 (LLVM picks the width) or a power of two from 2 to 64, on a sequential
// `for` only. Valid forms: test/IR/roundtrip-loop-hint.sj,
// test/CodeGen/loop-vectorize-hint.sj.
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // width 1 is not a vector width
  // CHECK: errors-loop-hint.sj:[[@LINE+1]]:3: error: 'for' op attribute 'loop.vectorize' must be 0 (any width) or a power of two from 2 to 64, got 1
  for %c0, %n {loop.vectorize = 1} (%i: i64) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    yield
  }
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // not a power of two
  // CHECK: errors-loop-hint.sj:[[@LINE+1]]:3: error: 'for' op attribute 'loop.vectorize' must be 0 (any width) or a power of two from 2 to 64, got 6
  for %c0, %n {loop.vectorize = 6} (%i: i64) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    yield
  }
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // wider than 64
  // CHECK: errors-loop-hint.sj:[[@LINE+1]]:3: error: 'for' op attribute 'loop.vectorize' must be 0 (any width) or a power of two from 2 to 64, got 128
  for %c0, %n {loop.vectorize = 128} (%i: i64) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    yield
  }
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // negative
  // CHECK: errors-loop-hint.sj:[[@LINE+1]]:3: error: 'for' op attribute 'loop.vectorize' must be 0 (any width) or a power of two from 2 to 64, got -4
  for %c0, %n {loop.vectorize = -4} (%i: i64) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    yield
  }
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // not an int
  // CHECK: errors-loop-hint.sj:[[@LINE+1]]:3: error: 'for' op attribute 'loop.vectorize' must be an int (a vector width, or 0)
  for %c0, %n {loop.vectorize = true} (%i: i64) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    yield
  }
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // not an int
  // CHECK: errors-loop-hint.sj:[[@LINE+1]]:3: error: 'for' op attribute 'loop.vectorize' must be an int (a vector width, or 0)
  for %c0, %n {loop.vectorize = "on"} (%i: i64) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    yield
  }
  return
}
// -----
kernel @k(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  // a parallel_for is outlined, not vectorized by this hint
  // CHECK: errors-loop-hint.sj:[[@LINE+1]]:3: error: 'parallel_for' op attribute 'loop.vectorize' is only for a sequential 'for'
  parallel_for %c0, %n {loop.vectorize = 0} (%i: i64) {
    %x = load %in0, %i : f32
    store %x, %out0, %i
    yield
  }
  return
}
