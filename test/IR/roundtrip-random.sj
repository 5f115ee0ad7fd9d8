// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// The random ops: static shapes, a shape taken from another tensor (dynamic
// dims, rank 0, zero-size), every result dtype, categorical over the last
// axis, and random_skip with and without a tensor and a count.
func @f(%s: i64[2], %x: f32[?,3], %z: f64[0,4], %r: f64[], %w: f64[2,?,5]) -> (f32[4,2], f64[?,3], f32[?,3], bool[0,4], f64[], i32[?], i64[2,?], i64[2], i64[2], i64[2]) {
  %0 = random_uniform %s {hi = 1.0, lo = -1.0} : f32[4,2]
  %1 = random_normal %s, %x {mean = 0.5, std = 2.0} : f64[?,3]
  %2 = random_bernoulli %s, %x {p = 0.25} : f32[?,3]
  %3 = random_bernoulli %s, %z {p = 1.0} : bool[0,4]
  %4 = random_uniform %s, %r {hi = 0.0, lo = 0.0} : f64[]
  %5 = random_categorical %s, %x {logits = true} : i32[?]
  %6 = random_categorical %s, %w : i64[2,?]
  %7 = random_skip %s : i64[2]
  %8 = random_skip %s, %x : i64[2]
  %9 = random_skip %s {count = 8} : i64[2]
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9
}
