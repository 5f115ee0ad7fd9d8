// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file | FileCheck %s

// The input projection: x_t @ W for all steps is one matmul of the rows
// [5*4, 3] before the loop; the body keeps what reads the state.
// CHECK-LABEL: func @projection(%xs: f32[5,4,3], %h0: f32[4,8], %w: f32[3,8]) -> (f32[4,8]) {
// CHECK-NEXT:    %0 = reshape %xs : f32[20,3]
// CHECK-NEXT:    %1 = matmul %0, %w : f32[20,8]
// CHECK-NEXT:    %p = reshape %1 : f32[5,4,8]
// CHECK-NEXT:    %H = scan %p, %h0 {last = [0], nseq = 1, nstate = 1} : f32[4,8] (%p_1: f32[4,8], %h: f32[4,8]) {
// CHECK-NEXT:      %q = add %p_1, %h : f32[4,8]
// CHECK-NEXT:      %h2 = tanh %q : f32[4,8]
// CHECK-NEXT:      yield %h2
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @projection(%xs: f32[5,4,3], %h0: f32[4,8], %w: f32[3,8]) -> (f32[4,8]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1, last = [0]} : f32[4,8] (%x: f32[4,3], %h: f32[4,8], %ww: f32[3,8]) {
    %p = matmul %x, %ww : f32[4,8]
    %q = add %p, %h : f32[4,8]
    %h2 = tanh %q : f32[4,8]
    yield %h2
  }
  return %H
}

// -----

// Dynamic step count, backwards: the same, with `?` rows.
// CHECK-LABEL: func @dyn(%xs: f32[?,2,3], %h0: f32[2,4], %w: f32[3,4]) -> (f32[?,2,4]) {
// CHECK-NEXT:    %0 = reshape %xs : f32[?,3]
// CHECK-NEXT:    %1 = matmul %0, %w : f32[?,4]
// CHECK-NEXT:    %p = reshape %1 : f32[?,2,4]
// CHECK-NEXT:    %H = scan %p, %h0 {nseq = 1, nstate = 1, reverse = true} : f32[?,2,4] (%p_1: f32[2,4], %h: f32[2,4]) {
// CHECK-NEXT:      %q = add %p_1, %h : f32[2,4]
// CHECK-NEXT:      %r = tanh %q : f32[2,4]
// CHECK-NEXT:      yield %r
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @dyn(%xs: f32[?,2,3], %h0: f32[2,4], %w: f32[3,4]) -> (f32[?,2,4]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1, reverse = true} : f32[?,2,4] (%x: f32[2,3], %h: f32[2,4], %ww: f32[3,4]) {
    %p = matmul %x, %ww : f32[2,4]
    %q = add %p, %h : f32[2,4]
    %r = tanh %q : f32[2,4]
    yield %r
  }
  return %H
}

// -----

// Elementwise ops of rows and invariants: b [3] aligns with the last axis
// as it did with the row; the row v_t [3] of lower rank than its product
// with m [4,3] gets a unit dim after the steps' axis ([5,1,3]) so that its
// steps stay on axis 0. %k is collected (an output), so computing it for
// all steps pays: the loop copies nothing.
// CHECK-LABEL: func @elementwise(%xs: f32[5,4,3], %vs: f32[5,3], %h0: f32[4,3], %b: f32[3], %m: f32[4,3]) -> (f32[6,4,3], f32[5,4,3]) {
// CHECK-NEXT:    %a = add %xs, %b : f32[5,4,3]
// CHECK-NEXT:    %0 = reshape %vs : f32[5,1,3]
// CHECK-NEXT:    %g = mul %0, %m : f32[5,4,3]
// CHECK-NEXT:    %k = add %a, %g : f32[5,4,3]
// CHECK-NEXT:    %H = scan %k, %h0 {nseq = 1, nstate = 1} : f32[6,4,3] (%k_1: f32[4,3], %h: f32[4,3]) {
// CHECK-NEXT:      %z = mul %k_1, %h : f32[4,3]
// CHECK-NEXT:      yield %z
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H, %k
// CHECK-NEXT:  }
func @elementwise(%xs: f32[5,4,3], %vs: f32[5,3], %h0: f32[4,3], %b: f32[3], %m: f32[4,3]) -> (f32[6,4,3], f32[5,4,3]) {
  %H, %K = scan %xs, %vs, %h0, %b, %m {nseq = 2, nstate = 1} : f32[6,4,3], f32[5,4,3] (%x: f32[4,3], %v: f32[3], %h: f32[4,3], %bb: f32[3], %mm: f32[4,3]) {
    %a = add %x, %bb : f32[4,3]
    %g = mul %v, %mm : f32[4,3]
    %k = add %a, %g : f32[4,3]
    %z = mul %k, %h : f32[4,3]
    yield %z, %k
  }
  return %H, %K
}

