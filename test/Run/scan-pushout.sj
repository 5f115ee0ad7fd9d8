// scan-pushout's rewrites compute what the loop computed: each function is
// checked (-O, with the pass) against the reference evaluator at inputs
// where a wrong rewrite shows: sequences with more rows than steps (a
// `%n` of 3 or a stop condition after 3 steps, so reading the whole
// sequence would add rows that never ran), backwards loops, zero steps,
// a row of lower rank than its product with an invariant (its steps' axis
// must stay in front), and the pass's IR is checked to have fired.
// RUN: %symjit-opt %s --passes=scan-pushout --pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
// RUN: %symjit-run %s --check --func projection --shape xs=6x4x5 | FileCheck %s
// RUN: %symjit-run %s --check --func projection --shape xs=1x4x5 | FileCheck %s
// RUN: %symjit-run %s --check --func projection --shape xs=0x4x5 | FileCheck %s
// RUN: %symjit-run %s --check --func bptt --shape xs=7x4x5 | FileCheck %s
// RUN: %symjit-run %s --check --func bptt --shape xs=0x4x5 | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t && %python %S/Inputs/write_npy.py %t/n3.npy '<i8' '' 3 && %python %S/Inputs/write_npy.py %t/n0.npy '<i8' '' 0
// RUN: %symjit-run %s --check --func counted --input n=%t/n3.npy --shape xs=6x4x5 --shape ds=6x4x3 | FileCheck %s
// RUN: %symjit-run %s --check --func counted --input n=%t/n0.npy --shape xs=6x4x5 --shape ds=6x4x3 | FileCheck %s
// RUN: %symjit-run %s --check --func until --shape xs=9x4 | FileCheck %s
// RUN: %symjit-run %s --check --func until --shape xs=2x4 | FileCheck %s
// RUN: %symjit-run %s --check --func until --shape xs=0x4 | FileCheck %s
// RUN: %symjit-run %s --check --func rows --shape vs=5x3 | FileCheck %s
// RUN: %symjit-run %s --check --func rows --shape vs=0x3 | FileCheck %s
// RUN: %symjit-run %s --check --func nested | FileCheck %s
// RUN: %symjit-run %s --check --func fusable --shape xs=5x4x3 | FileCheck %s
// RUN: %symjit-run %s --check --func fusable --shape xs=0x4x3 | FileCheck %s
// STATS:      scan-pushout
// STATS-NEXT:   (S)  2 ops-hoisted
// STATS-NEXT:   (S)  6 seq-elementwise
// STATS-NEXT:   (S)  2 seq-matmuls
// STATS-NEXT:   (S)  4 accum-sums
// STATS-NEXT:   (S)  3 accum-gemms
// STATS-NEXT:   (S)  1 rows-forwarded
// STATS-NEXT:   (S)  1 dead-outputs
// STATS-NEXT:   (S)  0 dead-states
// STATS-NEXT:   (S) 12 args-removed
// CHECK: check: @{{[a-z]+}} passed
// Under -O: the input projection is one gemm before the loop, the body
// one gemm (h @ U accumulated onto the projected row, tanh as its
// epilogue); the weight gradients are one gemm each after the backward
// loop (trans_a, accumulating onto the initial value: beta = 1).
// RUN: %symjit-opt %s -O | FileCheck %s --check-prefix=O
// O-LABEL: func @projection(
// O-NEXT:    %0 = reshape %xs : f32[?,5]
// O-NEXT:    %1 = dim %0 {axis = 0} : i64
// O-NEXT:    %2 = alloc %1 : f32[?,8]
// O-NEXT:    gemm %0, %w, %2
// O:         scan %4, %h0, %u {body = @projection.scan0, nseq = 1, nstate = 1}
// O-LABEL: func @projection.scan0(
// O-NEXT:    alloc
// O-NEXT:    alloc
// O-NEXT:    gemm %h, %uu, %0, %pb, %0, %1 {alpha = 1.0, beta = 1.0, epilogue = @projection.scan0_k0, epilogue_rows = [0, 1]}
// O-NEXT:    return
// O-LABEL: func @bptt(
// O-NEXT:    scan %xs, %g0, %u {body = @bptt.scan0, last = [0], nseq = 1, nstate = 1, reverse = true}
// O:         gemm %3, %4, %5, %dw0 {alpha = 1.0, beta = 1.0, trans_a = true}
// O:         gemm %6, %4, %7, %du0 {alpha = 1.0, beta = 1.0, trans_a = true}
// O-LABEL: func @bptt.scan0(
// O-NOT:     trans_a
// O:         return

// An LSTM-like cell: the input projection and the bias add leave the loop.
func @projection(%xs: f32[?,4,5], %h0: f32[4,8], %w: f32[5,8], %u: f32[8,8], %b: f32[8]) -> (f32[?,4,8], f32[4,8]) {
  %H, %L = scan %xs, %h0, %h0, %w, %u, %b {nseq = 1, nstate = 2, last = [1]} : f32[?,4,8], f32[4,8] (%x: f32[4,5], %h: f32[4,8], %l: f32[4,8], %ww: f32[5,8], %uu: f32[8,8], %bb: f32[8]) {
    %p = matmul %x, %ww : f32[4,8]
    %pb = add %p, %bb : f32[4,8]
    %r = matmul %h, %uu : f32[4,8]
    %q = add %pb, %r : f32[4,8]
    %h2 = tanh %q : f32[4,8]
    %l2 = add %l, %h2 : f32[4,8]
    yield %h2, %l2
  }
  return %H, %L
}

