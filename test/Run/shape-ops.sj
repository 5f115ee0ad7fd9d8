// reshape, transpose, broadcast_to, matmul (2-D and batched), constants.
// RUN: %symjit-run %s --check --func shapes --shape x=4x6 | FileCheck %s
// RUN: %symjit-run %s --check --func mm --shape a=5x7 --shape b=7x3 | FileCheck %s --check-prefix=MM
// RUN: %symjit-run %s --check --func bmm --shape a=2x5x7 --shape b=7x4 | FileCheck %s --check-prefix=BMM
// CHECK: check: @shapes passed
// MM: check: @mm passed
// BMM: check: @bmm passed
func @shapes(%x: f32[?,6]) -> (f32[6,?], f32[?,3,2], f32[3,?,6], f32[2,3]) {
  %0 = transpose %x {perm = [1, 0]} : f32[6,?]
  %1 = reshape %x : f32[?,3,2]
  %2 = broadcast_to %x : f32[3,?,6]
  %3 = constant {value = dense<[1.5, 2.0, -3.0, 4.0, 5.0, 6.25]>} : f32[2,3]
  return %0, %1, %2, %3
}

func @mm(%a: f32[?,7], %b: f32[7,?]) -> (f32[?,?]) {
  %0 = matmul %a, %b : f32[?,?]
  return %0
}

func @bmm(%a: f64[2,?,7], %b: f64[7,?]) -> (f64[2,?,?]) {
  %0 = matmul %a, %b : f64[2,?,?]
  return %0
}
