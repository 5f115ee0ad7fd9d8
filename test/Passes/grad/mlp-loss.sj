// RUN: %symjit-opt %s --grad=loss:W,b | FileCheck %s
// RUN: %symjit-opt %s --grad=loss:W,b -O | FileCheck %s --check-prefix=OPT
// RUN: %symjit-opt %s --grad=loss:W,b | %symjit-run - --check --func loss_grad --shape x=5x4 | FileCheck %s --check-prefix=EXEC
// The gradient of a tanh layer's summed output: the broadcast bias gets a
// column sum, W gets x^T @ g; broadcasting back over the dynamic batch uses
// select(t != t, g, g), which takes its shape from t.
// CHECK-LABEL: func @loss(%x: f32[?,4], %W: f32[4,3], %b: f32[3]) -> (f32[]) {
// CHECK-NEXT:   %0 = matmul %x, %W : f32[?,3]
// CHECK-NEXT:   %1 = add %0, %b : f32[?,3]
// CHECK-NEXT:   %2 = tanh %1 : f32[?,3]
// CHECK-NEXT:   %3 = sum %2 : f32[]
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
// CHECK-LABEL: func @loss_grad(%x: f32[?,4], %W: f32[4,3], %b: f32[3]) -> (f32[], f32[4,3], f32[3]) {
// CHECK-NEXT:   %0 = matmul %x, %W : f32[?,3]
// CHECK-NEXT:   %1 = add %0, %b : f32[?,3]
// CHECK-NEXT:   %2 = tanh %1 : f32[?,3]
// CHECK-NEXT:   %3 = sum %2 : f32[]
// CHECK-NEXT:   %4 = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %5 = reshape %4 : f32[1,1]
// CHECK-NEXT:   %6 = ne %2, %2 : bool[?,3]
// CHECK-NEXT:   %7 = select %6, %5, %5 : f32[?,3]
// CHECK-NEXT:   %8 = mul %2, %2 : f32[?,3]
// CHECK-NEXT:   %9 = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %10 = sub %9, %8 : f32[?,3]
// CHECK-NEXT:   %11 = mul %7, %10 : f32[?,3]
// CHECK-NEXT:   %12 = sum %11 {axes = [0]} : f32[3]
// CHECK-NEXT:   %13 = transpose %x {perm = [1, 0]} : f32[4,?]
// CHECK-NEXT:   %14 = matmul %13, %11 : f32[4,3]
// CHECK-NEXT:   return %3, %14, %12
// CHECK-NEXT: }
func @loss(%x: f32[?,4], %W: f32[4,3], %b: f32[3]) -> (f32[]) {
  %0 = matmul %x, %W : f32[?,3]
  %1 = add %0, %b : f32[?,3]
  %2 = tanh %1 : f32[?,3]
  %3 = sum %2 : f32[]
  return %3
}
// OPT-LABEL: func @loss_grad(
// OPT: gemm
// OPT: launch
// EXEC: check: @loss_grad passed
