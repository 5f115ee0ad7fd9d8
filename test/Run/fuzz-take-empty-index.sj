// Regression test: the bug below is fixed (issue 9); the text says how it was found.
// Found by the semantic fuzzer: `take` from an axis that is empty at run
// time with an index tensor that is empty too indexes nothing, and numpy
// returns an empty result (np.take(np.zeros((0, 3)), np.zeros((0,), int),
// axis=0) has shape (0, 3)); the reference does the same. The compiled paths
// refuse it before the kernel runs ("dim 0 of %x (f32[0,3]) is 0 but must be
// at least 1"). Root cause: the executor's launch check for clamped take
// indices (lib/api, extent_check) requires a non-empty axis even when the
// iteration space is empty. (Fuzzer: FUZZ_AVOID=take-empty.) The refusal of
// a non-empty index into an empty axis stays (test/Run/errors.sj).
// RUN: %symjit-run %s --check --shape x=0x3 --shape i=0 | FileCheck %s
// CHECK: check: @f passed
func @f(%x: f32[?,3], %i: i64[?]) -> (f32[?,3]) {
  %t = take %x, %i {axis = 0} : f32[?,3]
  return %t
}
