// Scan's modes, executed (docs/decisions/0014-scan.md, 0015-scan-execution.md):
// reverse, `last` on states (ping-pong over an odd and an even step count)
// and outputs, a step count from an i32/i64 input, sequences longer than n,
// the shortest-sequence rule, non-sequences, a state passed through, zero
// steps, zero-size rows, rank-0 states and `?` dims.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/xs4.npy '<f4' 4 1,2,3,4
// RUN: %python %S/Inputs/write_npy.py %t/h0.npy '<f4' '' 10
// RUN: %python %S/Inputs/write_npy.py %t/x3.npy '<f4' 3x2 2,3,4,5,6,7
// RUN: %python %S/Inputs/write_npy.py %t/x4.npy '<f4' 4x2 2,3,4,5,6,7,8,9
// RUN: %python %S/Inputs/write_npy.py %t/x0.npy '<f4' 0x2 ''
// RUN: %python %S/Inputs/write_npy.py %t/hh.npy '<f4' 2 1,1
// RUN: %python %S/Inputs/write_npy.py %t/n.npy '<i4' '' 3
// RUN: %python %S/Inputs/write_npy.py %t/a.npy '<f4' 5 1,2,3,4,5
// RUN: %python %S/Inputs/write_npy.py %t/b.npy '<f4' 4 10,20,30,40
// RUN: %python %S/Inputs/write_npy.py %t/w.npy '<f4' '' 2
// RUN: %python %S/Inputs/write_npy.py %t/k0.npy '<f4' '' 7
// RUN: %python %S/Inputs/write_npy.py %t/n0.npy '<i8' '' 0
// RUN: %python %S/Inputs/write_npy.py %t/n2.npy '<i8' '' 2
// RUN: %python %S/Inputs/write_npy.py %t/x32.npy '<f4' 3x2 1,2,3,4,5,6
// RUN: %python %S/Inputs/write_npy.py %t/h2.npy '<f4' 2 10,20
// RUN: %python %S/Inputs/write_npy.py %t/x40.npy '<f4' 4x0 ''
// RUN: %python %S/Inputs/write_npy.py %t/h0e.npy '<f4' 0 ''
// RUN: %python %S/Inputs/write_npy.py %t/n4.npy '<i8' '' 4
// RUN: %symjit-run %s --func rev --input xs=%t/xs4.npy --input h0=%t/h0.npy --print | FileCheck %s --check-prefix=REV
// RUN: %symjit-run %s --func rev --input xs=%t/xs4.npy --input h0=%t/h0.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func last --input xs=%t/x3.npy --input h0=%t/hh.npy --print | FileCheck %s --check-prefix=ODD
// RUN: %symjit-run %s --func last --input xs=%t/x3.npy --input h0=%t/hh.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func last --input xs=%t/x4.npy --input h0=%t/hh.npy --print | FileCheck %s --check-prefix=EVEN
// RUN: %symjit-run %s --func last --input xs=%t/x4.npy --input h0=%t/hh.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: not %symjit-run %s --func last --input xs=%t/x0.npy --input h0=%t/hh.npy 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: %symjit-run %s --func withn --input n=%t/n.npy --input xs=%t/a.npy --input ys=%t/b.npy --input w=%t/w.npy --input h0=%t/h0.npy --input k0=%t/k0.npy --print | FileCheck %s --check-prefix=WITHN
// RUN: %symjit-run %s --func withn --input n=%t/n.npy --input xs=%t/a.npy --input ys=%t/b.npy --input w=%t/w.npy --input h0=%t/h0.npy --input k0=%t/k0.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func shortest --input xs=%t/x4.npy --input ys=%t/a.npy --print | FileCheck %s --check-prefix=SHORT
// RUN: %symjit-run %s --func shortest --input xs=%t/x4.npy --input ys=%t/a.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func zero --input n=%t/n0.npy --input xs=%t/x32.npy --input h0=%t/h2.npy --print | FileCheck %s --check-prefix=ZERO
// RUN: %symjit-run %s --func zero --input n=%t/n0.npy --input xs=%t/x32.npy --input h0=%t/h2.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func zero --input n=%t/n2.npy --input xs=%t/x32.npy --input h0=%t/h2.npy --print | FileCheck %s --check-prefix=TWO
// RUN: %symjit-run %s --func zero --input n=%t/n2.npy --input xs=%t/x32.npy --input h0=%t/h2.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func zero --input n=%t/n4.npy --input xs=%t/x40.npy --input h0=%t/h0e.npy --print | FileCheck %s --check-prefix=EMPTY
// RUN: %symjit-run %s --func zero --input n=%t/n4.npy --input xs=%t/x40.npy --input h0=%t/h0e.npy --check | FileCheck %s --check-prefix=CHECKED
// CHECKED: check: @{{[a-z0-9]+}} passed
// REV:      rev.out0: f32[5] =
// REV-NEXT: [20, 19, 17, 14, 10]
// REV-NEXT: rev.out1: f32[4] =
// REV-NEXT: [20, 38, 51, 56]
// ODD:      last.out0: f32[2] =
// ODD-NEXT: [48, 105]
// ODD-NEXT: last.out1: f32[2] =
// ODD-NEXT: [54, 112]
// EVEN:      last.out0: f32[2] =
// EVEN-NEXT: [384, 945]
// EVEN-NEXT: last.out1: f32[2] =
// EVEN-NEXT: [392, 954]
// NONE: {{.*}}scan-modes.sj:100:12: error: scan: output 1 is kept 'last' but the loop runs zero steps
// WITHN:      withn.out0: f32[4] =
// WITHN-NEXT: [10, 12, 16, 22]
// WITHN-NEXT: withn.out1: f32[4] =
// WITHN-NEXT: [7, 7, 7, 7]
// WITHN-NEXT: withn.out2: f32[3] =
// WITHN-NEXT: [2, -4, -8]
// SHORT:      shortest.out0: f32[4,2] =
// SHORT-NEXT: {{\[}}[2, 3],
// SHORT-NEXT:  [8, 10],
// SHORT-NEXT:  [18, 21],
// SHORT-NEXT:  [32, 36]]
// ZERO:      zero.out0: f32[1,2] =
// ZERO-NEXT: {{\[}}[10, 20]]
// ZERO-NEXT: zero.out1: f32[0,2] =
// ZERO-NEXT: []
// ZERO-NEXT: zero.out2: f32[2] =
// ZERO-NEXT: [10, 20]
// TWO:      zero.out0: f32[3,2] =
// TWO-NEXT: {{\[}}[10, 20],
// TWO-NEXT:  [11, 22],
// TWO-NEXT:  [14, 26]]
// TWO-NEXT: zero.out1: f32[2,2] =
// TWO-NEXT: {{\[}}[99, 396],
// TWO-NEXT:  [84, 364]]
// TWO-NEXT: zero.out2: f32[2] =
// TWO-NEXT: [6, 14]
// EMPTY:      zero.out0: f32[5,0] =
// EMPTY-NEXT: []
// EMPTY-NEXT: zero.out1: f32[4,0] =
// EMPTY-NEXT: []
// EMPTY-NEXT: zero.out2: f32[0] =
// EMPTY-NEXT: []
// reverse: t = n-1 .. 0; the state's row n is the initial value, row t the
// state after consuming rows t..n-1; outputs line up with the sequence.
func @rev(%xs: f32[4], %h0: f32[]) -> (f32[5], f32[4]) {
  %H, %Y = scan %xs, %h0 {nseq = 1, nstate = 1, reverse = true} : f32[5], f32[4] (%x: f32[], %h: f32[]) {
    %h2 = add %h, %x : f32[]
    %y = mul %h2, %x : f32[]
    yield %h2, %y
  }
  return %H, %Y
}
// `last` on a state (ping-pong; odd and even step counts) and an output.
func @last(%xs: f32[?,2], %h0: f32[2]) -> (f32[2], f32[2]) {
  %H, %Y = scan %xs, %h0 {nseq = 1, nstate = 1, last = [0, 1]} : f32[2], f32[2] (%x: f32[2], %h: f32[2]) {
    %h2 = mul %h, %x : f32[2]
    %y = add %h2, %x : f32[2]
    yield %h2, %y
  }
  return %H, %Y
}
// n from an i32 input; sequences longer than n are read up to row n-1;
// a non-sequence; two sequences; a state that passes through unchanged.
func @withn(%n: i32[], %xs: f32[?], %ys: f32[?], %w: f32[], %h0: f32[], %k0: f32[]) -> (f32[?], f32[?], f32[?]) {
  %H, %K, %Y = scan %n, %xs, %ys, %h0, %k0, %w {nseq = 2, nstate = 2, has_n = true} : f32[?], f32[?], f32[?] (%x: f32[], %y: f32[], %h: f32[], %k: f32[], %v: f32[]) {
    %p = mul %x, %v : f32[]
    %h2 = add %h, %p : f32[]
    %o = sub %h2, %y : f32[]
    yield %h2, %k, %o
  }
  return %H, %K, %Y
}
// Without n: the shortest sequence sets the step count.
func @shortest(%xs: f32[?,2], %ys: f32[?]) -> (f32[?,2]) {
  %Y = scan %xs, %ys {nseq = 2, nstate = 0} : f32[?,2] (%x: f32[2], %y: f32[]) {
    %o = mul %x, %y : f32[2]
    yield %o
  }
  return %Y
}
// Zero steps (an i64 n of 0): states keep only their initial value, outputs
// have no rows. Zero-size rows (f32[4,0]) run 4 steps over empty tensors.
func @zero(%n: i64[], %xs: f32[?,?], %h0: f32[?]) -> (f32[?,?], f32[?,?], f32[?]) {
  %H, %L, %Y = scan %n, %xs, %h0, %h0 {nseq = 1, nstate = 2, has_n = true, last = [1]} : f32[?,?], f32[?], f32[?,?] (%x: f32[?], %h: f32[?], %g: f32[?]) {
    %h2 = add %h, %x : f32[?]
    %g2 = sub %g, %x : f32[?]
    %o = mul %h2, %g2 : f32[?]
    yield %h2, %g2, %o
  }
  return %H, %Y, %L
}
