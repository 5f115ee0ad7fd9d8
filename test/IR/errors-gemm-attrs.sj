// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// The verifier's rules for gemm's alpha/beta/accumulator/epilogue and addmm.
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op `beta` needs the accumulator operand %z after %c
  gemm %a, %b, %c {beta = 1.0}
  return
}
// -----
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4], %z: f32[4,2]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op accumulator f32[4,2] must have the output's type f32[2,4]
  gemm %a, %b, %c, %z {beta = 1.0}
  return
}
// -----
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op alpha and beta must be scalar numbers
  gemm %a, %b, %c {alpha = dense<[1.0, 2.0]>}
  return
}
// -----
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op attribute 'alpha' must be of kind num, got bool
  gemm %a, %b, %c {alpha = true}
  return
}
// -----
// An operand after %c without beta or epilogue has no meaning.
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op 1 operand after %c but no `epilogue`
  gemm %a, %b, %c, %c
  return
}
// -----
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op `epilogue_rows` without `epilogue`
  gemm %a, %b, %c {epilogue_rows = [0]}
  return
}
// -----
kernel @k(%in0: f32[?,4], %in1: f32[4]) {
  return
}
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4], %v: f32[4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op epilogue argument 1 (f32[4]) is sliced by rows but does not have the output's f32[2,4] rows
  gemm %a, %b, %c, %c, %v {epilogue = @k, epilogue_rows = [0, 1]}
  return
}
// -----
kernel @k(%in0: f32[?,4], %in1: f32[4]) {
  return
}
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4], %v: f32[4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op epilogue_rows must be increasing epilogue argument indices, got 2
  gemm %a, %b, %c, %c, %v {epilogue = @k, epilogue_rows = [0, 2]}
  return
}
// -----
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4], %v: f32[4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op refers to unknown kernel @nope
  gemm %a, %b, %c, %c, %v {epilogue = @nope, epilogue_rows = [0]}
  return
}
// -----
kernel @k(%in0: f32[?,4]) {
  return
}
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4], %z: f32[2,4], %v: f32[4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op passes 2 arguments but @k takes 1
  gemm %a, %b, %c, %z, %c, %v {beta = 1, epilogue = @k, epilogue_rows = [0]}
  return
}
// -----
kernel @k(%in0: f64[?,4]) {
  return
}
func @f(%a: f32[2,3], %b: f32[3,4], %c: f32[2,4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op argument 0 has type f32[2,4] but @k expects f64[?,4]
  gemm %a, %b, %c, %c {epilogue = @k, epilogue_rows = [0]}
  return
}
// -----
kernel @k(%in0: f32[?,2,4,4]) {
  return
}
func @f(%a: f32[2,2,4,3], %b: f32[3,4], %c: f32[2,2,4,4]) -> () {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:3: error: 'gemm' op an epilogue needs a rank-2 output or a rank-3 one (batched over its dim 0), got f32[2,2,4,4]
  gemm %a, %b, %c, %c {epilogue = @k}
  return
}
// -----
func @f(%x: f32[2,3], %y: f32[3,4], %z: f32[2,1]) -> (f32[2,4]) {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:8: error: 'addmm' op accumulator f32[2,1] must have the product's type f32[2,4]
  %0 = addmm %z, %x, %y : f32[2,4]
  return %0
}
// -----
func @f(%x: f32[2,3], %y: f32[3,4], %z: f32[2,4]) -> (f32[2,4]) {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:8: error: 'addmm' op alpha and beta must be scalar numbers
  %0 = addmm %z, %x, %y {beta = dense<[1.0]>} : f32[2,4]
  return %0
}
// -----
func @f(%x: f32[2,3], %y: f32[4,4], %z: f32[2,4]) -> (f32[2,4]) {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:8: error: 'addmm' op contracting dimensions differ: f32[2,3] and f32[4,4]
  %0 = addmm %z, %x, %y : f32[2,4]
  return %0
}
// -----
func @f(%x: f16[2,3], %y: f16[3,4], %z: f16[2,4]) -> (f16[2,4]) {
  // CHECK: errors-gemm-attrs.sj:[[@LINE+1]]:8: error: 'addmm' op runs in BLAS: operands must be f32 or f64, got f16[2,3]
  %0 = addmm %z, %x, %y : f16[2,4]
  return %0
}
