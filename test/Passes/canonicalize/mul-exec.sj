// Execution of the multiplicative rewrites (mul.sj) at the inputs where an
// inexact rewrite shows: signed zeros (1/r shows the sign of a zero r),
// infinities, NaN, subnormals, values near overflow, INT_MIN.
// RUN: %python %S/../../Run/Inputs/write_npy.py %t.x.npy '<f4' 14 -inf,-3e38,-1.7e38,-0.0,0.0,1e-45,-1e-45,3e-45,1.1e-38,2.5,1e38,3e38,inf,nan
// RUN: %python %S/../../Run/Inputs/write_npy.py %t.y.npy '<f4' 14 2,-0.0,inf,0.0,-3,nan,1e-45,-inf,7,3e38,-2,0.5,1,-1e-40
// RUN: %python %S/../../Run/Inputs/write_npy.py %t.i.npy '<i4' 6 -2147483648,-1,0,7,65536,2147483647
// RUN: %symjit-run %s --check --func exact --input x=%t.x.npy --input y=%t.y.npy | FileCheck %s --check-prefix=EXACT
// EXACT: check: @exact passed
// With --fast-math, (x*2)/4 becomes x*0.5: finite at x = -3e38 where x*2
// overflows to -inf, so the check fails (out9):
// RUN: not %symjit-run %s --check --fast-math --func exact --input x=%t.x.npy --input y=%t.y.npy | FileCheck %s --check-prefix=FASTEXACT
// FASTEXACT: check: @exact fused out9 f32[14] FAILED
// FASTEXACT-NEXT: first mismatch at element 1: got -1.5e+38, reference -inf
// RUN: %symjit-run %s --check --func ints --input i=%t.i.npy | FileCheck %s --check-prefix=INTS
// INTS: check: @ints passed
// Without --fast-math the common factor stays and the result is the
// reference's, NaN at x = 0 and inf included; with it, (x*y)/x is y, which
// differs exactly there: the check must fail.
// RUN: %symjit-run %s --check --func cancel --input x=%t.x.npy --input y=%t.y.npy | FileCheck %s --check-prefix=CANCEL
// CANCEL: check: @cancel passed
// RUN: not %symjit-run %s --check --fast-math --func cancel --input x=%t.x.npy --input y=%t.y.npy | FileCheck %s --check-prefix=FAST
// FAST: check: @cancel fused out0 f32[14] FAILED
// FAST: check: @cancel FAILED
func @exact(%x: f32[14], %y: f32[14]) -> (f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14]) {
  %one = constant {value = 1.0} : f32[]
  %m1 = constant {value = -1.0} : f32[]
  %c2 = constant {value = 2.0} : f32[]
  %c3 = constant {value = 3.0} : f32[]
  %c4 = constant {value = 4.0} : f32[]
  %mh = constant {value = -0.5} : f32[]
  %a = mul %x, %m1 : f32[14]
  %ia = div %one, %a : f32[14]
  %b = div %x, %m1 : f32[14]
  %nx = neg %x : f32[14]
  %ny = neg %y : f32[14]
  %c = mul %nx, %ny : f32[14]
  %d = div %nx, %ny : f32[14]
  %e = div %x, %c4 : f32[14]
  %f = div %x, %mh : f32[14]
  %x3 = mul %c3, %x : f32[14]
  %g = mul %c2, %x3 : f32[14]
  %x4 = mul %x, %c4 : f32[14]
  %h = mul %c3, %x4 : f32[14]
  %x2 = mul %x, %c2 : f32[14]
  %k = div %x2, %c4 : f32[14]
  %ie = div %one, %e : f32[14]
  return %a, %ia, %b, %c, %d, %e, %f, %g, %h, %k, %ie, %x3
}

func @ints(%i: i32[6]) -> (i32[6], i32[6], i32[6], i32[6]) {
  %m1 = constant {value = -1} : i32[]
  %c5 = constant {value = 5} : i32[]
  %c7 = constant {value = 7} : i32[]
  %c3 = constant {value = 3} : i32[]
  %a = div %i, %m1 : i32[6]
  %i5 = mul %i, %c5 : i32[6]
  %b = mul %c7, %i5 : i32[6]
  %ni = neg %i : i32[6]
  %c = mul %ni, %c3 : i32[6]
  %d = mul %m1, %i : i32[6]
  return %a, %b, %c, %d
}

func @cancel(%x: f32[14], %y: f32[14]) -> (f32[14], f32[14]) {
  %xy = mul %x, %y : f32[14]
  %a = div %xy, %x : f32[14]
  %b = div %x, %x : f32[14]
  return %a, %b
}
