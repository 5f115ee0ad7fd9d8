// f16 and bf16: casts between every float type (f16 <-> bf16 goes through
// f32, never a bitcast) and arithmetic that computes in f32 and rounds once.
// RUN: %symjit-run %s --check --func halves --range -4,4 --shape x=64 --rtol 1e-2 --atol 1e-2 | FileCheck %s
// CHECK: check: @halves passed
func @halves(%x: f32[?]) -> (f32[?], f32[?], f32[?], f64[?]) {
  %h = cast %x : f16[?]
  %b = cast %h : bf16[?]
  %h2 = cast %b : f16[?]
  %e = exp %h2 : f16[?]
  %s = add %e, %h : f16[?]
  %0 = cast %s : f32[?]
  %1 = cast %b : f32[?]
  %2 = cast %h2 : f32[?]
  %3 = cast %b : f64[?]
  return %0, %1, %2, %3
}
