// Run-time input checks happen before any kernel runs and name the values.
// RUN: not %symjit-run %s --func f --shape x=3 --shape y=4 2>&1 | FileCheck %s
// RUN: not %symjit-run %s --func g --input x=%S/Inputs/missing.npy 2>&1 | FileCheck %s --check-prefix=NPY
// CHECK: shape mismatch before kernel @f_k{{[0-9]+}}: dim 0 of %{{x|y}} (f32[{{3|4}}]) is {{3|4}} but must equal dim 0 of %{{x|y|<[0-9]+>}}
// NPY: --input x: {{.*}}missing.npy
func @f(%x: f32[?], %y: f32[?]) -> (f32[?]) {
  %0 = add %x, %y : f32[?]
  return %0
}

func @g(%x: f32[3]) -> (f32[3]) {
  %0 = neg %x : f32[3]
  return %0
}
