// RUN: %symjit-opt %s --passes=assemble-slices --split-input-file | FileCheck %s

// The LSTM's case: the gradient of four gate slices of a [2,8] tensor
// (zeros +0.0) summed by a chain of adds becomes one chain of set updates
// of the first zero; each value gets + 0.0, since the sum turned a -0.0
// gate gradient into +0.0 (decision 0025).
// CHECK-LABEL: func @gates(%a: f32[2,2], %b: f32[2,2], %c: f32[2,2], %d: f32[2,2]) -> (f32[2,8]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[2,8]
// CHECK-NEXT:    %0 = constant {value = 0.0} : f32[]
// CHECK-NEXT:    %1 = add %a, %0 : f32[2,2]
// CHECK-NEXT:    %2 = slice_update %z, %1 {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,8]
// CHECK-NEXT:    %3 = add %b, %0 : f32[2,2]
// CHECK-NEXT:    %4 = slice_update %2, %3 {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,8]
// CHECK-NEXT:    %5 = add %c, %0 : f32[2,2]
// CHECK-NEXT:    %6 = slice_update %4, %5 {mode = "set", start = [0, 4], step = [1, 1], stop = [2, 6]} : f32[2,8]
// CHECK-NEXT:    %7 = add %d, %0 : f32[2,2]
// CHECK-NEXT:    %8 = slice_update %6, %7 {mode = "set", start = [0, 6], step = [1, 1], stop = [2, 8]} : f32[2,8]
// CHECK-NEXT:    return %8
// CHECK-NEXT:  }
func @gates(%a: f32[2,2], %b: f32[2,2], %c: f32[2,2], %d: f32[2,2]) -> (f32[2,8]) {
  %z = constant {value = 0.0} : f32[2,8]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,8]
  %1 = slice_update %z, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,8]
  %2 = slice_update %z, %c {mode = "set", start = [0, 4], step = [1, 1], stop = [2, 6]} : f32[2,8]
  %3 = slice_update %z, %d {mode = "set", start = [0, 6], step = [1, 1], stop = [2, 8]} : f32[2,8]
  %4 = add %0, %1 : f32[2,8]
  %5 = add %4, %2 : f32[2,8]
  %6 = add %5, %3 : f32[2,8]
  return %6
}

// -----

