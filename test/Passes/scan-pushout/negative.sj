// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file | FileCheck %s

// Not rewritten: an op that reads a state (%p); an accumulator whose new
// value is read again in the body (%q feeds %r); an accumulator kept for
// all steps (%B: every partial sum is a result).
// CHECK-LABEL: func @state(%xs: f32[5,4], %h0: f32[4], %a0: f32[4]) -> (f32[6,4], f32[4], f32[6,4]) {
// CHECK-NEXT:    %H, %A, %B = scan %xs, %h0, %a0, %a0 {last = [1], nseq = 1, nstate = 3} : f32[6,4], f32[4], f32[6,4] (%x: f32[4], %h: f32[4], %a: f32[4], %b: f32[4]) {
// CHECK-NEXT:      %p = mul %x, %h : f32[4]
// CHECK-NEXT:      %q = add %a, %p : f32[4]
// CHECK-NEXT:      %r = mul %q, %h : f32[4]
// CHECK-NEXT:      %s = add %b, %x : f32[4]
// CHECK-NEXT:      yield %r, %q, %s
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H, %A, %B
// CHECK-NEXT:  }
func @state(%xs: f32[5,4], %h0: f32[4], %a0: f32[4]) -> (f32[6,4], f32[4], f32[6,4]) {
  %H, %A, %B = scan %xs, %h0, %a0, %a0 {nseq = 1, nstate = 3, last = [1]} : f32[6,4], f32[4], f32[6,4] (%x: f32[4], %h: f32[4], %a: f32[4], %b: f32[4]) {
    %p = mul %x, %h : f32[4]
    %q = add %a, %p : f32[4]
    %r = mul %q, %h : f32[4]
    %s = add %b, %x : f32[4]
    yield %r, %q, %s
  }
  return %H, %A, %B
}

// -----

// The accumulator's previous value is read elsewhere in the body.
// CHECK-LABEL: func @reread(%xs: f32[5,4], %a0: f32[4]) -> (f32[4], f32[5,4]) {
// CHECK-NEXT:    %A, %Y = scan %xs, %a0 {last = [0], nseq = 1, nstate = 1} : f32[4], f32[5,4] (%x: f32[4], %a: f32[4]) {
// CHECK-NEXT:      %q = add %a, %x : f32[4]
// CHECK-NEXT:      %y = mul %a, %x : f32[4]
// CHECK-NEXT:      yield %q, %y
// CHECK-NEXT:    }
// CHECK-NEXT:    return %A, %Y
// CHECK-NEXT:  }
func @reread(%xs: f32[5,4], %a0: f32[4]) -> (f32[4], f32[5,4]) {
  %A, %Y = scan %xs, %a0 {nseq = 1, nstate = 1, last = [0]} : f32[4], f32[5,4] (%x: f32[4], %a: f32[4]) {
    %q = add %a, %x : f32[4]
    %y = mul %a, %x : f32[4]
    yield %q, %y
  }
  return %A, %Y
}

// -----

// f - u is not an accumulation (the sign of u flips each step); u + w with
// w invariant is not pushed out (nothing per step to collect).
// CHECK-LABEL: func @signs(%xs: f32[5,4], %a0: f32[4], %b0: f32[4], %w: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:    %A, %B = scan %xs, %a0, %b0, %w {last = [0, 1], nseq = 1, nstate = 2} : f32[4], f32[4] (%x: f32[4], %a: f32[4], %b: f32[4], %ww: f32[4]) {
// CHECK-NEXT:      %q = sub %x, %a : f32[4]
// CHECK-NEXT:      %r = add %b, %ww : f32[4]
// CHECK-NEXT:      yield %q, %r
// CHECK-NEXT:    }
// CHECK-NEXT:    return %A, %B
// CHECK-NEXT:  }
func @signs(%xs: f32[5,4], %a0: f32[4], %b0: f32[4], %w: f32[4]) -> (f32[4], f32[4]) {
  %A, %B = scan %xs, %a0, %b0, %w {nseq = 1, nstate = 2, last = [0, 1]} : f32[4], f32[4] (%x: f32[4], %a: f32[4], %b: f32[4], %ww: f32[4]) {
    %q = sub %x, %a : f32[4]
    %r = add %b, %ww : f32[4]
    yield %q, %r
  }
  return %A, %B
}

