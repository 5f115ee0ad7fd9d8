// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file | FileCheck %s

// exp(w) * 2 + b does not depend on the step: it is computed once before
// the loop (the constant cloned out, the body keeps what reads a state).
// CHECK-LABEL: func @hoist(%xs: f32[5,4], %h0: f32[4], %w: f32[4], %b: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %e = exp %w : f32[4]
// CHECK-NEXT:    %c = constant {value = 2.0} : f32[]
// CHECK-NEXT:    %s = mul %e, %c : f32[4]
// CHECK-NEXT:    %t = add %s, %b : f32[4]
// CHECK-NEXT:    %H = scan %xs, %h0, %t {last = [0], nseq = 1, nstate = 1} : f32[4] (%x: f32[4], %h: f32[4], %t_1: f32[4]) {
// CHECK-NEXT:      %u = mul %h, %t_1 : f32[4]
// CHECK-NEXT:      %v = add %u, %x : f32[4]
// CHECK-NEXT:      yield %v
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @hoist(%xs: f32[5,4], %h0: f32[4], %w: f32[4], %b: f32[4]) -> (f32[4]) {
  %H = scan %xs, %h0, %w, %b {nseq = 1, nstate = 1, last = [0]} : f32[4] (%x: f32[4], %h: f32[4], %ww: f32[4], %bb: f32[4]) {
    %c = constant {value = 2.0} : f32[]
    %e = exp %ww : f32[4]
    %s = mul %e, %c : f32[4]
    %t = add %s, %bb : f32[4]
    %u = mul %h, %t : f32[4]
    %v = add %u, %x : f32[4]
    yield %v
  }
  return %H
}

// -----

// exp(w) leaves the inner loop, then the outer one.
// CHECK-LABEL: func @nested(%xs: f32[5,3,4], %h0: f32[4], %w: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %e = exp %w : f32[4]
// CHECK-NEXT:    %H = scan %xs, %h0, %e {last = [0], nseq = 1, nstate = 1} : f32[4] (%x: f32[3,4], %h: f32[4], %e_1: f32[4]) {
// CHECK-NEXT:      %I = scan %x, %h, %e_1 {last = [0], nseq = 1, nstate = 1} : f32[4] (%r: f32[4], %g: f32[4], %e_2: f32[4]) {
// CHECK-NEXT:        %s = mul %r, %g : f32[4]
// CHECK-NEXT:        %t = add %s, %e_2 : f32[4]
// CHECK-NEXT:        yield %t
// CHECK-NEXT:      }
// CHECK-NEXT:      yield %I
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @nested(%xs: f32[5,3,4], %h0: f32[4], %w: f32[4]) -> (f32[4]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1, last = [0]} : f32[4] (%x: f32[3,4], %h: f32[4], %wo: f32[4]) {
    %I = scan %x, %h, %wo {nseq = 1, nstate = 1, last = [0]} : f32[4] (%r: f32[4], %g: f32[4], %wi: f32[4]) {
      %e = exp %wi : f32[4]
      %s = mul %r, %g : f32[4]
      %t = add %s, %e : f32[4]
      yield %t
    }
    yield %I
  }
  return %H
}

// -----

// An op of constants only is constant-fold's: it stays.
// CHECK-LABEL: func @consts(%xs: f32[5,4], %h0: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %H = scan %xs, %h0 {last = [0], nseq = 1, nstate = 1} : f32[4] (%x: f32[4], %h: f32[4]) {
// CHECK-NEXT:      %c = constant {value = 2.0} : f32[]
// CHECK-NEXT:      %e = exp %c : f32[]
// CHECK-NEXT:      %u = mul %h, %e : f32[4]
// CHECK-NEXT:      yield %u
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @consts(%xs: f32[5,4], %h0: f32[4]) -> (f32[4]) {
  %H = scan %xs, %h0 {nseq = 1, nstate = 1, last = [0]} : f32[4] (%x: f32[4], %h: f32[4]) {
    %c = constant {value = 2.0} : f32[]
    %e = exp %c : f32[]
    %u = mul %h, %e : f32[4]
    yield %u
  }
  return %H
}
