// NaN, Inf and empty reductions: the reference follows numpy (maximum,
// minimum and max/min reductions propagate NaN; comparisons with NaN are
// false except ne; sum of nothing is 0, prod 1, mean NaN) and the combine
// identity for max/min of nothing (-inf/+inf, the lowest/highest integer),
// where numpy raises (docs/numerics.md). NaN/Inf come from the selects.
// RUN: %symjit-run %s --check --func nan --dim 50 --range -3,3 | FileCheck %s --check-prefix=NAN
// NAN: check: @nan passed
// RUN: %symjit-run %s --check --func empty --shape x=0x5 --shape i=0x5 | FileCheck %s --check-prefix=EMPTY
// EMPTY: check: @empty passed
// RUN: %symjit-run %s --check --func empty --shape x=4x0 --shape i=4x0 | FileCheck %s --check-prefix=EMPTY
func @nan(%x: f32[?]) -> (f32[?], f32[?], f32[], f32[], f32[], bool[?], bool[?], bool[?], f32[?]) {
  %t = constant {value = 1.0} : f32[]
  %m = gt %x, %t : bool[?]
  %n = constant {value = nan} : f32[]
  %xn = select %m, %n, %x : f32[?]
  %u = constant {value = -1.0} : f32[]
  %mi = lt %x, %u : bool[?]
  %i = constant {value = inf} : f32[]
  %xi = select %mi, %i, %x : f32[?]
  %a = maximum %xn, %xi : f32[?]
  %b = minimum %xi, %xn : f32[?]
  %c = max %xn : f32[]
  %d = min %xn : f32[]
  %e = sum %xi : f32[]
  %f = eq %xn, %xn : bool[?]
  %g = ne %xn, %xn : bool[?]
  %h = lt %xn, %xi : bool[?]
  %s = sign %xn : f32[?]
  return %a, %b, %c, %d, %e, %f, %g, %h, %s
}

// (i64 min of nothing: test/Run/fuzz-i64-min-identity.sj)
func @empty(%x: f32[?,?], %i: i64[?,?]) -> (f32[?], f32[?], f32[?], f32[?], f32[], i64[?], i64[?], i32[?], i8[?]) {
  %a = sum %x {axes = [0]} : f32[?]
  %b = prod %x {axes = [0]} : f32[?]
  %c = mean %x {axes = [0]} : f32[?]
  %d = max %x {axes = [0]} : f32[?]
  %e = min %x : f32[]
  %f = max %i {axes = [1]} : i64[?]
  %g = prod %i {axes = [1]} : i64[?]
  %j = cast %i : i32[?,?]
  %k = min %j {axes = [1]} : i32[?]
  %l = cast %i : i8[?,?]
  %m = max %l {axes = [1]} : i8[?]
  return %a, %b, %c, %d, %e, %f, %g, %k, %m
}