// -----

// Rows of sequences that may differ in length: x_t + y_t would be
// xs + ys over 5 and 7 rows (and over two unrelated `?`), which do not
// broadcast; not pushed out.
// CHECK-LABEL: func @lengths(%xs: f32[5,4], %ys: f32[7,4], %us: f32[?,4], %vs: f32[?,4], %h0: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %H = scan %xs, %ys, %us, %vs, %h0 {last = [0], nseq = 4, nstate = 1} : f32[4] (%x: f32[4], %y: f32[4], %u: f32[4], %v: f32[4], %h: f32[4]) {
// CHECK-NEXT:      %p = add %x, %y : f32[4]
// CHECK-NEXT:      %q = add %u, %v : f32[4]
// CHECK-NEXT:      %r = add %p, %q : f32[4]
// CHECK-NEXT:      %h2 = mul %r, %h : f32[4]
// CHECK-NEXT:      yield %h2
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @lengths(%xs: f32[5,4], %ys: f32[7,4], %us: f32[?,4], %vs: f32[?,4], %h0: f32[4]) -> (f32[4]) {
  %H = scan %xs, %ys, %us, %vs, %h0 {nseq = 4, nstate = 1, last = [0]} : f32[4] (%x: f32[4], %y: f32[4], %u: f32[4], %v: f32[4], %h: f32[4]) {
    %p = add %x, %y : f32[4]
    %q = add %u, %v : f32[4]
    %r = add %p, %q : f32[4]
    %h2 = mul %r, %h : f32[4]
    yield %h2
  }
  return %H
}

// -----

// A row of lower rank than the result with a `?` dim cannot get its unit
// dims (the reshape would have two `?`); W @ x_t (invariant on the left)
// is not an input projection.
// CHECK-LABEL: func @shapes(%xs: f32[5,?], %ys: f32[5,3,2], %h0: f32[4,?], %m: f32[4,1], %w: f32[4,3], %g0: f32[4,2]) -> (f32[4,?], f32[4,2]) {
// CHECK-NEXT:    %H, %G = scan %xs, %ys, %h0, %g0, %m, %w {last = [0, 1], nseq = 2, nstate = 2} : f32[4,?], f32[4,2] (%x: f32[?], %y: f32[3,2], %h: f32[4,?], %g: f32[4,2], %mm: f32[4,1], %ww: f32[4,3]) {
// CHECK-NEXT:      %p = mul %x, %mm : f32[4,?]
// CHECK-NEXT:      %h2 = mul %p, %h : f32[4,?]
// CHECK-NEXT:      %q = matmul %ww, %y : f32[4,2]
// CHECK-NEXT:      %g2 = mul %q, %g : f32[4,2]
// CHECK-NEXT:      yield %h2, %g2
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H, %G
// CHECK-NEXT:  }
func @shapes(%xs: f32[5,?], %ys: f32[5,3,2], %h0: f32[4,?], %m: f32[4,1], %w: f32[4,3], %g0: f32[4,2]) -> (f32[4,?], f32[4,2]) {
  %H, %G = scan %xs, %ys, %h0, %g0, %m, %w {nseq = 2, nstate = 2, last = [0, 1]} : f32[4,?], f32[4,2] (%x: f32[?], %y: f32[3,2], %h: f32[4,?], %g: f32[4,2], %mm: f32[4,1], %ww: f32[4,3]) {
    %p = mul %x, %mm : f32[4,?]
    %h2 = mul %p, %h : f32[4,?]
    %q = matmul %ww, %y : f32[4,2]
    %g2 = mul %q, %g : f32[4,2]
    yield %h2, %g2
  }
  return %H, %G
}
