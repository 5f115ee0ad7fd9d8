// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// gemm runs through BLAS, which has f32 and f64 only: a half-precision gemm
// is rejected by the verifier, not when it is called (a half `matmul` is
// widened to f32 before it becomes a gemm: docs/decisions/0005).
func @f(%a: f16[2,3], %b: f16[3,4], %c: f16[2,4]) -> () {
  // CHECK: errors-gemm-dtype.sj:[[@LINE+1]]:3: error: 'gemm' op operands must be f32 or f64 (BLAS), got f16[2,3]
  gemm %a, %b, %c
  return
}
// -----
func @f(%a: bf16[3,2], %b: bf16[3,4], %c: bf16[2,4]) -> () {
  // CHECK: errors-gemm-dtype.sj:[[@LINE+1]]:3: error: 'gemm' op operands must be f32 or f64 (BLAS), got bf16[3,2]
  gemm %a, %b, %c {trans_a = true}
  return
}
// -----
func @f(%a: i32[2,3], %b: i32[3,4], %c: i32[2,4]) -> () {
  // CHECK: errors-gemm-dtype.sj:[[@LINE+1]]:3: error: 'gemm' op operands must be f32 or f64 (BLAS), got i32[2,3]
  gemm %a, %b, %c
  return
}
// -----
// Mixed dtypes are named as such.
func @f(%a: f32[2,3], %b: f64[3,4], %c: f32[2,4]) -> () {
  // CHECK: errors-gemm-dtype.sj:[[@LINE+1]]:3: error: 'gemm' op operand dtypes differ: f32[2,3] and f64[3,4]
  gemm %a, %b, %c
  return
}
