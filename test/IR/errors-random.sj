// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// The random ops' verifier errors: the state's type, the parameters, the
// result dtypes, the shape rules (static, or exactly %like's) and the
// categorical weights.
func @f(%s: i32[2]) -> (f32[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_uniform' op stream state must be i64[2] (key, counter), got i32[2]
  %0 = random_uniform %s {hi = 1.0, lo = 0.0} : f32[3]
  return %0
}
// -----
func @f(%s: i64[3]) -> (i64[2]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_skip' op stream state must be i64[2] (key, counter), got i64[3]
  %0 = random_skip %s : i64[2]
  return %0
}
// -----
func @f(%s: i64[2]) -> (f32[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_uniform' op needs finite lo <= hi, got lo = 2 and hi = 1
  %0 = random_uniform %s {hi = 1.0, lo = 2.0} : f32[3]
  return %0
}
// -----
func @f(%s: i64[2]) -> (f32[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_normal' op needs a finite mean and a finite std >= 0, got mean = 0 and std = -1
  %0 = random_normal %s {mean = 0.0, std = -1.0} : f32[3]
  return %0
}
// -----
func @f(%s: i64[2]) -> (f32[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_bernoulli' op needs p in [0, 1], got 1.5
  %0 = random_bernoulli %s {p = 1.5} : f32[3]
  return %0
}
// -----
func @f(%s: i64[2]) -> (f32[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_bernoulli' op attribute 'p' must be of kind float, got int
  %0 = random_bernoulli %s {p = 1} : f32[3]
  return %0
}
// -----
func @f(%s: i64[2]) -> (i32[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_uniform' op result must be f32 or f64, got i32[3]
  %0 = random_uniform %s {hi = 1.0, lo = 0.0} : i32[3]
  return %0
}
// -----
func @f(%s: i64[2]) -> (i8[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_bernoulli' op result must be f32 or f64 (or bool), got i8[3]
  %0 = random_bernoulli %s {p = 0.5} : i8[3]
  return %0
}
// -----
func @f(%s: i64[2]) -> (f32[?]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_normal' op result f32[?] has a dynamic dim: give a tensor to take the shape from
  %0 = random_normal %s {mean = 0.0, std = 1.0} : f32[?]
  return %0
}
// -----
func @f(%s: i64[2], %x: f64[?,3]) -> (f32[4,3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_normal' op result f32[4,3] must have the shape of f64[?,3]
  %0 = random_normal %s, %x {mean = 0.0, std = 1.0} : f32[4,3]
  return %0
}
// -----
func @f(%s: i64[2]) -> (f32[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_uniform' op requires attribute 'hi'
  %0 = random_uniform %s {lo = 0.0} : f32[3]
  return %0
}
// -----
func @f(%s: i64[2], %w: f32[4,0]) -> (i32[4]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_categorical' op weights f32[4,0] have no categories (last dim 0)
  %0 = random_categorical %s, %w : i32[4]
  return %0
}
// -----
func @f(%s: i64[2], %w: i32[4,3]) -> (i32[4]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_categorical' op weights must be an f32 or f64 tensor of rank >= 1, got i32[4,3]
  %0 = random_categorical %s, %w : i32[4]
  return %0
}
// -----
func @f(%s: i64[2], %w: f32[4,3]) -> (f32[4]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_categorical' op result f32[4] must be i32 or i64 shaped as the weights f32[4,3] without their last axis
  %0 = random_categorical %s, %w : f32[4]
  return %0
}
// -----
func @f(%s: i64[2], %w: f32[?,3]) -> (i32[4]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_categorical' op result i32[4] must be i32 or i64 shaped as the weights f32[?,3] without their last axis
  %0 = random_categorical %s, %w : i32[4]
  return %0
}
// -----
func @f(%s: i64[2]) -> (i64[2]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_skip' op needs count >= 0, got -3
  %0 = random_skip %s {count = -3} : i64[2]
  return %0
}
// -----
func @f(%s: i64[2]) -> (i64[3]) {
  // CHECK: errors-random.sj:[[@LINE+1]]:8: error: 'random_skip' op result type i64[3] does not match the inferred type i64[2]
  %0 = random_skip %s : i64[3]
  return %0
}
