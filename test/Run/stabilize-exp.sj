// Naive spellings of expm1, sigmoid and logaddexp compiled with -O
// (stabilize rewrites them) at the inputs that break them. Exact printed
// values, f32 and f64.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/x32.npy '<f4' 12 -1e4,-800,-100,-1,-1e-30,0,1e-30,1,800,1e4,inf,-inf
// RUN: %python %S/Inputs/write_npy.py %t/x64.npy '<f8' 12 -1e4,-800,-100,-1,-1e-30,0,1e-30,1,800,1e4,inf,-inf
// RUN: %python %S/Inputs/write_npy.py %t/a32.npy '<f4' 12 -inf,inf,inf,inf,nan,1,800,1e4,-800,0,1e-30,-1e4
// RUN: %python %S/Inputs/write_npy.py %t/b32.npy '<f4' 12 -inf,inf,-inf,1,1,nan,800,-1e4,-800,0,-1e-30,1e4
// RUN: %python %S/Inputs/write_npy.py %t/a64.npy '<f8' 12 -inf,inf,inf,inf,nan,1,800,1e4,-800,0,1e-30,-1e4
// RUN: %python %S/Inputs/write_npy.py %t/b64.npy '<f8' 12 -inf,inf,-inf,1,1,nan,800,-1e4,-800,0,-1e-30,1e4
// RUN: %symjit-run %s --func exp_f32 --input x=%t/x32.npy --input a=%t/a32.npy --input b=%t/b32.npy | FileCheck %s --check-prefix=F32
// RUN: %symjit-run %s --func exp_f64 --input x=%t/x64.npy --input a=%t/a64.npy --input b=%t/b64.npy | FileCheck %s --check-prefix=F64
//
// out0 exp(x) - 1 = expm1(x): 1e-30 survives, -1 below, inf above.
// out1 exp(x) / (1 + exp(x)) and out2 1 / (1 + exp(-x)) = sigmoid(x): 0
// and 1 at the extremes, never inf / inf = NaN; sigmoid(-100) in f32 is a
// subnormal. out3 exp(a) / (exp(a) + exp(b)) = sigmoid(a - b) (NaN where
// a - b is: two equal infinities, as the naive inf / inf).
// out4 log(exp(a) + exp(b)) = logaddexp(a, b): -inf for two -inf, inf for
// inf and anything but NaN (inf, inf included), NaN with a NaN, a + log(2)
// for a = b, the larger for far apart values.
// F32:      exp_f32.out0: f32[12] =
// F32-NEXT: [-1, -1, -1, -0.63212055, -1e-30, 0, 1e-30, 1.7182817, inf, inf, inf, -1]
// F32-NEXT: exp_f32.out1: f32[12] =
// F32-NEXT: [0, 0, 3.8e-44, 0.26894143, 0.5, 0.5, 0.5, 0.7310586, 1, 1, 1, 0]
// F32-NEXT: exp_f32.out2: f32[12] =
// F32-NEXT: [0, 0, 3.8e-44, 0.26894143, 0.5, 0.5, 0.5, 0.7310586, 1, 1, 1, 0]
// F32-NEXT: exp_f32.out3: f32[12] =
// F32-NEXT: [nan, nan, 1, 1, nan, nan, 0.5, 1, 0.5, 0.5, 0.5, 0]
// F32-NEXT: exp_f32.out4: f32[12] =
// F32-NEXT: [-inf, inf, inf, inf, nan, nan, 800.6932, 10000, -799.3068, 0.6931472, 0.6931472, 10000]
// F64:      exp_f64.out0: f64[12] =
// F64-NEXT: [-1, -1, -1, -0.6321205588285577, -1e-30, 0, 1e-30, 1.718281828459045, inf, inf, inf, -1]
// F64-NEXT: exp_f64.out1: f64[12] =
// F64-NEXT: [0, 0, 3.720075976020836e-44, 0.26894142136999516, 0.5, 0.5, 0.5, 0.7310585786300049, 1, 1, 1, 0]
// F64-NEXT: exp_f64.out2: f64[12] =
// F64-NEXT: [0, 0, 3.720075976020836e-44, 0.26894142136999516, 0.5, 0.5, 0.5, 0.7310585786300049, 1, 1, 1, 0]
// F64-NEXT: exp_f64.out3: f64[12] =
// F64-NEXT: [nan, nan, 1, 1, nan, nan, 0.5, 1, 0.5, 0.5, 0.5, 0]
// F64-NEXT: exp_f64.out4: f64[12] =
// F64-NEXT: [-inf, inf, inf, inf, nan, nan, 800.6931471805599, 10000, -799.3068528194401, 0.6931471805599453, 0.6931471805599453, 10000]
func @exp_f32(%x: f32[12], %a: f32[12], %b: f32[12]) -> (f32[12], f32[12], f32[12], f32[12], f32[12]) {
  %one = constant {value = 1.0} : f32[]
  %e = exp %x : f32[12]
  %em1 = sub %e, %one : f32[12]
  %d = add %one, %e : f32[12]
  %s1 = div %e, %d : f32[12]
  %nx = neg %x : f32[12]
  %en = exp %nx : f32[12]
  %dn = add %en, %one : f32[12]
  %s2 = div %one, %dn : f32[12]
  %ea = exp %a : f32[12]
  %eb = exp %b : f32[12]
  %sab = add %ea, %eb : f32[12]
  %s3 = div %ea, %sab : f32[12]
  %lae = log %sab : f32[12]
  return %em1, %s1, %s2, %s3, %lae
}

func @exp_f64(%x: f64[12], %a: f64[12], %b: f64[12]) -> (f64[12], f64[12], f64[12], f64[12], f64[12]) {
  %one = constant {value = 1.0} : f64[]
  %e = exp %x : f64[12]
  %em1 = sub %e, %one : f64[12]
  %d = add %one, %e : f64[12]
  %s1 = div %e, %d : f64[12]
  %nx = neg %x : f64[12]
  %en = exp %nx : f64[12]
  %dn = add %en, %one : f64[12]
  %s2 = div %one, %dn : f64[12]
  %ea = exp %a : f64[12]
  %eb = exp %b : f64[12]
  %sab = add %ea, %eb : f64[12]
  %s3 = div %ea, %sab : f64[12]
  %lae = log %sab : f64[12]
  return %em1, %s1, %s2, %s3, %lae
}
