// RUN: %symjit-opt %s --grad=f:x,y | FileCheck %s
// RUN: %symjit-opt %s --grad=f:x,y | %symjit-run - --check --func f_grad --shape x=4x5 | FileCheck %s --check-prefix=EXEC
// The gradient graphs of slice and slice_update (docs/decisions/0010): the
// slice's adjoint writes g into zeros shaped like its operand (the shape of
// a dynamic x through select(t != t, 0, 0)); the "set" update passes g with
// its region zeroed to x, and g's region summed over the broadcast rows to y.
// CHECK-LABEL: func @f(%x: f32[?,5], %y: f32[3]) -> (f32[]) {
// CHECK-NEXT:   %0 = slice_update %x, %y {mode = "set", start = [0, 1], step = [1, 1], stop = [9223372036854775807, 4]} : f32[?,5]
// CHECK-NEXT:   %1 = slice %0 {start = [-1, 0], step = [-1, 2], stop = [-9223372036854775807, 5]} : f32[?,3]
// CHECK-NEXT:   %2 = mul %1, %1 : f32[?,3]
// CHECK-NEXT:   %3 = sum %2 : f32[]
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-LABEL: func @f_grad(%x: f32[?,5], %y: f32[3]) -> (f32[], f32[?,5], f32[3]) {
// CHECK-NEXT:   %0 = slice_update %x, %y {mode = "set", start = [0, 1], step = [1, 1], stop = [9223372036854775807, 4]} : f32[?,5]
// CHECK-NEXT:   %1 = slice %0 {start = [-1, 0], step = [-1, 2], stop = [-9223372036854775807, 5]} : f32[?,3]
// CHECK-NEXT:   %2 = mul %1, %1 : f32[?,3]
// CHECK-NEXT:   %3 = sum %2 : f32[]
// CHECK-NEXT:   %4 = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %5 = reshape %4 : f32[1,1]
// CHECK-NEXT:   %6 = ne %2, %2 : bool[?,3]
// CHECK-NEXT:   %7 = select %6, %5, %5 : f32[?,3]
// CHECK-NEXT:   %8 = mul %7, %1 : f32[?,3]
// CHECK-NEXT:   %9 = mul %7, %1 : f32[?,3]
// CHECK-NEXT:   %10 = add %8, %9 : f32[?,3]
// CHECK-NEXT:   %11 = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %12 = ne %0, %0 : bool[?,5]
// CHECK-NEXT:   %13 = select %12, %11, %11 : f32[?,5]
// CHECK-NEXT:   %14 = slice_update %13, %10 {mode = "set", start = [-1, 0], step = [-1, 2], stop = [-9223372036854775807, 5]} : f32[?,5]
// CHECK-NEXT:   %15 = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %16 = slice_update %14, %15 {mode = "set", start = [0, 1], step = [1, 1], stop = [9223372036854775807, 4]} : f32[?,5]
// CHECK-NEXT:   %17 = slice %14 {start = [0, 1], step = [1, 1], stop = [9223372036854775807, 4]} : f32[?,3]
// CHECK-NEXT:   %18 = sum %17 {axes = [0]} : f32[3]
// CHECK-NEXT:   return %3, %16, %18
// CHECK-NEXT: }
// EXEC: check: @f_grad passed
func @f(%x: f32[?,5], %y: f32[3]) -> (f32[]) {
  %0 = slice_update %x, %y {mode = "set", start = [0, 1], step = [1, 1], stop = [9223372036854775807, 4]} : f32[?,5]
  %1 = slice %0 {start = [-1, 0], step = [-1, 2], stop = [-9223372036854775807, 5]} : f32[?,3]
  %2 = mul %1, %1 : f32[?,3]
  %3 = sum %2 : f32[]
  return %3
}
