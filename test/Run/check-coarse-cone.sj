// An f32 output computed through a bf16 value is compared with bf16's
// tolerance: the bf16 mean (a sum scaled by a bf16 1/7) can land one bf16
// ulp from the exact mean the reference rounds once (fuzzer seed 30767).
// RUN: %symjit-run %s --check --random 30767 --range -2,2 --shape x=7x1x7 | FileCheck %s
// CHECK: check: @f passed
// An f32 output computed in f32 only keeps f32's tolerance: with --rtol 0
// --atol 0 an exact op passes and nothing is loosened behind it.
// RUN: %symjit-run %s --check --func g --rtol 0 --atol 0 | FileCheck %s --check-prefix=G
// G: check: @g passed
func @f(%x: bf16[?,1,7]) -> (f32[1,1,7]) {
  %m = mean %x {axes = [-3], keepdims = true} : bf16[1,1,7]
  %c = cast %m : f32[1,1,7]
  return %c
}

func @g(%x: f32[?]) -> (f32[?]) {
  %n = neg %x : f32[?]
  return %n
}
