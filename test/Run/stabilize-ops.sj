// The stable ops themselves (what stabilize rewrites into), fused and
// unfused, against the double-precision reference evaluator (--check: NaN
// matches only NaN, an infinity only itself), at extreme inputs and on
// random ones; logaddexp also broadcast, at rank 0, empty and with dynamic
// dims, in every float dtype.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/a32.npy '<f4' 16 -inf,inf,inf,inf,nan,1,800,1e4,-800,0,1e-30,-1e4,-100,-88,89,-1
// RUN: %python %S/Inputs/write_npy.py %t/b32.npy '<f4' 16 -inf,inf,-inf,1,1,nan,800,-1e4,-800,0,-1e-30,1e4,100,-89,88,-2
// RUN: %python %S/Inputs/write_npy.py %t/a64.npy '<f8' 16 -inf,inf,inf,inf,nan,1,800,1e4,-800,0,1e-30,-1e4,-100,-740,710,-1
// RUN: %python %S/Inputs/write_npy.py %t/b64.npy '<f8' 16 -inf,inf,-inf,1,1,nan,800,-1e4,-800,0,-1e-30,1e4,100,-745,709,-2
// RUN: %symjit-run %s --check --func ops_f32 --input a=%t/a32.npy --input b=%t/b32.npy | FileCheck %s --check-prefix=F32
// RUN: %symjit-run %s --check --func ops_f64 --input a=%t/a64.npy --input b=%t/b64.npy | FileCheck %s --check-prefix=F64
// RUN: %symjit-run %s --check --func ops_f32 --random 3 --range -120,120 | FileCheck %s --check-prefix=F32
// RUN: %symjit-run %s --check --func ops_f64 --random 4 --range -800,800 | FileCheck %s --check-prefix=F64
// RUN: %symjit-run %s --check --func shapes --shape d=5x3 --dim 3 | FileCheck %s --check-prefix=SHAPES
// RUN: %symjit-run %s --check --func shapes --shape d=0x3 --dim 3 | FileCheck %s --check-prefix=SHAPES
// RUN: %symjit-run %s --check --func halves --range -30,30 | FileCheck %s --check-prefix=HALVES
// F32: check: @ops_f32 passed
// F64: check: @ops_f64 passed
// SHAPES: check: @shapes passed
// HALVES: check: @halves passed
// Exact values at the IEEE cases (the reference agreeing is not enough):
// RUN: %symjit-run %s --func lae_f64 --input a=%t/a64.npy --input b=%t/b64.npy | FileCheck %s --check-prefix=LAE
// LAE:      lae_f64.out0: f64[16] =
// LAE-NEXT: [-inf, inf, inf, inf, nan, nan, 800.6931471805599, 10000, -799.3068528194401, 0.6931471805599453, 0.6931471805599453, 10000, 100, -739.9932846515109, 710.3132616875182, -0.6867383124817772]
func @ops_f32(%a: f32[16], %b: f32[16]) -> (f32[16], f32[16], f32[16], f32[16], f32[16], f32[16]) {
  %0 = logaddexp %a, %b : f32[16]
  %1 = sigmoid %a : f32[16]
  %2 = softplus %a : f32[16]
  %3 = log1p %b : f32[16]
  %4 = expm1 %a : f32[16]
  %5 = logaddexp %b, %a : f32[16]
  return %0, %1, %2, %3, %4, %5
}

func @ops_f64(%a: f64[16], %b: f64[16]) -> (f64[16], f64[16], f64[16], f64[16], f64[16], f64[16]) {
  %0 = logaddexp %a, %b : f64[16]
  %1 = sigmoid %a : f64[16]
  %2 = softplus %a : f64[16]
  %3 = log1p %b : f64[16]
  %4 = expm1 %a : f64[16]
  %5 = logaddexp %b, %a : f64[16]
  return %0, %1, %2, %3, %4, %5
}

func @lae_f64(%a: f64[16], %b: f64[16]) -> (f64[16]) {
  %0 = logaddexp %a, %b : f64[16]
  return %0
}

func @shapes(%m: f32[4,3], %v: f32[3], %s: f32[], %d: f64[?,3], %e: f64[3]) -> (f32[4,3], f32[3], f32[], f64[?,3]) {
  %0 = logaddexp %m, %v : f32[4,3]
  %1 = logaddexp %s, %v : f32[3]
  %2 = logaddexp %s, %s : f32[]
  %3 = logaddexp %d, %e : f64[?,3]
  return %0, %1, %2, %3
}

func @halves(%h: f16[32], %g: f16[32], %b: bf16[32], %c: bf16[32]) -> (f16[32], bf16[32]) {
  %0 = logaddexp %h, %g : f16[32]
  %1 = logaddexp %b, %c : bf16[32]
  return %0, %1
}
