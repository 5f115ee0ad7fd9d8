// take / take_along_axis and their scatter_add adjoints against the
// double-precision reference, with indices in [-12, 12): negative ones wrap,
// out-of-range ones clamp (docs/ir.md). Through -O the gather fuses with the
// elementwise op that reads it.
// RUN: %symjit-run %s --check --func emb --int-range -12,12 --shape w=7x4 --shape ids=6x5 | FileCheck %s --check-prefix=EMB
// RUN: %symjit-run %s --check --func mid --int-range -12,12 --shape x=3x9x2 --shape i=4 | FileCheck %s --check-prefix=MID
// RUN: %symjit-run %s --check --func pick --int-range -12,12 --shape x=10x6 --shape y=10x3 | FileCheck %s --check-prefix=PICK
// RUN: %symjit-run %s --check --func bcast --int-range -12,12 --shape y=5x3 | FileCheck %s --check-prefix=BCAST
// RUN: %symjit-run %s --check --func scatter --int-range -12,12 --shape g=6x5x4 --shape ids=6x5 --shape w=7x4 | FileCheck %s --check-prefix=SCAT
// RUN: %symjit-run %s --check --func scatter_along --int-range -12,12 --shape g=10x3 --shape y=10x3 --shape x=10x6 | FileCheck %s --check-prefix=SCATA
// RUN: %symjit-opt %s -O | FileCheck %s --check-prefix=FUSED
// EMB: check: @emb passed
// MID: check: @mid passed
// PICK: check: @pick passed
// BCAST: check: @bcast passed
// SCAT: check: @scatter passed
// SCATA: check: @scatter_along passed
// The gather and the tanh run in one kernel:
// FUSED-LABEL: func @emb(
// FUSED: launch %w, %ids, %{{[0-9]+}} {kernel = @emb_f0}
// FUSED-NOT: launch
// FUSED: return
func @emb(%w: f32[?,4], %ids: i32[?,5]) -> (f32[?,5,4]) {
  %0 = take %w, %ids {axis = 0} : f32[?,5,4]
  %1 = tanh %0 : f32[?,5,4]
  return %1
}
func @mid(%x: f64[?,?,2], %i: i8[?]) -> (f64[?,?,2]) {
  %0 = take %x, %i {axis = 1} : f64[?,?,2]
  return %0
}
func @pick(%x: f32[?,6], %y: i64[?,3]) -> (f32[?,3]) {
  %0 = take_along_axis %x, %y {axis = -1} : f32[?,3]
  return %0
}
func @bcast(%x: f32[1,6], %y: i32[?,3]) -> (f32[?,3]) {
  %0 = take_along_axis %x, %y {axis = 1} : f32[?,3]
  return %0
}
func @scatter(%g: f32[?,5,4], %ids: i32[?,5], %w: f32[?,4]) -> (f32[?,4]) {
  %0 = scatter_add %g, %ids, %w {axis = 0} : f32[?,4]
  return %0
}
func @scatter_along(%g: f64[?,3], %y: i32[?,3], %x: f64[?,6]) -> (f64[?,6]) {
  %0 = scatter_add_along_axis %g, %y, %x {axis = 1} : f64[?,6]
  return %0
}
