// Regression test: the bug below is fixed (issue 9); the text says how it was found.
// Found by the semantic fuzzer's oracle work (issue 9): an i64 constant
// above 2^53 loses its low bits in the compiled code (x + (2^53+1) comes out
// one short), with only lower-to-loops in the pipeline too, so the constant
// passes through a double between the IR attribute (exact int64) and the
// kernel. Suspected: lowering/codegen building scalar constants from a
// double (sj_build_scalar(dt, double) or the constant emission), not the
// parser (the reference evaluator reads the same attribute exactly). The
// constant folder loses it too: `abs` of 607918851165863398 folds to
// 607918851165863424 (it evaluates in double; passes/constant-fold.c).
// RUN: %symjit-run %s --check --int-range -1000,1000 --dim 8 | FileCheck %s
// RUN: %symjit-run %s --check --int-range -1000,1000 --dim 8 --passes=lower-to-loops | FileCheck %s
// RUN: %symjit-run %s --check --func folded | FileCheck %s --check-prefix=FOLD
// CHECK: check: @f passed
// FOLD: check: @folded passed
func @f(%x: i64[?]) -> (i64[?], i64[?]) {
  %c = constant {value = 9007199254740993} : i64[]
  %a = add %x, %c : i64[?]
  %m = constant {value = 9223372036854775806} : i64[]
  %b = sub %m, %x : i64[?]
  return %a, %b
}

func @folded() -> (i64[]) {
  %c = constant {value = 607918851165863398} : i64[]
  %a = abs %c : i64[]
  return %a
}
