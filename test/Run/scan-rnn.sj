// A recurrent layer in a scan body: two matmuls (gemm, the second with the
// first as accumulator and bias + tanh + a row sum as its epilogue, written
// straight into the state's rows) and a `last` output. It must equal the same
// three steps unrolled, bit for bit (same kernels, same inputs: --random
// draws by parameter). The scan's rows 1..3 and last output are printed and
// matched against the unrolled function's values.
// RUN: %symjit-run %s --func rnn --random 5 --print > %t.scan
// RUN: %symjit-run %s --func unrolled --random 5 --print > %t.unrolled
// RUN: cat %t.scan %t.unrolled | FileCheck %s
// RUN: %symjit-run %s --func rnn --random 5 --check | FileCheck %s --check-prefix=CHECKED
// CHECKED: check: @rnn passed
// CHECK:      rnn.out1: f32[2,4] =
// CHECK-NEXT: {{\[}}[[A1:.+]]
// CHECK-NEXT: [[A2:.+]]
// CHECK-NEXT: rnn.out2: f32[2,4] =
// CHECK-NEXT: {{\[}}[[B1:.+]]
// CHECK-NEXT: [[B2:.+]]
// CHECK-NEXT: rnn.out3: f32[2,4] =
// CHECK-NEXT: {{\[}}[[C1:.+]]
// CHECK-NEXT: [[C2:.+]]
// CHECK-NEXT: rnn.out4: f32[2] =
// CHECK-NEXT: [[Y:.+]]
// CHECK:      unrolled.out0: f32[2,4] =
// CHECK-NEXT: {{\[}}[[A1]]
// CHECK-NEXT: [[A2]]
// CHECK-NEXT: unrolled.out1: f32[2,4] =
// CHECK-NEXT: {{\[}}[[B1]]
// CHECK-NEXT: [[B2]]
// CHECK-NEXT: unrolled.out2: f32[2,4] =
// CHECK-NEXT: {{\[}}[[C1]]
// CHECK-NEXT: [[C2]]
// CHECK-NEXT: unrolled.out3: f32[2] =
// CHECK-NEXT: [[Y]]
func @rnn(%xs: f32[3,2,3], %h0: f32[2,4], %W: f32[3,4], %U: f32[4,4], %b: f32[4]) -> (f32[4,2,4], f32[2,4], f32[2,4], f32[2,4], f32[2]) {
  %H, %L = scan %xs, %h0, %W, %U, %b {nseq = 1, nstate = 1, last = [1]} : f32[4,2,4], f32[2] (%x: f32[2,3], %h: f32[2,4], %w: f32[3,4], %u: f32[4,4], %bb: f32[4]) {
    %p = matmul %x, %w : f32[2,4]
    %q = matmul %h, %u : f32[2,4]
    %s = add %p, %q : f32[2,4]
    %s2 = add %s, %bb : f32[2,4]
    %h2 = tanh %s2 : f32[2,4]
    %y = sum %h2 {axes = [1]} : f32[2]
    yield %h2, %y
  }
  %r1 = slice %H {start = [1, 0, 0], stop = [2, 2, 4], step = [1, 1, 1]} : f32[1,2,4]
  %H1 = reshape %r1 : f32[2,4]
  %r2 = slice %H {start = [2, 0, 0], stop = [3, 2, 4], step = [1, 1, 1]} : f32[1,2,4]
  %H2 = reshape %r2 : f32[2,4]
  %r3 = slice %H {start = [3, 0, 0], stop = [4, 2, 4], step = [1, 1, 1]} : f32[1,2,4]
  %H3 = reshape %r3 : f32[2,4]
  return %H, %H1, %H2, %H3, %L
}
func @unrolled(%xs: f32[3,2,3], %h0: f32[2,4], %W: f32[3,4], %U: f32[4,4], %b: f32[4]) -> (f32[2,4], f32[2,4], f32[2,4], f32[2]) {
  %xa0 = slice %xs {start = [0, 0, 0], stop = [1, 2, 3], step = [1, 1, 1]} : f32[1,2,3]
  %x0 = reshape %xa0 : f32[2,3]
  %p0 = matmul %x0, %W : f32[2,4]
  %q0 = matmul %h0, %U : f32[2,4]
  %s0 = add %p0, %q0 : f32[2,4]
  %t0 = add %s0, %b : f32[2,4]
  %h1 = tanh %t0 : f32[2,4]
  %xa1 = slice %xs {start = [1, 0, 0], stop = [2, 2, 3], step = [1, 1, 1]} : f32[1,2,3]
  %x1 = reshape %xa1 : f32[2,3]
  %p1 = matmul %x1, %W : f32[2,4]
  %q1 = matmul %h1, %U : f32[2,4]
  %s1 = add %p1, %q1 : f32[2,4]
  %t1 = add %s1, %b : f32[2,4]
  %h2 = tanh %t1 : f32[2,4]
  %xa2 = slice %xs {start = [2, 0, 0], stop = [3, 2, 3], step = [1, 1, 1]} : f32[1,2,3]
  %x2 = reshape %xa2 : f32[2,3]
  %p2 = matmul %x2, %W : f32[2,4]
  %q2 = matmul %h2, %U : f32[2,4]
  %s2 = add %p2, %q2 : f32[2,4]
  %t2 = add %s2, %b : f32[2,4]
  %h3 = tanh %t2 : f32[2,4]
  %y = sum %h3 {axes = [1]} : f32[2]
  return %h1, %h2, %h3, %y
}
