// RUN: %symjit-run %s --check --shape v1=0x2 | FileCheck %s
// RUN: %symjit-run %s --check --shape v1=5x2 | FileCheck %s
// RUN: %symjit-run %s --check --func clamp0 --shape x=0x3 --shape n=0 | FileCheck %s --check-prefix=C0
// RUN: not %symjit-run %s --check --func clamp0 --shape x=0x3 --shape n=2 2>&1 | FileCheck %s --check-prefix=C0-REFUSED
// CHECK: check: @f passed
// C0: check: @clamp0 passed
// C0-REFUSED: check: @clamp0 refused consistently
// Semantic fuzzer, seed 5061 (minimized): the mean of a slice that is
// empty (start past the end of a zero-size dim) fused with the slice into
// one kernel. The load's row index is a clamp into x's dim 0, which the
// launch precheck required to be at least 1, although the load sits in
// loops that never run (an inner loop of 0 columns; the rows loop is the
// slice's 0 rows): the fused path refused what the reference and the
// unfused path ran. A clamp or constant-0 index now needs a non-empty dim
// only when every loop around it may run: a loop of static extent 0 drops
// the check, and one bounded by `dim` of an argument skips it when that dim
// is 0 at the call (lib/api/precheck.c).
func @f(%v1: f32[?,2]) -> (f32[], f32[?,2]) {
  %v2 = slice %v1 {start = [2, 9223372036854775807], step = [3, 1], stop = [-9223372036854775807, -1]} : f32[?,0]
  %v3 = mean %v2 {axes = [0, -1]} : f32[]
  %v6 = sub %v3, %v1 : f32[?,2]
  return %v3, %v6
}
// take with clamped indices from an empty axis: refused when indices exist
// (numpy's IndexError), run when there are none.
func @clamp0(%x: f32[?,3], %n: i64[?]) -> (f32[?,3]) {
  %0 = take %x, %n {axis = 0} : f32[?,3]
  return %0
}
