// RUN: %symjit-opt %s --grad=loss:x --passes=canonicalize,cse,constant-fold,canonicalize,dce | FileCheck %s
// RUN: %symjit-opt %s --grad=loss:x -O | FileCheck %s --check-prefix=OPT
// RUN: %symjit-opt %s --grad=loss:x | %symjit-run - --check --func loss_grad | FileCheck %s --check-prefix=EXEC
// d(sum(x**2))/dx through the gradient rule of pow, g * (2 * pow(x, 2 - 1)),
// with g the broadcast 1.0 of sum's gradient: constant-fold makes 2 - 1 a
// splat 1, pow(x, 1) is x, reshape and broadcast_to of the splat 1.0 are a
// splat, g * (2 * x) is 2 * x: one multiply (first run line: the -O pipeline's
// passes before fusion; second: the whole pipeline, whose gradient kernel
// holds that one multiply).
// EXEC: check: @loss_grad passed
// OPT-LABEL: kernel @loss_grad_k2(%in0: f32[4], %out0: f32[4]) {
// OPT-NEXT:   %c0 = constant {value = 0} : i64
// OPT-NEXT:   %c4 = constant {value = 4} : i64
// OPT-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// OPT-NEXT:     %1 = load %in0, %0 : f32
// OPT-NEXT:     %2 = constant {value = 2.0} : f32
// OPT-NEXT:     %3 = mul %2, %1 : f32
// OPT-NEXT:     store %3, %out0, %0
// OPT-NEXT:     yield
// OPT-NEXT:   }
// OPT-NEXT:   return
// OPT-NEXT: }
// CHECK-LABEL: func @loss(%x: f32[4]) -> (f32[]) {
// CHECK-NEXT:   %0 = mul %x, %x : f32[4]
// CHECK-NEXT:   %s = sum %0 : f32[]
// CHECK-NEXT:   return %s
// CHECK-NEXT: }
// CHECK-LABEL: func @loss_grad(%x: f32[4]) -> (f32[], f32[4]) {
// CHECK-NEXT:   %c2 = constant {value = 2.0} : f32[]
// CHECK-NEXT:   %0 = mul %x, %x : f32[4]
// CHECK-NEXT:   %s = sum %0 : f32[]
// CHECK-NEXT:   %1 = mul %c2, %x : f32[4]
// CHECK-NEXT:   return %s, %1
// CHECK-NEXT: }
func @loss(%x: f32[4]) -> (f32[]) {
  %c2 = constant {value = 2.0} : f32[]
  %p = pow %x, %c2 : f32[4]
  %s = sum %p : f32[]
  return %s
}
