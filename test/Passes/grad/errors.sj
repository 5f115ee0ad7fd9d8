// RUN: not %symjit-opt %s --grad=loss:nope 2>&1 | FileCheck %s
// RUN: not %symjit-opt %s --grad=missing:x 2>&1 | FileCheck %s --check-prefix=NOFN
// RUN: not %symjit-opt %s --grad=loss 2>&1 | FileCheck %s --check-prefix=BADSPEC
// RUN: not %symjit-opt %s --grad=vec:x 2>&1 | FileCheck %s --check-prefix=NOTSCALAR
// CHECK: error: --grad: @loss has no parameter %nope
// NOFN: error: --grad: no func @missing
// BADSPEC: error: --grad expects FUNC:PARAM[,PARAM...], got 'loss'
// NOTSCALAR: grad: the cost must be a float scalar, got f32[4]
func @loss(%x: f32[4]) -> (f32[]) {
  %0 = sum %x : f32[]
  return %0
}

func @vec(%x: f32[4]) -> (f32[4]) {
  %0 = exp %x : f32[4]
  return %0
}
