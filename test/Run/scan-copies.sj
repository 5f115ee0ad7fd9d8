// Results the body does not compute into a buffer of its own are copied
// into the scan's rows after each step (docs/decisions/0015-scan-execution.md):
// a sequence row, a non-sequence, a constant, a value yielded twice, a view;
// states only passed through (`last` and all steps); two scans in a row, the
// second reversed over the first's output, called several times (--bench:
// buffers and scratch reused across calls).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/x32.npy '<f4' 3x2 1,2,3,4,5,6
// RUN: %python %S/Inputs/write_npy.py %t/h2.npy '<f4' 2 10,20
// RUN: %python %S/Inputs/write_npy.py %t/w2.npy '<f4' 2 -1,-2
// RUN: %python %S/Inputs/write_npy.py %t/x3.npy '<f4' 3 1,2,3
// RUN: %symjit-run %s --func copies --input xs=%t/x32.npy --input h0=%t/h2.npy --input w=%t/w2.npy --print | FileCheck %s --check-prefix=COPIES
// RUN: %symjit-run %s --func copies --input xs=%t/x32.npy --input h0=%t/h2.npy --input w=%t/w2.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func pass --input xs=%t/x3.npy --input h0=%t/h2.npy --print | FileCheck %s --check-prefix=PASS
// RUN: %symjit-run %s --func pass --input xs=%t/x3.npy --input h0=%t/h2.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func chain --input xs=%t/x32.npy --input h0=%t/h2.npy --print --bench 3 | FileCheck %s --check-prefix=CHAIN
// RUN: %symjit-run %s --func chain --input xs=%t/x32.npy --input h0=%t/h2.npy --check | FileCheck %s --check-prefix=CHECKED
// CHECKED: check: @{{[a-z0-9]+}} passed
// COPIES:      copies.out0: f32[4,2] =
// COPIES-NEXT: {{\[\[}}10, 20],
// COPIES-NEXT:  [11, 22],
// COPIES-NEXT:  [14, 26],
// COPIES-NEXT:  [19, 32]]
// COPIES-NEXT: copies.out1: f32[3,2] =
// COPIES-NEXT: {{\[\[}}1, 2],
// COPIES-NEXT:  [3, 4],
// COPIES-NEXT:  [5, 6]]
// COPIES-NEXT: copies.out2: f32[3,2] =
// COPIES-NEXT: {{\[\[}}-1, -2],
// COPIES-NEXT:  [-1, -2],
// COPIES-NEXT:  [-1, -2]]
// COPIES-NEXT: copies.out3: f32[3] =
// COPIES-NEXT: [7, 7, 7]
// COPIES-NEXT: copies.out4: f32[3,2] =
// COPIES-NEXT: {{\[\[}}11, 22],
// COPIES-NEXT:  [14, 26],
// COPIES-NEXT:  [19, 32]]
// COPIES-NEXT: copies.out5: f32[3,1,2] =
// COPIES-NEXT: {{\[\[\[}}11, 22]],
// COPIES-NEXT:  {{\[\[}}14, 26]],
// COPIES-NEXT:  {{\[\[}}19, 32]]]
// PASS:      pass.out0: f32[2] =
// PASS-NEXT: [10, 20]
// PASS-NEXT: pass.out1: f32[4,2] =
// PASS-NEXT: {{\[\[}}10, 20],
// PASS-NEXT:  [10, 20],
// PASS-NEXT:  [10, 20],
// PASS-NEXT:  [10, 20]]
// CHAIN:      chain.out0: f32[3,2] =
// CHAIN-NEXT: {{\[\[}}11, 44],
// CHAIN-NEXT:  [42, 104],
// CHAIN-NEXT:  [95, 192]]
// CHAIN-NEXT: chain.out1: f32[2] =
// CHAIN-NEXT: [108, 212]
// What the body does not compute into a buffer of its own is copied into
// the result rows: a parameter (the sequence row, a non-sequence), a
// constant, a value yielded twice, a view (reshape) of a computed value.
func @copies(%xs: f32[3,2], %h0: f32[2], %w: f32[2]) -> (f32[4,2], f32[3,2], f32[3,2], f32[3], f32[3,2], f32[3,1,2]) {
  %H, %R, %W, %C, %D, %V = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[4,2], f32[3,2], f32[3,2], f32[3], f32[3,2], f32[3,1,2] (%x: f32[2], %h: f32[2], %v: f32[2]) {
    %h2 = add %h, %x : f32[2]
    %k = constant {value = 7.0} : f32[]
    %r = reshape %h2 : f32[1,2]
    yield %h2, %x, %v, %k, %h2, %r
  }
  return %H, %R, %W, %C, %D, %V
}
// A state that is only passed through (kept `last` and all steps).
func @pass(%xs: f32[3], %h0: f32[2]) -> (f32[2], f32[4,2]) {
  %L, %H = scan %xs, %h0, %h0 {nseq = 1, nstate = 2, last = [0]} : f32[2], f32[4,2] (%x: f32[], %a: f32[2], %b: f32[2]) {
    yield %a, %b
  }
  return %L, %H
}
// Two scans in a row, the second over the first's output rows (reversed),
// and a kernel reading both; the function runs twice in --bench.
func @chain(%xs: f32[?,2], %h0: f32[2]) -> (f32[?,2], f32[2]) {
  %H, %Y = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[?,2], f32[?,2] (%x: f32[2], %h: f32[2]) {
    %h2 = add %h, %x : f32[2]
    %y = mul %h2, %x : f32[2]
    yield %h2, %y
  }
  %S = scan %Y, %h0 {nseq = 1, nstate = 1, reverse = true, last = [0]} : f32[2] (%y1: f32[2], %s: f32[2]) {
    %s2 = sub %y1, %s : f32[2]
    yield %s2
  }
  %t = sum %H {axes = [0]} : f32[2]
  %u = add %S, %t : f32[2]
  return %Y, %u
}
