// RUN: %symjit-opt %s --passes=assemble-slices --split-input-file | FileCheck %s
// Where assemble-slices must not fire: the output is the input.

// Overlapping regions: the overlap would hold a + b, a chain holds one.
// CHECK-LABEL: func @overlap(%a: f32[3], %b: f32[3]) -> (f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %z, %b {mode = "set", start = [2], step = [1], stop = [5]} : f32[6]
// CHECK-NEXT:    %2 = add %0, %1 : f32[6]
// CHECK-NEXT:    return %2
// CHECK-NEXT:  }
func @overlap(%a: f32[3], %b: f32[3]) -> (f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
  %1 = slice_update %z, %b {mode = "set", start = [2], step = [1], stop = [5]} : f32[6]
  %2 = add %0, %1 : f32[6]
  return %2
}

// -----

// Strided regions that meet ({0, 2, 4} and {1, 4}): spans overlap and
// gcd(2, 3) = 1 divides every distance.
// CHECK-LABEL: func @strided_overlap(%a: f32[3], %b: f32[2]) -> (f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [2], stop = [6]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %z, %b {mode = "set", start = [1], step = [3], stop = [6]} : f32[6]
// CHECK-NEXT:    %2 = add %0, %1 : f32[6]
// CHECK-NEXT:    return %2
// CHECK-NEXT:  }
func @strided_overlap(%a: f32[3], %b: f32[2]) -> (f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [2], stop = [6]} : f32[6]
  %1 = slice_update %z, %b {mode = "set", start = [1], step = [3], stop = [6]} : f32[6]
  %2 = add %0, %1 : f32[6]
  return %2
}

// -----

// A base that is not zero.
// CHECK-LABEL: func @nonzero(%a: f32[3], %b: f32[3]) -> (f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %o = constant {value = 1.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %o, %b {mode = "set", start = [3], step = [1], stop = [6]} : f32[6]
// CHECK-NEXT:    %2 = add %0, %1 : f32[6]
// CHECK-NEXT:    return %2
// CHECK-NEXT:  }
func @nonzero(%a: f32[3], %b: f32[3]) -> (f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %o = constant {value = 1.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
  %1 = slice_update %o, %b {mode = "set", start = [3], step = [1], stop = [6]} : f32[6]
  %2 = add %0, %1 : f32[6]
  return %2
}

// -----

// A term that is not a slice update of zeros (x + ... would need x copied
// and its -0.0s kept: not done).
// CHECK-LABEL: func @other_term(%a: f32[3], %b: f32[3], %x: f32[6]) -> (f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %z, %b {mode = "set", start = [3], step = [1], stop = [6]} : f32[6]
// CHECK-NEXT:    %2 = add %0, %x : f32[6]
// CHECK-NEXT:    %3 = add %2, %1 : f32[6]
// CHECK-NEXT:    return %3
// CHECK-NEXT:  }
func @other_term(%a: f32[3], %b: f32[3], %x: f32[6]) -> (f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
  %1 = slice_update %z, %b {mode = "set", start = [3], step = [1], stop = [6]} : f32[6]
  %2 = add %0, %x : f32[6]
  %3 = add %2, %1 : f32[6]
  return %3
}

// -----

// The add broadcasts a [6] leaf to [2,6]: not a sum of one type.
// CHECK-LABEL: func @broadcast(%a: f32[3], %b: f32[2,1]) -> (f32[2,6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %w = constant {value = 0.0} : f32[2,6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %w, %b {mode = "set", start = [0, 4], step = [1, 1], stop = [2, 5]} : f32[2,6]
// CHECK-NEXT:    %2 = add %0, %1 : f32[2,6]
// CHECK-NEXT:    return %2
// CHECK-NEXT:  }
func @broadcast(%a: f32[3], %b: f32[2,1]) -> (f32[2,6]) {
  %z = constant {value = 0.0} : f32[6]
  %w = constant {value = 0.0} : f32[2,6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
  %1 = slice_update %w, %b {mode = "set", start = [0, 4], step = [1, 1], stop = [2, 5]} : f32[2,6]
  %2 = add %0, %1 : f32[2,6]
  return %2
}

// -----

// The same update twice: its region meets itself (x + x is 2x).
// CHECK-LABEL: func @twice(%a: f32[3]) -> (f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
// CHECK-NEXT:    %1 = add %0, %0 : f32[6]
// CHECK-NEXT:    return %1
// CHECK-NEXT:  }
func @twice(%a: f32[3]) -> (f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [3]} : f32[6]
  %1 = add %0, %0 : f32[6]
  return %1
}

// -----

// Two leaves share the update of %a: the sum holds 2a there.
// CHECK-LABEL: func @shared_base(%a: f32[2], %b: f32[2], %c: f32[2]) -> (f32[6]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[6]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
// CHECK-NEXT:    %1 = slice_update %0, %b {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
// CHECK-NEXT:    %2 = slice_update %0, %c {mode = "set", start = [4], step = [1], stop = [6]} : f32[6]
// CHECK-NEXT:    %3 = add %1, %2 : f32[6]
// CHECK-NEXT:    return %3
// CHECK-NEXT:  }
func @shared_base(%a: f32[2], %b: f32[2], %c: f32[2]) -> (f32[6]) {
  %z = constant {value = 0.0} : f32[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [1], stop = [2]} : f32[6]
  %1 = slice_update %0, %b {mode = "set", start = [2], step = [1], stop = [4]} : f32[6]
  %2 = slice_update %0, %c {mode = "set", start = [4], step = [1], stop = [6]} : f32[6]
  %3 = add %1, %2 : f32[6]
  return %3
}
