// Run-time input checks happen before any kernel runs and name the values.
// RUN: not %symjit-run %s --func f --shape x=3 --shape y=4 2>&1 | FileCheck %s
// RUN: not %symjit-run %s --func g --input x=%S/Inputs/missing.npy 2>&1 | FileCheck %s --check-prefix=NPY
// CHECK: shape mismatch before kernel @f_k{{[0-9]+}}: dim 0 of %{{x|y}} (f32[{{3|4}}]) is {{3|4}} but must equal dim 0 of %{{x|y|<[0-9]+>}}
// NPY: --input x: {{.*}}missing.npy
// A take from an axis that is empty at run time fails before the kernel runs
// (numpy raises IndexError) instead of reading out of bounds:
// RUN: not %symjit-run %s --func t --shape w=0x4 --shape i=3 2>&1 | FileCheck %s --check-prefix=TAKE
// TAKE: shape mismatch before kernel @t_k0: dim 0 of %w (f32[0,4]) is 0 but must be at least 1
func @f(%x: f32[?], %y: f32[?]) -> (f32[?]) {
  %0 = add %x, %y : f32[?]
  return %0
}

func @g(%x: f32[3]) -> (f32[3]) {
  %0 = neg %x : f32[3]
  return %0
}

func @t(%w: f32[?,4], %i: i32[?]) -> (f32[?,4]) {
  %0 = take %w, %i {axis = 0} : f32[?,4]
  return %0
}
