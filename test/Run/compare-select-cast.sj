// Comparisons (bool results), select and casts between dtypes.
// RUN: %symjit-run %s --check --func cmp --shape x=6x9 --shape y=9 | FileCheck %s
// RUN: %symjit-run %s --check --func casts --range -50,50 --shape x=100 | FileCheck %s --check-prefix=CAST
// CHECK: check: @cmp passed
// CAST: check: @casts passed
func @cmp(%x: f32[?,9], %y: f32[9]) -> (bool[?,9], bool[?,9], bool[?,9], bool[?,9], bool[?,9], bool[?,9], f32[?,9]) {
  %0 = eq %x, %x : bool[?,9]
  %1 = ne %x, %y : bool[?,9]
  %2 = lt %x, %y : bool[?,9]
  %3 = le %x, %y : bool[?,9]
  %4 = gt %x, %y : bool[?,9]
  %5 = ge %x, %y : bool[?,9]
  %6 = select %2, %x, %y : f32[?,9]
  return %0, %1, %2, %3, %4, %5, %6
}

func @casts(%x: f32[?]) -> (i32[?], f64[?], i8[?], bool[?], f32[?]) {
  %0 = cast %x : i32[?]
  %1 = cast %x : f64[?]
  %2 = cast %0 : i8[?]
  %3 = cast %0 : bool[?]
  %4 = cast %0 : f32[?]
  return %0, %1, %2, %3, %4
}
