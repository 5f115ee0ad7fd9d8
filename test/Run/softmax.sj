// The softmax ops against the double-precision reference, fused and
// unfused, at logits of +-1e4 (exp overflows in f32 and f64 without the
// row max) and labels in [-2, 8) around 5 classes (outside [0, 5): NaN rows,
// checked NaN for NaN); zero-size and dynamic batches.
// RUN: %symjit-run %s --check --func xent32 --range -1e4,1e4 --int-range -2,8 --shape x=64x5 --shape y=64 | FileCheck %s --check-prefix=X32
// RUN: %symjit-run %s --check --func xent64 --range -1e4,1e4 --int-range -2,8 --shape x=3x5x7 --shape y=3x7 | FileCheck %s --check-prefix=X64
// RUN: %symjit-run %s --check --func xent32 --shape x=0x5 --shape y=0 | FileCheck %s --check-prefix=X32
// RUN: %symjit-run %s --check --func sm --range -1e4,1e4 --shape x=9x6 --shape z=2x9x4 | FileCheck %s --check-prefix=SM
// RUN: %symjit-run %s --check --func sm --shape x=0x6 --shape z=2x0x4 | FileCheck %s --check-prefix=SM
// RUN: %symjit-run %s --check --func xent_r1 --range -1e4,1e4 --int-range -2,8 --shape x=5 | FileCheck %s --check-prefix=R1
// RUN: %symjit-run %s --check --func special | FileCheck %s --check-prefix=SPEC
// RUN: %symjit-run %s --func special --print | FileCheck %s --check-prefix=SPECV
// X32: check: @xent32 passed
// X64: check: @xent64 passed
// SM: check: @sm passed
// R1: check: @xent_r1 passed
// SPEC: check: @special passed
// A NaN or +inf in a row makes the row NaN (inf - inf), as numpy and JAX do;
// -inf entries are probabilities 0 (log -inf); an all -inf row is NaN.
// SPECV:      sp{{.*}}out0: f32[5,3] =
// SPECV-NEXT: {{^\[\[}}nan, nan, nan],
// SPECV-NEXT: {{^}} [nan, nan, nan],
// SPECV-NEXT: {{^}} [nan, nan, nan],
// SPECV-NEXT: {{^}} [0, 0.2689414{{[0-9]*}}, 0.731058{{[0-9]*}}],
// SPECV-NEXT: {{^}} [nan, nan, nan]]
// SPECV:      out2: f32[5] =
// SPECV-NEXT: {{^}}[nan, nan, nan, inf, nan]
func @xent32(%x: f32[?,5], %y: i32[?]) -> (f32[?]) {
  %0 = softmax_xent %x, %y {axis = 1} : f32[?]
  return %0
}
func @xent64(%x: f64[?,5,7], %y: i64[?,7]) -> (f64[?,7]) {
  %0 = softmax_xent %x, %y {axis = -2} : f64[?,7]
  return %0
}
func @sm(%x: f32[?,6], %z: f64[2,?,4]) -> (f32[?,6], f32[?,6], f64[2,?,4], f64[2,?,4]) {
  %0 = softmax %x {axis = 1} : f32[?,6]
  %1 = log_softmax %x {axis = 0} : f32[?,6]
  %2 = softmax %z {axis = 1} : f64[2,?,4]
  %3 = log_softmax %z {axis = -1} : f64[2,?,4]
  return %0, %1, %2, %3
}
func @xent_r1(%x: f32[5], %y: i32[]) -> (f32[]) {
  %0 = softmax_xent %x, %y {axis = 0} : f32[]
  return %0
}
func @special() -> (f32[5,3], f32[5,3], f32[5]) {
  %x = constant {value = dense<[nan, 0.0, 1.0, inf, 0.0, 1.0, -inf, -inf, -inf, -inf, 0.0, 1.0, inf, inf, 0.0]>} : f32[5,3]
  %y = constant {value = dense<[1, 1, 0, 0, 2]>} : i32[5]
  %0 = softmax %x {axis = 1} : f32[5,3]
  %1 = log_softmax %x {axis = 1} : f32[5,3]
  %2 = softmax_xent %x, %y {axis = 1} : f32[5]
  return %0, %1, %2
}
