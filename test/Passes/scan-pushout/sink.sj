// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file | FileCheck %s

// A splat non-sequence (%z) becomes a constant of the body and its
// argument goes (the slice gradient's zeros: decision 0025); exp(w) and the
// cast of the i32 splat %k are hoisted first, so the splat they read stays
// outside. The outer %z is dce's.
// CHECK-LABEL: func @sink(%xs: f32[5,2], %h0: f32[4], %w: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[4]
// CHECK-NEXT:    %k = constant {value = 3} : i32[]
// CHECK-NEXT:    %e = exp %w : f32[4]
// CHECK-NEXT:    %c = cast %k : f32[]
// CHECK-NEXT:    %H = scan %xs, %h0, %e, %c {last = [0], nseq = 1, nstate = 1} : f32[4] (%x: f32[2], %h: f32[4], %e_1: f32[4], %c_1: f32[]) {
// CHECK-NEXT:      %zz = constant {value = 0.0} : f32[4]
// CHECK-NEXT:      %s = slice_update %zz, %x {mode = "set", start = [0], step = [2], stop = [4]} : f32[4]
// CHECK-NEXT:      %u = mul %h, %e_1 : f32[4]
// CHECK-NEXT:      %v = add %u, %s : f32[4]
// CHECK-NEXT:      %r = mul %v, %c_1 : f32[4]
// CHECK-NEXT:      yield %r
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @sink(%xs: f32[5,2], %h0: f32[4], %w: f32[4]) -> (f32[4]) {
  %z = constant {value = 0.0} : f32[4]
  %k = constant {value = 3} : i32[]
  %H = scan %xs, %h0, %z, %w, %k {nseq = 1, nstate = 1, last = [0]} : f32[4] (%x: f32[2], %h: f32[4], %zz: f32[4], %ww: f32[4], %kk: i32[]) {
    %s = slice_update %zz, %x {mode = "set", start = [0], stop = [4], step = [2]} : f32[4]
    %e = exp %ww : f32[4]
    %u = mul %h, %e : f32[4]
    %v = add %u, %s : f32[4]
    %c = cast %kk : f32[]
    %r = mul %v, %c : f32[4]
    yield %r
  }
  return %H
}

// -----

// Negative: a dense constant is not a splat: it stays a non-sequence.
// CHECK-LABEL: func @dense(%xs: f32[5,2], %h0: f32[2]) -> (f32[2]) {
// CHECK-NEXT:    %d = constant {value = dense<[1.0, 2.0]>} : f32[2]
// CHECK-NEXT:    %H = scan %xs, %h0, %d {last = [0], nseq = 1, nstate = 1} : f32[2] (%x: f32[2], %h: f32[2], %dd: f32[2]) {
// CHECK-NEXT:      %u = mul %h, %x : f32[2]
// CHECK-NEXT:      %v = add %u, %dd : f32[2]
// CHECK-NEXT:      yield %v
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @dense(%xs: f32[5,2], %h0: f32[2]) -> (f32[2]) {
  %d = constant {value = dense<[1.0, 2.0]>} : f32[2]
  %H = scan %xs, %h0, %d {nseq = 1, nstate = 1, last = [0]} : f32[2] (%x: f32[2], %h: f32[2], %dd: f32[2]) {
    %u = mul %h, %x : f32[2]
    %v = add %u, %dd : f32[2]
    yield %v
  }
  return %H
}
