// f32 exp is inline arithmetic (lib/codegen/math_lib.c), not a libm call:
// its special values, overflow edge (88.7228 is the last finite input),
// subnormal results (rounded once: exp(-103.97) is the smallest subnormal,
// exp(-104) rounds to 0), and sigmoid/softplus built on it. The 17 inputs
// exercise the vector body and the scalar remainder alike.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/x.npy '<f4' 17 nan,inf,-inf,0,-0,1,88.72283,88.7229,100,1e30,-1e30,-87.3,-103.97,-104,-200,-3.4e38,-1
// RUN: %symjit-run %s --input x=%t/x.npy --print | FileCheck %s
// RUN: %symjit-run %s --input x=%t/x.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --check --dim 100000 --range -87,88 | FileCheck %s --check-prefix=CHECKED
// CHECK: e.out0: f32[17] =
// CHECK-NEXT: [nan, inf, 0, 1, 1, 2.7182817, 3.4027985e+38, inf, inf, inf, 0, 1.2192433e-38, 1e-45, 0, 0, 0, 0.36787945]
// CHECK-NEXT: e.out1: f32[17] =
// CHECK-NEXT: [nan, 1, 0, 0.5, 0.5, 0.7310586, 1, 1, 1, 1, 0, 1.2192433e-38, 1e-45, 0, 0, 0, 0.26894143]
// CHECK-NEXT: e.out2: f32[17] =
// CHECK-NEXT: [nan, inf, 0, 0.6931472, 0.6931472, 1.3132617, 88.72283, 88.7229, 100, 1e+30, 0, 1.2192433e-38, 1e-45, 0, 0, 0, 0.3132617]
// CHECKED: check: @e passed
func @e(%x: f32[?]) -> (f32[?], f32[?], f32[?]) {
  %0 = exp %x : f32[?]
  %1 = sigmoid %x : f32[?]
  %2 = softplus %x : f32[?]
  return %0, %1, %2
}
