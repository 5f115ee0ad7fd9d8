// Regression test: the bug below is fixed (issue 9); the text says how it was found.
// Found by the semantic fuzzer (issue 9, "either run f16/bf16 matmul or
// reject it in the verifier, not at call time"): a bf16 (or f16) matmul
// verifies, compiles, then fails at call time with "gemm failed (unsupported
// dtype or shapes)" while the reference evaluates it. Root cause: the gemm
// runtime has no half-precision path and the verifier accepts the dtype.
// (Fuzzer: FUZZ_AVOID=half-matmul leaves this class out until fixed.)
// RUN: %symjit-run %s --check --shape x=2x3 | FileCheck %s
// CHECK: check: @f passed
func @f(%x: bf16[?,3]) -> (bf16[?,?]) {
  %t = transpose %x {perm = [1, 0]} : bf16[3,?]
  %m = matmul %x, %t : bf16[?,?]
  return %m
}
