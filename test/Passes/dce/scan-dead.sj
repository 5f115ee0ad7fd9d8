// RUN: %symjit-opt %s --passes=dce --split-input-file | FileCheck %s
// A scan is pure: unused, it goes with its body, and so do the ops that only
// fed it (%w2); dead ops inside a kept body go (%dead, %dead2), the body's
// arguments stay (the signature is the op's), and an output nobody uses
// is still computed (%y: a result of a live scan).
// CHECK-LABEL: func @f(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3]) {
// CHECK-NEXT:   %H, %Y = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3], f32[5] (%x: f32[3], %h: f32[3], %v: f32[3]) {
// CHECK-NEXT:     %h2 = add %h, %x : f32[3]
// CHECK-NEXT:     %y = sum %h2 {axes = [0]} : f32[]
// CHECK-NEXT:     yield %h2, %y
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H
// CHECK-NEXT: }
func @f(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3]) {
  %w2 = exp %w : f32[3]
  %unused = scan %xs, %h0, %w2 {nseq = 1, nstate = 1} : f32[6,3] (%x0: f32[3], %h1: f32[3], %v0: f32[3]) {
    %u = mul %x0, %v0 : f32[3]
    yield %u
  }
  %H, %Y = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3], f32[5] (%x: f32[3], %h: f32[3], %v: f32[3]) {
    %dead = exp %x : f32[3]
    %dead2 = mul %dead, %v : f32[3]
    %h2 = add %h, %x : f32[3]
    %y = sum %h2 {axes = [0]} : f32[]
    yield %h2, %y
  }
  return %H
}
// -----
// The same inside a nested scan, and for a scan that only keeps the last
// values; a scan with a stop condition is pure too.
// CHECK-LABEL: func @nested(%m: f64[3,4], %z: f64[], %n: i64[]) -> (f64[]) {
// CHECK-NEXT:   %T = scan %m, %z, %z {last = [0], nseq = 1, nstate = 1} : f64[] (%row: f64[4], %tot: f64[], %zero: f64[]) {
// CHECK-NEXT:     %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
// CHECK-NEXT:       %a = add %acc, %e : f64[]
// CHECK-NEXT:       yield %a
// CHECK-NEXT:     }
// CHECK-NEXT:     %t2 = add %tot, %s : f64[]
// CHECK-NEXT:     yield %t2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %T
// CHECK-NEXT: }
func @nested(%m: f64[3,4], %z: f64[], %n: i64[]) -> (f64[]) {
  %T = scan %m, %z, %z {last = [0], nseq = 1, nstate = 1} : f64[] (%row: f64[4], %tot: f64[], %zero: f64[]) {
    %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
      %dead = neg %e : f64[]
      %a = add %acc, %e : f64[]
      yield %a
    }
    %gone = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e2: f64[], %acc2: f64[]) {
      %a2 = add %acc2, %e2 : f64[]
      yield %a2
    }
    %t2 = add %tot, %s : f64[]
    yield %t2
  }
  %U = scan %n, %z {has_n = true, last = [0], nseq = 0, nstate = 1, until = true} : f64[] (%u: f64[]) {
    %u2 = add %u, %u : f64[]
    %c = gt %u2, %u : bool[]
    yield %u2, %c
  }
  return %T
}
// -----
// After outline-scan: an unused scan goes; its body func stays (funcs are
// symbols, not values).
// CHECK-LABEL: func @g.scan0(%x: f32[], %s: f32[]) -> (f32[]) {
// CHECK-NEXT:   %t = add %s, %x : f32[]
// CHECK-NEXT:   return %t
// CHECK-NEXT: }
// CHECK-LABEL: func @g(%xs: f32[5], %s0: f32[]) -> (f32[]) {
// CHECK-NEXT:   return %s0
// CHECK-NEXT: }
func @g.scan0(%x: f32[], %s: f32[]) -> (f32[]) {
  %dead = exp %x : f32[]
  %t = add %s, %x : f32[]
  return %t
}

func @g(%xs: f32[5], %s0: f32[]) -> (f32[]) {
  %A = scan %xs, %s0 {body = @g.scan0, nseq = 1, nstate = 1} : f32[6]
  return %s0
}
