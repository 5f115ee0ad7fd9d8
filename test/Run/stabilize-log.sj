// Naive spellings of softplus, log-sigmoid, log(1 - sigmoid), log1p and
// logaddexp compiled with -O (stabilize rewrites them) at the inputs that
// break them: exp(800) and exp(1e4) overflow (f32 already at 89), 1 + 1e-30
// rounds to 1, and the infinities and NaN. Exact printed values, f32 and f64.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/x32.npy '<f4' 12 -1e4,-800,-100,-1,-1e-30,0,1e-30,1,800,1e4,inf,-inf
// RUN: %python %S/Inputs/write_npy.py %t/x64.npy '<f8' 12 -1e4,-800,-100,-1,-1e-30,0,1e-30,1,800,1e4,inf,-inf
// RUN: %python %S/Inputs/write_npy.py %t/n32.npy '<f4' 1 nan
// RUN: %python %S/Inputs/write_npy.py %t/n64.npy '<f8' 1 nan
// RUN: %symjit-run %s --func log_f32 --input x=%t/x32.npy --input n=%t/n32.npy | FileCheck %s --check-prefix=F32
// RUN: %symjit-run %s --func log_f64 --input x=%t/x64.npy --input n=%t/n64.npy | FileCheck %s --check-prefix=F64
// Constants: folded at compile time (stabilize runs before constant-fold),
// log(1 + exp(800)) is 800 and log(1 + 1e-30) is 1e-30 (not inf and 0):
// RUN: %symjit-run %s --func folded | FileCheck %s --check-prefix=FOLD
// FOLD:      folded.out0: f32[] =
// FOLD-NEXT: 800
// FOLD-NEXT: folded.out1: f64[] =
// FOLD-NEXT: 800
// FOLD-NEXT: folded.out2: f64[] =
// FOLD-NEXT: 1e-30
//
// softplus(x) = log(1 + exp(x)): 0 below, x above (exp(-100) = 3.7e-44 is
// an f32 subnormal); -softplus(-x) = log(sigmoid(x)): x below, 0 above;
// -softplus(x) = log(1 - sigmoid(x)); log1p(x) = log(1 + x) keeps 1e-30.
// F32:      log_f32.out0: f32[12] =
// F32-NEXT: [0, 0, 3.8e-44, 0.3132617, 0.6931472, 0.6931472, 0.6931472, 1.3132617, 800, 10000, inf, 0]
// F32-NEXT: log_f32.out1: f32[12] =
// F32-NEXT: [-10000, -800, -100, -1.3132617, -0.6931472, -0.6931472, -0.6931472, -0.3132617, -0, -0, -0, -inf]
// F32-NEXT: log_f32.out2: f32[12] =
// F32-NEXT: [-0, -0, -3.8e-44, -0.3132617, -0.6931472, -0.6931472, -0.6931472, -1.3132617, -800, -10000, -inf, -0]
// F32-NEXT: log_f32.out3: f32[12] =
// F32-NEXT: [nan, nan, nan, -inf, -1e-30, 0, 1e-30, 0.6931472, 6.685861, 9.210441, inf, nan]
// F32-NEXT: log_f32.out4: f32[1] =
// F32-NEXT: [nan]
// F64:      log_f64.out0: f64[12] =
// F64-NEXT: [0, 0, 3.720075976020836e-44, 0.31326168751822286, 0.6931471805599453, 0.6931471805599453, 0.6931471805599453, 1.3132616875182228, 800, 10000, inf, 0]
// F64-NEXT: log_f64.out1: f64[12] =
// F64-NEXT: [-10000, -800, -100, -1.3132616875182228, -0.6931471805599453, -0.6931471805599453, -0.6931471805599453, -0.31326168751822286, -0, -0, -0, -inf]
// F64-NEXT: log_f64.out2: f64[12] =
// F64-NEXT: [-0, -0, -3.720075976020836e-44, -0.31326168751822286, -0.6931471805599453, -0.6931471805599453, -0.6931471805599453, -1.3132616875182228, -800, -10000, -inf, -0]
// F64-NEXT: log_f64.out3: f64[12] =
// F64-NEXT: [nan, nan, nan, -inf, -1e-30, 0, 1e-30, 0.6931471805599453, 6.68586094706836, 9.210440366976517, inf, nan]
// F64-NEXT: log_f64.out4: f64[1] =
// F64-NEXT: [nan]
func @log_f32(%x: f32[12], %n: f32[1]) -> (f32[12], f32[12], f32[12], f32[12], f32[1]) {
  %one = constant {value = 1.0} : f32[]
  %e = exp %x : f32[12]
  %a = add %one, %e : f32[12]
  %sp = log %a : f32[12]
  %s = sigmoid %x : f32[12]
  %ls = log %s : f32[12]
  %d = sub %one, %s : f32[12]
  %l1m = log %d : f32[12]
  %b = add %x, %one : f32[12]
  %lp = log %b : f32[12]
  %en = exp %n : f32[1]
  %an = add %one, %en : f32[1]
  %ln = log %an : f32[1]
  return %sp, %ls, %l1m, %lp, %ln
}

func @log_f64(%x: f64[12], %n: f64[1]) -> (f64[12], f64[12], f64[12], f64[12], f64[1]) {
  %one = constant {value = 1.0} : f64[]
  %e = exp %x : f64[12]
  %a = add %one, %e : f64[12]
  %sp = log %a : f64[12]
  %s = sigmoid %x : f64[12]
  %ls = log %s : f64[12]
  %d = sub %one, %s : f64[12]
  %l1m = log %d : f64[12]
  %b = add %x, %one : f64[12]
  %lp = log %b : f64[12]
  %en = exp %n : f64[1]
  %an = add %one, %en : f64[1]
  %ln = log %an : f64[1]
  return %sp, %ls, %l1m, %lp, %ln
}

func @folded() -> (f32[], f64[], f64[]) {
  %one = constant {value = 1.0} : f32[]
  %c = constant {value = 800.0} : f32[]
  %e = exp %c : f32[]
  %a = add %one, %e : f32[]
  %l = log %a : f32[]
  %one64 = constant {value = 1.0} : f64[]
  %c64 = constant {value = 800.0} : f64[]
  %e64 = exp %c64 : f64[]
  %a64 = add %e64, %one64 : f64[]
  %l64 = log %a64 : f64[]
  %t = constant {value = 1e-30} : f64[]
  %b = add %one64, %t : f64[]
  %m = log %b : f64[]
  return %l, %l64, %m
}