// A backward loop: dW += x_tᵀ d_t, dU += h_tᵀ d_t (both one GEMM after
// the loop), db += sum(d_t, 0).
func @bptt(%xs: f32[?,4,5], %g0: f32[4,3], %u: f32[3,3], %dw0: f32[5,3], %du0: f32[3,3], %db0: f32[3]) -> (f32[5,3], f32[3,3], f32[3]) {
  %G, %DW, %DU, %DB = scan %xs, %g0, %dw0, %du0, %db0, %u {nseq = 1, nstate = 4, last = [0, 1, 2, 3], reverse = true} : f32[4,3], f32[5,3], f32[3,3], f32[3] (%x: f32[4,5], %g: f32[4,3], %dw: f32[5,3], %du: f32[3,3], %db: f32[3], %uu: f32[3,3]) {
    %a = matmul %g, %uu : f32[4,3]
    %d = tanh %a : f32[4,3]
    %xt = transpose %x {perm = [1, 0]} : f32[5,4]
    %fw = matmul %xt, %d : f32[5,3]
    %dw2 = add %dw, %fw : f32[5,3]
    %gt = transpose %g {perm = [1, 0]} : f32[3,4]
    %fu = matmul %gt, %d : f32[3,3]
    %du2 = add %fu, %du : f32[3,3]
    %s = sum %d {axes = [0]} : f32[3]
    %db2 = sub %db, %s : f32[3]
    yield %d, %dw2, %du2, %db2
  }
  return %DW, %DU, %DB
}

// n = 3 steps of 6-row sequences: x and d are collected (3 rows), not read
// whole (6 rows).
func @counted(%n: i64[], %xs: f32[?,4,5], %ds: f32[?,4,3], %dw0: f32[5,3]) -> (f32[5,3]) {
  %DW = scan %n, %xs, %ds, %dw0 {has_n = true, nseq = 2, nstate = 1, last = [0]} : f32[5,3] (%x: f32[4,5], %d: f32[4,3], %dw: f32[5,3]) {
    %xt = transpose %x {perm = [1, 0]} : f32[5,4]
    %f = matmul %xt, %d : f32[5,3]
    %s = add %dw, %f : f32[5,3]
    yield %s
  }
  return %DW
}

// Stops after the step where the counter reaches 3 (or at the end of the
// rows): the accumulated sum covers the executed steps only.
func @until(%xs: f32[?,4], %a0: f32[4], %c0: f32[]) -> (f32[4], f32[], f32[?,4]) {
  %A, %C, %Y = scan %xs, %a0, %c0 {nseq = 1, nstate = 2, last = [0, 1], until = true} : f32[4], f32[], f32[?,4] (%x: f32[4], %a: f32[4], %c: f32[]) {
    %e = exp %x : f32[4]
    %a2 = add %a, %e : f32[4]
    %one = constant {value = 1.0} : f32[]
    %c2 = add %c, %one : f32[]
    %lim = constant {value = 3.0} : f32[]
    %stop = ge %c2, %lim : bool[]
    %y = mul %e, %x : f32[4]
    yield %a2, %c2, %y, %stop
  }
  return %A, %C, %Y
}

// v_t [3] times m [4,3]: the rows get a unit axis ([5,1,3]) so that the
// product over all steps is [5,4,3], row t being v_t * m.
func @rows(%vs: f32[?,3], %m: f32[4,3], %h0: f32[4,3]) -> (f32[?,4,3], f32[4,3]) {
  %H, %S = scan %vs, %h0, %h0, %m {nseq = 1, nstate = 2, last = [1]} : f32[?,4,3], f32[4,3] (%v: f32[3], %h: f32[4,3], %s: f32[4,3], %mm: f32[4,3]) {
    %g = mul %v, %mm : f32[4,3]
    %h2 = mul %g, %h : f32[4,3]
    %s2 = add %s, %g : f32[4,3]
    yield %h2, %s2
  }
  return %H, %S
}

// exp(w) leaves both loops; the inner loop's rows are the outer row.
func @nested(%xs: f32[5,3,4], %h0: f32[4], %w: f32[4]) -> (f32[4]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1, last = [0]} : f32[4] (%x: f32[3,4], %h: f32[4], %wo: f32[4]) {
    %I = scan %x, %h, %wo {nseq = 1, nstate = 1, last = [0]} : f32[4] (%r: f32[4], %g: f32[4], %wi: f32[4]) {
      %e = exp %wi : f32[4]
      %s = mul %r, %g : f32[4]
      %t = add %s, %e : f32[4]
      %t2 = mul %t, %t : f32[4]
      yield %t2
    }
    yield %I
  }
  return %H
}

// Rows read only by the step's elementwise ops stay in the loop (%s, %y);
// rows that feed x_t @ W or a reduction leave it (%t, %u).
func @fusable(%xs: f32[?,4,3], %h0: f32[4,3], %w: f32[3,3], %b: f32[3]) -> (f32[?,4,3], f32[?,4]) {
  %r0 = constant {value = 0.0} : f32[4]
  %H, %R = scan %xs, %h0, %r0, %w, %b {nseq = 1, nstate = 2} : f32[?,4,3], f32[?,4] (%x: f32[4,3], %h: f32[4,3], %r: f32[4], %ww: f32[3,3], %bb: f32[3]) {
    %s = exp %x : f32[4,3]
    %y = mul %s, %h : f32[4,3]
    %t = mul %x, %bb : f32[4,3]
    %p = matmul %t, %ww : f32[4,3]
    %z = add %y, %p : f32[4,3]
    %u = exp %x : f32[4,3]
    %q = sum %u {axes = [1]} : f32[4]
    %r2 = add %r, %q : f32[4]
    yield %z, %r2
  }
  return %H, %R
}
