// Regression test: the bug below is fixed (issue 9); the text says how it was found.
// Found by the semantic fuzzer (special mode, seed 50716): an f16 sum of
// large finite values and one -inf gives NaN in the compiled code, where the
// exact sum is -inf: the f16 accumulator overflows to +inf on the finite
// values before it meets the -inf. Root cause: f16/bf16 sums accumulate in
// f16 (issue 9: "accumulate f16/bf16 sums in f32"; lower-to-loops / the
// reduction codegen); with an f32 accumulator the finite part (< 2^22) stays
// finite and the result is -inf, as the reference computes it.
// RUN: %symjit-run %s --check --range 60000,65000 --dim 64 | FileCheck %s
// CHECK: check: @f passed
func @f(%x: f32[?]) -> (f16[]) {
  %h = cast %x : f16[?]
  %t = constant {value = 64800.0} : f16[]
  %m = gt %h, %t : bool[?]
  %n = constant {value = -inf} : f16[]
  %y = select %m, %n, %h : f16[?]
  %s = sum %y : f16[]
  return %s
}
