// Regression test: the bug below is fixed (issue 10); the text says how it was found.
// Found by the semantic fuzzer (special mode, seed 232 of the generator of
// commit bb71664): an f32 matmul of values up to 7e4, cast to i64, was off
// by a few hundred against the reference. Both sides are right: the compiled
// f32 matmul accumulates in f32 (within f32's tolerance, 1 ulp here, 2048
// at 2.1e10), the reference in double, and the cast keeps that ulp. The
// checker compared int outputs exactly; an int computed from a float now
// gets that float's tolerance (docs/numerics.md), while an int or bool not
// cast from a float stays exact.
// RUN: %symjit-run %s --check --random 232 --range -70000,70000 --shape v1=5x7 | FileCheck %s
// CHECK: check: @f fused out0 i64[5,5] ok
// CHECK: check: @f unfused out0 i64[5,5] ok
// CHECK: check: @f passed
func @f(%v1: f32[5,?]) -> (i64[5,5]) {
  %v7 = transpose %v1 {perm = [1, 0]} : f32[?,5]
  %v8 = matmul %v1, %v7 : f32[5,5]
  %v11 = cast %v8 : i64[5,5]
  return %v11
}
