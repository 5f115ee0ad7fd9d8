// Run-time shape errors of a hand-written gemm with an accumulator and an
// epilogue: reported before anything runs, naming the operands.
// RUN: not %symjit-run %s --func rows --shape a=5x3 --shape v=6x4 2>&1 | FileCheck %s --check-prefix=ROWS
// RUN: not %symjit-run %s --func acc --shape a=5x3 --shape z=4x4 2>&1 | FileCheck %s --check-prefix=ACC
// RUN: %symjit-run %s --func rows --shape a=5x3 --shape v=5x4 | FileCheck %s --check-prefix=OK
// RUN: %symjit-run %s --func acc --shape a=5x3 --shape z=5x4 | FileCheck %s --check-prefix=OK
// OK: {{rows|acc}}.out0: f32[5,4] =
kernel @k(%in0: f32[?,4], %in1: f32[?,4]) {
  return
}
// ROWS: gemm-errors.sj:[[@LINE+4]]:3: error: matmul of %a (f32[5,3]) and %b (f32[3,4]) into %c (f32[5,4]): an epilogue argument sliced by rows needs the result's rows 6 and 5
func @rows(%a: f32[?,3], %b: f32[3,4], %v: f32[?,4]) -> (f32[?,4]) {
  %n = dim %a {axis = 0} : i64
  %c = alloc %n : f32[?,4]
  gemm %a, %b, %c, %c, %v {epilogue = @k, epilogue_rows = [0, 1]}
  return %c
}
// ACC: gemm-errors.sj:[[@LINE+4]]:3: error: matmul of %a (f32[5,3]) and %b (f32[3,4]) into %c (f32[5,4]): the accumulator needs the result's dims 4 and 5
func @acc(%a: f32[?,3], %b: f32[3,4], %z: f32[?,4]) -> (f32[?,4]) {
  %n = dim %a {axis = 0} : i64
  %c = alloc %n : f32[?,4]
  gemm %a, %b, %c, %z {alpha = 2.0, beta = -1.0}
  return %c
}