// -----

// Not pushed out: elementwise ops of rows whose only readers are the
// step's own elementwise ops (%s feeds %z, which reads the state). In the
// loop they fuse into the step's kernel for free; before it they would
// cost a pass over [n, ...] in memory. The same chain feeding x_t @ W
// (%t) or a reduction (%u) pays and leaves.
// CHECK-LABEL: func @fusable(%xs: f32[5,4,3], %h0: f32[4,3], %w: f32[3,3], %b: f32[3]) -> (f32[6,4,3], f32[6,4]) {
// CHECK-NEXT:    %r0 = constant {value = 0.0} : f32[4]
// CHECK-NEXT:    %t = mul %xs, %b : f32[5,4,3]
// CHECK-NEXT:    %0 = reshape %t : f32[20,3]
// CHECK-NEXT:    %1 = matmul %0, %w : f32[20,3]
// CHECK-NEXT:    %p = reshape %1 : f32[5,4,3]
// CHECK-NEXT:    %u = exp %xs : f32[5,4,3]
// CHECK-NEXT:    %H, %R = scan %xs, %p, %u, %h0, %r0 {nseq = 3, nstate = 2} : f32[6,4,3], f32[6,4] (%x: f32[4,3], %p_1: f32[4,3], %u_1: f32[4,3], %h: f32[4,3], %r: f32[4]) {
// CHECK-NEXT:      %s = exp %x : f32[4,3]
// CHECK-NEXT:      %y = mul %s, %h : f32[4,3]
// CHECK-NEXT:      %z = add %y, %p_1 : f32[4,3]
// CHECK-NEXT:      %q = sum %u_1 {axes = [1]} : f32[4]
// CHECK-NEXT:      %r2 = add %r, %q : f32[4]
// CHECK-NEXT:      yield %z, %r2
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H, %R
// CHECK-NEXT:  }
func @fusable(%xs: f32[5,4,3], %h0: f32[4,3], %w: f32[3,3], %b: f32[3]) -> (f32[6,4,3], f32[6,4]) {
  %r0 = constant {value = 0.0} : f32[4]
  %H, %R = scan %xs, %h0, %r0, %w, %b {nseq = 1, nstate = 2} : f32[6,4,3], f32[6,4] (%x: f32[4,3], %h: f32[4,3], %r: f32[4], %ww: f32[3,3], %bb: f32[3]) {
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

// -----

// select and cast of rows; an output that is only a function of the rows
// becomes the all-steps value itself and leaves the loop.
// CHECK-LABEL: func @select(%xs: f32[5,4], %ms: bool[5,4], %h0: f32[4]) -> (f32[4], f64[5,4]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:    %s = select %ms, %xs, %z : f32[5,4]
// CHECK-NEXT:    %y = cast %s : f64[5,4]
// CHECK-NEXT:    %H = scan %s, %h0 {last = [0], nseq = 1, nstate = 1} : f32[4] (%s_1: f32[4], %h: f32[4]) {
// CHECK-NEXT:      %h2 = add %s_1, %h : f32[4]
// CHECK-NEXT:      %h3 = mul %h2, %h : f32[4]
// CHECK-NEXT:      yield %h3
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H, %y
// CHECK-NEXT:  }
func @select(%xs: f32[5,4], %ms: bool[5,4], %h0: f32[4]) -> (f32[4], f64[5,4]) {
  %H, %Y = scan %xs, %ms, %h0 {nseq = 2, nstate = 1, last = [0]} : f32[4], f64[5,4] (%x: f32[4], %m: bool[4], %h: f32[4]) {
    %z = constant {value = 0.0} : f32[]
    %s = select %m, %x, %z : f32[4]
    %h2 = add %s, %h : f32[4]
    %h3 = mul %h2, %h : f32[4]
    %y = cast %s : f64[4]
    yield %h3, %y
  }
  return %H, %Y
}
