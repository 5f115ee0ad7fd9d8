// slice_update ("set" and "add") against the double-precision reference:
// steps of both signs, values broadcast to the region (a scalar, a row, a
// column), dynamic dims (a sliced `?` takes its length from slice_len and
// the values are checked against it before any kernel runs), empty regions,
// zero-size operands, f16 and i32.
// RUN: %symjit-run %s --check --func steps | FileCheck %s --check-prefix=STEPS
// RUN: %symjit-run %s --check --func dyn --shape x=6x7 --shape y=3x1 | FileCheck %s --check-prefix=DYN
// RUN: %symjit-run %s --check --func dyn --shape x=2x7 --shape y=1x1 | FileCheck %s --check-prefix=DYN
// RUN: %symjit-run %s --check --func dyn --shape x=0x3 --shape y=0x1 | FileCheck %s --check-prefix=DYN
// RUN: not %symjit-run %s --check --func dyn --shape x=6x7 --shape y=2x1 2>&1 | FileCheck %s --check-prefix=DYNBAD
// RUN: %symjit-run %s --check --func whole --shape x=5x3 --shape y=5x3 | FileCheck %s --check-prefix=WHOLE
// RUN: %symjit-run %s --check --func empty --shape x=3x0 | FileCheck %s --check-prefix=EMPTY
// RUN: %symjit-run %s --check --func half --shape x=9 | FileCheck %s --check-prefix=HALF
// RUN: %symjit-run %s --check --func ints --int-range -50,50 --shape x=4x6 --shape y=6 | FileCheck %s --check-prefix=INTS
// STEPS: check: @steps passed
// DYN: check: @dyn passed
// DYNBAD: shape mismatch before kernel @dyn_k0: dim 0 of %y (f32[2,1]) is 2 but must equal dim 0 of
// DYNBAD: check: @dyn refused consistently
// WHOLE: check: @whole passed
// EMPTY: check: @empty passed
// HALF: check: @half passed
// INTS: check: @ints passed
func @steps(%x: f32[6,5], %r: f32[5], %c: f32[2,1], %s: f32[]) -> (f32[6,5], f32[6,5], f32[6,5]) {
  %0 = slice_update %x, %r {mode = "add", start = [-1, 0], step = [-2, 1], stop = [-9223372036854775807, 5]} : f32[6,5]
  %1 = slice_update %0, %c {mode = "set", start = [1, 4], step = [3, -2], stop = [6, -9223372036854775807]} : f32[6,5]
  %2 = slice_update %1, %s {mode = "add", start = [100, 0], step = [1, 1], stop = [200, 5]} : f32[6,5]
  return %0, %1, %2
}
func @dyn(%x: f32[?,?], %y: f32[?,1]) -> (f32[?,?], f32[?,?]) {
  %0 = slice_update %x, %y {mode = "set", start = [1, -2], step = [2, -3], stop = [9223372036854775807, -9223372036854775807]} : f32[?,?]
  %1 = slice_update %0, %y {mode = "add", start = [-9223372036854775807, 0], step = [2, 1], stop = [9223372036854775807, 1]} : f32[?,?]
  return %0, %1
}
func @whole(%x: f64[?,3], %y: f64[?,3]) -> (f64[?,3]) {
  %0 = slice_update %x, %y {mode = "add", start = [0, 0], step = [1, 1], stop = [9223372036854775807, 3]} : f64[?,3]
  return %0
}
func @empty(%x: f32[3,?], %y: f32[]) -> (f32[3,?], f32[3,?]) {
  %0 = slice_update %x, %y {mode = "set", start = [1, 0], step = [1, 1], stop = [2, 9223372036854775807]} : f32[3,?]
  %1 = slice_update %x, %y {mode = "add", start = [2, 0], step = [1, 1], stop = [1, 9223372036854775807]} : f32[3,?]
  return %0, %1
}
func @half(%x: f16[?], %y: f16[]) -> (f16[?]) {
  %0 = slice_update %x, %y {mode = "add", start = [-1], step = [-4], stop = [-9223372036854775807]} : f16[?]
  return %0
}
func @ints(%x: i32[4,?], %y: i32[?]) -> (i32[4,?]) {
  %0 = slice_update %x, %y {mode = "add", start = [3, 0], step = [-1, 1], stop = [0, 9223372036854775807]} : i32[4,?]
  return %0
}
