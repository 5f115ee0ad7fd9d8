// The examples, executed: fusion and loop fusion must give the same numbers
// as the unfused path and the reference.
// RUN: %symjit-run %examples/elementwise.sj --check --dim 10000 | FileCheck %s --check-prefix=EW
// RUN: %symjit-run %examples/logsumexp.sj --check --dim 5000 | FileCheck %s --check-prefix=LSE
// RUN: %symjit-run %examples/log_softmax.sj --check --dim 17 | FileCheck %s --check-prefix=LS
// RUN: %symjit-run %examples/mlp_layer.sj --check --dim 9 | FileCheck %s --check-prefix=MLP
// RUN: %symjit-run %s --check --shape x=3x4 | FileCheck %s
// EW: check: @f passed
// LSE: check: @logsumexp passed
// LS: check: @log_softmax passed
// MLP: check: @mlp passed
// CHECK: check: @multi passed
// A value used both inside and outside a fusion group (multi-output).
func @multi(%x: f32[?,4]) -> (f32[?,4], f32[?,4], f32[?]) {
  %0 = exp %x : f32[?,4]
  %1 = mul %0, %x : f32[?,4]
  %2 = sum %0 {axes = [1]} : f32[?]
  return %0, %1, %2
}
