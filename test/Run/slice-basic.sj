// slice against the double-precision reference: forward, negative and
// reversed steps, bounds past either end, empty and zero-size results, the
// int64 limits standing for an omitted bound, dynamic dims resolved on the
// call's sizes (slice_len), f16 and i32. Through -O the gather fuses with the
// elementwise op that reads it.
// RUN: %symjit-run %s --check --func steps --shape x=7x9 | FileCheck %s --check-prefix=STEPS
// RUN: %symjit-run %s --check --func dyn --shape x=6x5 | FileCheck %s --check-prefix=DYN
// RUN: %symjit-run %s --check --func dyn --shape x=1x3 | FileCheck %s --check-prefix=DYN
// RUN: %symjit-run %s --check --func dyn --shape x=0x4 | FileCheck %s --check-prefix=DYN
// RUN: %symjit-run %s --check --func empty --shape x=4x0 | FileCheck %s --check-prefix=EMPTY
// RUN: %symjit-run %s --check --func half --shape x=11 | FileCheck %s --check-prefix=HALF
// RUN: %symjit-run %s --check --func ints --int-range -100,100 --shape x=3x8 | FileCheck %s --check-prefix=INTS
// RUN: %symjit-run %s --print --func pick --int-range 0,100 | FileCheck %s --check-prefix=PICK
// RUN: %symjit-opt %s -O | FileCheck %s --check-prefix=FUSED
// STEPS: check: @steps passed
// DYN: check: @dyn passed
// EMPTY: check: @empty passed
// HALF: check: @half passed
// INTS: check: @ints passed
// @pick slices a known constant [[0..3], [4..7], [8..11]] (x, random, is
// added and subtracted back): rows 2, 0 and columns 3, 1 (steps -2).
// PICK: pick.out0: i32[2,2] =
// PICK-NEXT: {{^\[\[}}11, 9],
// PICK-NEXT: {{^ \[}}3, 1]]
// The gather and the exp run in one kernel:
// FUSED-LABEL: func @steps(
// FUSED-NEXT: %0 = alloc : f32[3,4]
// FUSED-NEXT: launch %x, %0 {kernel = @steps_f0}
// FUSED-NEXT: return %0
func @steps(%x: f32[7,9]) -> (f32[3,4]) {
  %0 = slice %x {start = [-1, 1], step = [-3, 2], stop = [-9223372036854775807, 100]} : f32[3,4]
  %1 = exp %0 : f32[3,4]
  return %1
}
func @dyn(%x: f64[?,?]) -> (f64[?,?], f64[?,?], f64[?,?], f64[?,?]) {
  %0 = slice %x {start = [1, 0], step = [2, 1], stop = [9223372036854775807, 9223372036854775807]} : f64[?,?]
  %1 = slice %x {start = [9223372036854775807, -2], step = [-1, -2], stop = [-9223372036854775807, -9223372036854775807]} : f64[?,?]
  %2 = slice %x {start = [-3, 4], step = [1, 1], stop = [-1, 2]} : f64[?,?]
  %3 = slice %x {start = [-100, 1], step = [5, 3], stop = [100, -1]} : f64[?,?]
  return %0, %1, %2, %3
}
func @empty(%x: f32[4,?]) -> (f32[0,?], f32[2,?]) {
  %0 = slice %x {start = [2, 0], step = [1, 1], stop = [2, 9223372036854775807]} : f32[0,?]
  %1 = slice %x {start = [3, 1], step = [-2, 1], stop = [-9223372036854775807, 3]} : f32[2,?]
  return %0, %1
}
func @half(%x: f16[?]) -> (f16[?]) {
  %0 = slice %x {start = [-2], step = [-3], stop = [0]} : f16[?]
  %1 = mul %0, %0 : f16[?]
  return %1
}
func @ints(%x: i32[3,?]) -> (i32[2,?]) {
  %0 = slice %x {start = [0, 7], step = [2, -1], stop = [3, -9223372036854775807]} : i32[2,?]
  return %0
}
func @pick(%x: i32[2,2]) -> (i32[2,2]) {
  %c = constant {value = dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]>} : i32[3,4]
  %0 = slice %c {start = [2, 3], step = [-2, -2], stop = [-9223372036854775807, -9223372036854775807]} : i32[2,2]
  %1 = add %0, %x : i32[2,2]
  %2 = sub %1, %x : i32[2,2]
  return %2
}
