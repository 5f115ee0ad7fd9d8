// Execution of the power specializations (power.sj) at the inputs where a
// naive rewrite goes wrong, against the reference evaluator's pow (C99
// Annex F): signed zeros (1/r shows the sign of a zero r), infinities, NaN,
// a subnormal, negative bases, overflow and underflow.
// RUN: %python %S/../../Run/Inputs/write_npy.py %t.x.npy '<f4' 14 -inf,-3,-2.5,-1,-0.0,0.0,1e-40,0.3,1,2,3.5,1e20,inf,nan
// RUN: %symjit-run %s --check --func ints --input x=%t.x.npy | FileCheck %s --check-prefix=INTS
// INTS: check: @ints passed
// RUN: %symjit-run %s --check --func roots --input x=%t.x.npy | FileCheck %s --check-prefix=ROOTS
// ROOTS: check: @roots passed
// f16 (x**2 and x**-1 expanded, x**3 kept as pow: power.sj @half):
// RUN: %symjit-run %s --check --func half --input x=%t.x.npy | FileCheck %s --check-prefix=HALF
// HALF: check: @half passed
// The same in f64:
// RUN: %python %S/../../Run/Inputs/write_npy.py %t.d.npy '<f8' 8 -inf,-4,-0.0,0.0,1e-310,2,inf,nan
// RUN: %symjit-run %s --check --func roots64 --input x=%t.d.npy | FileCheck %s --check-prefix=R64
// R64: check: @roots64 passed
// With --fast-math, x**0.5 is sqrt(x): -0 and -inf give -0 and NaN where
// pow gives +0 and +inf, so the check must fail (the flag reaches
// symjit-run, and the guards of the exact form are what make it pass).
// RUN: not %symjit-run %s --check --fast-math --func roots --input x=%t.x.npy | FileCheck %s --check-prefix=FAST
// FAST: check: @roots fused out0 f32[14] FAILED
// FAST: first mismatch at element 0: got nan, reference inf
// FAST: check: @roots FAILED
// x**-2 = (1/x)**2: for |x| = 2e19, x*x overflows f32 (1/(x*x) would be
// 0) while x**-2 = 2.5e-39 is a subnormal; times 1e38 that is 0.25.
// RUN: %python %S/../../Run/Inputs/write_npy.py %t.n.npy '<f4' 5 2e19,-2e19,1e19,3e-20,3
// RUN: %symjit-run %s --check --func neg2 --input x=%t.n.npy | FileCheck %s --check-prefix=NEG2
// NEG2: check: @neg2 passed
// RUN: %symjit-run %s --func neg2 --input x=%t.n.npy --print | FileCheck %s --check-prefix=NEG2V
// NEG2V: neg2.out0: f32[5] =
// NEG2V-NEXT: [0.2500{{[0-9]*}}, 0.2500{{[0-9]*}}, 1, inf, 1.111{{[0-9]*}}e+37]
func @ints(%x: f32[14]) -> (f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14], f32[14]) {
  %c0 = constant {value = 0.0} : f32[]
  %c1 = constant {value = 1.0} : f32[]
  %cm1 = constant {value = -1.0} : f32[]
  %c2 = constant {value = 2.0} : f32[]
  %cm2 = constant {value = -2.0} : f32[]
  %c3 = constant {value = 3.0} : f32[]
  %cm3 = constant {value = -3.0} : f32[]
  %c16 = constant {value = 16.0} : f32[]
  %cm16 = constant {value = -16.0} : f32[]
  %a = pow %x, %c0 : f32[14]
  %b = pow %x, %c1 : f32[14]
  %c = pow %x, %cm1 : f32[14]
  %d = pow %x, %c2 : f32[14]
  %e = pow %x, %cm2 : f32[14]
  %f = pow %x, %c3 : f32[14]
  %g = pow %x, %cm3 : f32[14]
  %h = pow %x, %c16 : f32[14]
  %i = pow %x, %cm16 : f32[14]
  %ib = div %c1, %b : f32[14]
  %id = div %c1, %d : f32[14]
  %if = div %c1, %f : f32[14]
  %ig = div %c1, %g : f32[14]
  return %a, %b, %c, %d, %e, %f, %g, %h, %i, %ib, %id, %if, %ig
}

func @roots(%x: f32[14]) -> (f32[14], f32[14], f32[14], f32[14]) {
  %h = constant {value = 0.5} : f32[]
  %mh = constant {value = -0.5} : f32[]
  %one = constant {value = 1.0} : f32[]
  %a = pow %x, %h : f32[14]
  %b = pow %x, %mh : f32[14]
  %ia = div %one, %a : f32[14]
  %ib = div %one, %b : f32[14]
  return %a, %b, %ia, %ib
}

func @roots64(%x: f64[8]) -> (f64[8], f64[8], f64[8], f64[8]) {
  %h = constant {value = 0.5} : f64[]
  %mh = constant {value = -0.5} : f64[]
  %one = constant {value = 1.0} : f64[]
  %a = pow %x, %h : f64[8]
  %b = pow %x, %mh : f64[8]
  %ia = div %one, %a : f64[8]
  %ib = div %one, %b : f64[8]
  return %a, %b, %ia, %ib
}

func @neg2(%x: f32[5]) -> (f32[5]) {
  %cm2 = constant {value = -2.0} : f32[]
  %big = constant {value = 1e38} : f32[]
  %p = pow %x, %cm2 : f32[5]
  %r = mul %p, %big : f32[5]
  return %r
}

func @half(%x: f32[14]) -> (f16[14], f16[14], f16[14], f16[14]) {
  %h = cast %x : f16[14]
  %c2 = constant {value = 2.0} : f16[]
  %cm1 = constant {value = -1.0} : f16[]
  %c3 = constant {value = 3.0} : f16[]
  %a = pow %h, %c2 : f16[14]
  %b = pow %h, %cm1 : f16[14]
  %c = pow %h, %c3 : f16[14]
  %hh = constant {value = 0.5} : f16[]
  %d = pow %h, %hh : f16[14]
  return %a, %b, %c, %d
}
