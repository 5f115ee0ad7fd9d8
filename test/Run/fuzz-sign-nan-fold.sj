// Regression test: the bug below is fixed (issue 9); the text says how it was found.
// Found by the semantic fuzzer (seed 50772): `sign` of a NaN constant folds
// to 0, while the compiled rule (and docs/numerics.md, and numpy) give NaN:
// the constant folder's scalar rule evaluates (a > 0) - (a < 0), which is 0
// for NaN. Root cause: eval_sign in lib/ir/opdefs.c (the op table's
// evaluator, used by constant-fold). Not folded (@g: the NaN comes from an
// input), the same op is right.
// RUN: %symjit-run %s --check | FileCheck %s
// RUN: %symjit-run %s --check --func g --range 0,0 | FileCheck %s --check-prefix=G
// CHECK: check: @f passed
// G: check: @g passed
func @f() -> (f32[]) {
  %n = constant {value = nan} : f32[]
  %s = sign %n : f32[]
  return %s
}

func @g(%x: f32[]) -> (f32[]) {
  %z = div %x, %x : f32[]
  %s = sign %z : f32[]
  return %s
}