// All zeros -0.0 (the additive identity): no + 0.0 anywhere, even for the
// "add" update (-0.0 + b is b); the base is -0.0; leaves in tree order.
// CHECK-LABEL: func @negzero(%a: f32[3], %b: f32[]) -> (f32[6]) {
// CHECK-NEXT:    %z = constant {value = -0.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %b {mode = "set", start = [3], step = [1], stop = [6]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %0, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
// CHECK-NEXT:    return %1
// CHECK-NEXT:  }
func @negzero(%a: f32[3], %b: f32[]) -> (f32[6]) {
  %z = constant {value = -0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
  %1 = slice_update %z, %b {mode = "add", start = [3], step = [1], stop = [6]} : f32[6]
  %2 = add %1, %0 : f32[6]
  return %2
}

// -----

// One +0.0 and one -0.0 zero: %a (on -0.0) meets the other leaf's +0.0,
// %b ("set" on +0.0) meets only -0.0, so only %a gets + 0.0; the base is
// +0.0 (the leaf's own constant).
// CHECK-LABEL: func @mixed(%a: f32[3], %b: f32[3]) -> (f32[6]) {
// CHECK-NEXT:    %p = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = constant {value = 0.0} : f32[]
// CHECK-NEXT:    %1 = add %a, %0 : f32[3]
// CHECK-NEXT:    %2 = slice_update %p, %1 {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
// CHECK-NEXT:    %3 = slice_update %2, %b {mode = "set", start = [3], step = [1], stop = [6]} : f32[6]
// CHECK-NEXT:    return %3
// CHECK-NEXT:  }
func @mixed(%a: f32[3], %b: f32[3]) -> (f32[6]) {
  %n = constant {value = -0.0} : f32[6]
  %p = constant {value = 0.0} : f32[6]
  %0 = slice_update %n, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
  %1 = slice_update %p, %b {mode = "set", start = [3], step = [1], stop = [6]} : f32[6]
  %2 = add %0, %1 : f32[6]
  return %2
}

// -----

// Integers have one zero: no + 0; strided regions x[0::2] and x[1::2] are
// disjoint (the step's gcd does not divide the distance of the starts); an
// "add" onto zero becomes "set".
// CHECK-LABEL: func @ints(%a: i32[3], %b: i32[3]) -> (i32[6]) {
// CHECK-NEXT:    %z = constant {value = 0} : i32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [2], stop = [6]} : i32[6]
// CHECK-NEXT:    %1 = slice_update %0, %b {mode = "set", start = [1], step = [2], stop = [6]} : i32[6]
// CHECK-NEXT:    return %1
// CHECK-NEXT:  }
func @ints(%a: i32[3], %b: i32[3]) -> (i32[6]) {
  %z = constant {value = 0} : i32[6]
  %0 = slice_update %z, %a {mode = "add", start = [0], step = [2], stop = [6]} : i32[6]
  %1 = slice_update %z, %b {mode = "set", start = [1], step = [2], stop = [6]} : i32[6]
  %2 = add %0, %1 : i32[6]
  return %2
}

// -----

// A leaf that is already a chain (%1, also returned, so it stays) joins
// the new chain update by update; a negative start counts from the end.
// CHECK-LABEL: func @chain(%a: f32[2], %b: f32[2], %c: f32[2]) -> (f32[6], f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %0, %b {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
// CHECK-NEXT:    %2 = constant {value = 0.0} : f32[]
// CHECK-NEXT:    %3 = add %a, %2 : f32[2]
// CHECK-NEXT:    %4 = slice_update %z, %3 {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
// CHECK-NEXT:    %5 = add %b, %2 : f32[2]
// CHECK-NEXT:    %6 = slice_update %4, %5 {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
// CHECK-NEXT:    %7 = add %c, %2 : f32[2]
// CHECK-NEXT:    %8 = slice_update %6, %7 {mode = "set", start = [-2], step = [1], stop = [9223372036854775807]} : f32[6]
// CHECK-NEXT:    return %8, %1
// CHECK-NEXT:  }
func @chain(%a: f32[2], %b: f32[2], %c: f32[2]) -> (f32[6], f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
  %1 = slice_update %0, %b {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
  %2 = slice_update %z, %c {mode = "set", start = [-2], step = [1], stop = [9223372036854775807]} : f32[6]
  %3 = add %1, %2 : f32[6]
  return %3, %1
}

// -----

// An inner sum with another user (%3, returned) is assembled alone, then
// is a chain leaf of the outer sum: its values already carry + 0.0 and
// get no second one.
// CHECK-LABEL: func @inner(%a: f32[2], %b: f32[2], %c: f32[2]) -> (f32[6], f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = constant {value = 0.0} : f32[]
// CHECK-NEXT:    %1 = add %a, %0 : f32[2]
// CHECK-NEXT:    %2 = slice_update %z, %1 {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
// CHECK-NEXT:    %3 = add %b, %0 : f32[2]
// CHECK-NEXT:    %4 = slice_update %2, %3 {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
// CHECK-NEXT:    %5 = slice_update %z, %1 {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
// CHECK-NEXT:    %6 = slice_update %5, %3 {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
// CHECK-NEXT:    %7 = constant {value = 0.0} : f32[]
// CHECK-NEXT:    %8 = add %c, %7 : f32[2]
// CHECK-NEXT:    %9 = slice_update %6, %8 {mode = "set", start = [4], step = [1], stop = [6]} : f32[6]
// CHECK-NEXT:    return %9, %4
// CHECK-NEXT:  }
func @inner(%a: f32[2], %b: f32[2], %c: f32[2]) -> (f32[6], f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
  %1 = slice_update %z, %b {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
  %2 = slice_update %z, %c {mode = "set", start = [4], step = [1], stop = [6]} : f32[6]
  %3 = add %0, %1 : f32[6]
  %4 = add %3, %2 : f32[6]
  return %4, %3
}

// -----

// Inside a scan body (before outline-scan): the same rewrite.
// CHECK-LABEL: func @inscan(%gs: f32[5,2], %h0: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %H = scan %gs, %h0 {last = [0], nseq = 1, nstate = 1} : f32[4] (%g: f32[2], %h: f32[4]) {
// CHECK-NEXT:      %z = constant {value = 0.0} : f32[4]
// CHECK-NEXT:      %0 = constant {value = 0.0} : f32[]
// CHECK-NEXT:      %1 = add %g, %0 : f32[2]
// CHECK-NEXT:      %2 = slice_update %z, %1 {mode = "set", start = [0], step = [1], stop = [2]} : f32[4]
// CHECK-NEXT:      %3 = add %g, %0 : f32[2]
// CHECK-NEXT:      %4 = slice_update %2, %3 {mode = "set", start = [2], step = [1], stop = [4]} : f32[4]
// CHECK-NEXT:      %5 = mul %4, %h : f32[4]
// CHECK-NEXT:      yield %5
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @inscan(%gs: f32[5,2], %h0: f32[4]) -> (f32[4]) {
  %H = scan %gs, %h0 {nseq = 1, nstate = 1, last = [0]} : f32[4] (%g: f32[2], %h: f32[4]) {
    %z = constant {value = 0.0} : f32[4]
    %0 = slice_update %z, %g {mode = "set", start = [0], step = [1], stop = [2]} : f32[4]
    %1 = slice_update %z, %g {mode = "set", start = [2], step = [1], stop = [4]} : f32[4]
    %2 = add %0, %1 : f32[4]
    %3 = mul %2, %h : f32[4]
    yield %3
  }
  return %H
}
