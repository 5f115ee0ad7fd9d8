// RUN: %symjit-opt %s --passes=stabilize --split-input-file | FileCheck %s
// log(1 + exp(h)) becomes softplus(h) in a scan's body (an LSTM-like state
// update that overflows in the naive form at h > 88 in f32), also nested.
// CHECK-LABEL: func @f(%xs: f32[5,3], %h0: f32[3]) -> (f32[6,3]) {
// CHECK-NEXT:   %H = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[6,3] (%x: f32[3], %h: f32[3]) {
// CHECK-NEXT:     %0 = softplus %h : f32[3]
// CHECK-NEXT:     %h2 = add %0, %x : f32[3]
// CHECK-NEXT:     yield %h2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H
// CHECK-NEXT: }
func @f(%xs: f32[5,3], %h0: f32[3]) -> (f32[6,3]) {
  %H = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[6,3] (%x: f32[3], %h: f32[3]) {
    %one = constant {value = 1.0} : f32[3]
    %e = exp %h : f32[3]
    %e1 = add %e, %one : f32[3]
    %l = log %e1 : f32[3]
    %h2 = add %l, %x : f32[3]
    yield %h2
  }
  return %H
}
// -----
// CHECK-LABEL: func @nested(%m: f64[3,4], %z: f64[]) -> (f64[]) {
// CHECK-NEXT:   %T = scan %m, %z, %z {last = [0], nseq = 1, nstate = 1} : f64[] (%row: f64[4], %tot: f64[], %zero: f64[]) {
// CHECK-NEXT:     %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
// CHECK-NEXT:       %0 = softplus %e : f64[]
// CHECK-NEXT:       %a = add %acc, %0 : f64[]
// CHECK-NEXT:       yield %a
// CHECK-NEXT:     }
// CHECK-NEXT:     %t2 = add %tot, %s : f64[]
// CHECK-NEXT:     yield %t2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %T
// CHECK-NEXT: }
func @nested(%m: f64[3,4], %z: f64[]) -> (f64[]) {
  %T = scan %m, %z, %z {last = [0], nseq = 1, nstate = 1} : f64[] (%row: f64[4], %tot: f64[], %zero: f64[]) {
    %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
      %one = constant {value = 1.0} : f64[]
      %x = exp %e : f64[]
      %x1 = add %one, %x : f64[]
      %l = log %x1 : f64[]
      %a = add %acc, %l : f64[]
      yield %a
    }
    %t2 = add %tot, %s : f64[]
    yield %t2
  }
  return %T
}
// -----
// Negative: the exp is outside, the log inside: the body sees an argument,
// not an exp, so log(1 + v) only becomes log1p(v), not softplus (rewrites
// do not look through the boundary).
// CHECK-LABEL: func @across(%xs: f32[5,3], %h0: f32[3]) -> (f32[5,3]) {
// CHECK-NEXT:   %e = exp %h0 : f32[3]
// CHECK-NEXT:   %Y = scan %xs, %e {nseq = 1, nstate = 0} : f32[5,3] (%x: f32[3], %v: f32[3]) {
// CHECK-NEXT:     %0 = log1p %v : f32[3]
// CHECK-NEXT:     %y = add %0, %x : f32[3]
// CHECK-NEXT:     yield %y
// CHECK-NEXT:   }
// CHECK-NEXT:   return %Y
// CHECK-NEXT: }
func @across(%xs: f32[5,3], %h0: f32[3]) -> (f32[5,3]) {
  %e = exp %h0 : f32[3]
  %Y = scan %xs, %e {nseq = 1, nstate = 0} : f32[5,3] (%x: f32[3], %v: f32[3]) {
    %one = constant {value = 1.0} : f32[3]
    %e1 = add %v, %one : f32[3]
    %l = log %e1 : f32[3]
    %y = add %l, %x : f32[3]
    yield %y
  }
  return %Y
}
