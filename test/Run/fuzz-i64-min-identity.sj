// Regression test: the bug below is fixed (issue 9); the text says how it was found.
// Found by the semantic fuzzer (issue 9, "the i64 min identity is wrong"):
// min over an empty axis of an i64 tensor gives 9223372036854774784
// (2^63 - 1024, INT64_MAX rounded through double) instead of INT64_MAX,
// in both the fused and the unfused paths. Root cause: the combine identity
// is a double (sj_combine_identity in lib/ir/opdefs.c); the reference uses
// the exact int64 identity.
// RUN: %symjit-run %s --check --shape i=4x0 | FileCheck %s
// CHECK: check: @f passed
func @f(%i: i64[?,?]) -> (i64[?]) {
  %g = min %i {axes = [1]} : i64[?]
  return %g
}
