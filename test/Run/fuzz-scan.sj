// --check on scans: the compiled paths (outline-scan and the executor)
// against the reference evaluator's step-by-step run, over the modes the
// semantic fuzzer generates (test/fuzz-semantic/gen.c, gen_scan): states and
// outputs over every step, a run-time step count, reverse, until, zero
// steps, and a refusal all three agree on.
// States and outputs over every step, static step count:
// RUN: %symjit-run %s --check --func cumsum | FileCheck %s --check-prefix=CUMSUM
// CUMSUM: check: @cumsum passed
// A run-time step count, reverse, a state kept last:
// RUN: %symjit-run %s --check --func rev --shape xs=6x3 | FileCheck %s --check-prefix=REV
// REV: check: @rev passed
// until: m steps, m + 1 state rows (data-dependent):
// RUN: %symjit-run %s --check --func until --range 0.5,1.5 | FileCheck %s --check-prefix=UNTIL
// UNTIL: check: @until passed
// Zero steps: the initial state as one row, no output row:
// RUN: %symjit-run %s --check --func rev --shape xs=0x3 | FileCheck %s --check-prefix=ZERO
// ZERO: check: @rev passed
// A sequence shorter than %n: refused by the reference and both paths.
// RUN: not %symjit-run %s --check --func short --shape xs=2x3 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: error: reference evaluator: 'scan' op: sequence 0 has 2 rows, fewer than the 5 steps
// SHORT: check: @short refused consistently
func @cumsum(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3], f32[5]) {
  %H, %Y = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3], f32[5] (%x: f32[3], %h: f32[3], %v: f32[3]) {
    %m = mul %h, %v : f32[3]
    %h2 = add %m, %x : f32[3]
    %y = sum %h2 {axes = [0]} : f32[]
    yield %h2, %y
  }
  return %H, %Y
}

func @rev(%xs: f64[?,3], %h0: f64[3]) -> (f64[3], f64[?,3]) {
  %H, %Y = scan %xs, %h0 {last = [0], nseq = 1, nstate = 1, reverse = true} : f64[3], f64[?,3] (%x: f64[3], %h: f64[3]) {
    %h2 = add %h, %x : f64[3]
    %y = tanh %h2 : f64[3]
    yield %h2, %y
  }
  return %H, %Y
}

func @until(%n: i64[], %s0: f32[], %g: f32[]) -> (f32[?], f32[?]) {
  %S, %Y = scan %n, %s0, %g {has_n = true, nseq = 0, nstate = 1, until = true} : f32[?], f32[?] (%s: f32[], %k: f32[]) {
    %two = constant {value = 2.0} : f32[]
    %k2 = add %k, %two : f32[]
    %s2 = mul %s, %k2 : f32[]
    %lim = constant {value = 40.0} : f32[]
    %stop = gt %s2, %lim : bool[]
    yield %s2, %k2, %stop
  }
  return %S, %Y
}

func @short(%xs: f32[?,3], %h0: f32[3]) -> (f32[?,3]) {
  %five = constant {value = 5} : i32[]
  %H = scan %five, %xs, %h0 {has_n = true, nseq = 1, nstate = 1} : f32[?,3] (%x: f32[3], %h: f32[3]) {
    %h2 = add %h, %x : f32[3]
    yield %h2
  }
  return %H
}
