// logaddexp and sigmoid (the ops stabilize produces) vectorize: vector
// llvm.maximum/fabs, the inline vector exp (no call: lib/codegen/math_lib.c),
// libmvec's log1p, the infinity select and sigmoid's sign select on vectors.
// REQUIRES: avx2
// RUN: %symjit-opt %s -O --emit-llvm | FileCheck %s
// CHECK-LABEL: define internal void @sjk_f_f0.impl.par0(
// CHECK: call <[[W:8|16]] x float> @llvm.maximum.v[[W]]f32(
// CHECK-NOT: call {{.*}}expf
// CHECK: call <[[W]] x float> @_ZGV{{d|e}}N[[W]]v_log1pf(
// CHECK: fcmp oeq <[[W]] x float> %{{.*}}, {{<float 0x7FF0000000000000|splat \(float 0x7FF0000000000000\)}}
// CHECK: select <[[W]] x i1>
// CHECK-NOT: call {{.*}}expf
// CHECK: fcmp oge <[[W]] x float>
// CHECK: select <[[W]] x i1>
func @f(%a: f32[?], %b: f32[?]) -> (f32[?], f32[?]) {
  %0 = logaddexp %a, %b : f32[?]
  %1 = sigmoid %a : f32[?]
  return %0, %1
}
