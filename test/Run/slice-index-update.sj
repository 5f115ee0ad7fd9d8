// index_update against the double-precision reference, with indices drawn
// from [-6, 6) into axes of 3 to 5 elements, so that most index arrays repeat
// an index: "add" accumulates every repeat (numpy's add.at), "set" keeps the
// last in row-major index order; negative indices wrap, out-of-range ones
// clamp (as take). Values broadcast to the take's shape; a rank-0 index
// (x[i] = y); dynamic dims; f16 and i32.
// RUN: %symjit-run %s --check --func add0 --int-range -6,6 --shape i=7 --shape y=7x4 | FileCheck %s --check-prefix=ADD0
// RUN: %symjit-run %s --check --func set1 --int-range -6,6 --shape x=4x5x2 --shape i=3x4 --shape y=3x1x2 | FileCheck %s --check-prefix=SET1
// RUN: %symjit-run %s --check --func set1 --int-range -6,6 --shape x=0x5x2 --shape i=3x4 --shape y=3x1x2 | FileCheck %s --check-prefix=SET1
// RUN: %symjit-run %s --check --func scalar --int-range -6,6 --shape x=4x3 | FileCheck %s --check-prefix=SCALAR
// RUN: %symjit-run %s --check --func half --int-range -6,6 --shape i=9 --shape y=9 | FileCheck %s --check-prefix=HALF
// RUN: %symjit-run %s --check --func ints --int-range -6,6 --shape i=2x6 | FileCheck %s --check-prefix=INTS
// An axis empty at run time: nothing to update, the result is the empty x
// (the values are still checked against the index space).
// RUN: %symjit-run %s --check --func emptyaxis --shape x=0 --shape i=3 --shape y=3 | FileCheck %s --check-prefix=EMPTYAXIS
// RUN: not %symjit-run %s --check --func emptyaxis --shape x=0 --shape i=3 --shape y=2 2>&1 | FileCheck %s --check-prefix=EMPTYBAD
// EMPTYAXIS: check: @emptyaxis passed
// EMPTYBAD: check: @emptyaxis refused consistently
// RUN: not %symjit-run %s --check --func add0 --int-range -6,6 --shape i=7 --shape y=6x4 2>&1 | FileCheck %s --check-prefix=BAD
// ADD0: check: @add0 passed
// SET1: check: @set1 passed
// SCALAR: check: @scalar passed
// HALF: check: @half passed
// INTS: check: @ints passed
// BAD: shape mismatch before kernel @add0_k0: dim 0 of %y (f32[6,4]) is 6 but must equal dim 0 of %i (i32[7]), 7
// BAD: check: @add0 refused consistently
// Exact: adding ones at [1, 1, -4, 9] into 4 rows counts the hits: row 1
// twice, -4 wraps to row 0, 9 clamps to row 3.
// RUN: %symjit-run %s --print --func count | FileCheck %s --check-prefix=COUNT
// COUNT: count.out0: f32[4,2] =
// COUNT-NEXT: {{^\[\[}}1, 1],
// COUNT-NEXT: {{^ \[}}2, 2],
// COUNT-NEXT: {{^ \[}}0, 0],
// COUNT-NEXT: {{^ \[}}1, 1]]
func @add0(%x: f32[5,4], %i: i32[?], %y: f32[?,4]) -> (f32[5,4]) {
  %0 = index_update %x, %i, %y {axis = 0, mode = "add"} : f32[5,4]
  return %0
}
func @set1(%x: f64[?,5,2], %i: i64[?,?], %y: f64[?,1,2]) -> (f64[?,5,2]) {
  %0 = index_update %x, %i, %y {axis = 1, mode = "set"} : f64[?,5,2]
  return %0
}
func @scalar(%x: f32[?,3], %j: i32[], %y: f32[3]) -> (f32[?,3], f32[?,3]) {
  %0 = index_update %x, %j, %y {axis = 0, mode = "set"} : f32[?,3]
  %1 = index_update %x, %j, %y {axis = -2, mode = "add"} : f32[?,3]
  return %0, %1
}
func @half(%x: f16[3], %i: i32[?], %y: f16[?]) -> (f16[3]) {
  %0 = index_update %x, %i, %y {axis = 0, mode = "add"} : f16[3]
  return %0
}
func @ints(%x: i32[2,4], %i: i8[2,?], %y: i32[]) -> (i32[2,4], i32[2,4]) {
  %0 = index_update %x, %i, %y {axis = -1, mode = "add"} : i32[2,4]
  %1 = index_update %x, %i, %y {axis = 1, mode = "set"} : i32[2,4]
  return %0, %1
}
func @count(%x: f32[4,2]) -> (f32[4,2]) {
  %z = constant {value = 0.0} : f32[4,2]
  %one = constant {value = 1.0} : f32[]
  %i = constant {value = dense<[1, 1, -4, 9]>} : i32[4]
  %0 = index_update %z, %i, %one {axis = 0, mode = "add"} : f32[4,2]
  %1 = mul %x, %z : f32[4,2]
  %2 = add %0, %1 : f32[4,2]
  return %2
}
func @emptyaxis(%x: f32[?], %i: i32[?], %y: f32[?]) -> (f32[?]) {
  %0 = index_update %x, %i, %y {axis = 0, mode = "add"} : f32[?]
  return %0
}
