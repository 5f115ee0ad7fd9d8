// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file | FileCheck %s

// An output nobody reads and a state nobody reads that no needed value
// depends on leave the loop; so do the non-sequence only they used.
// CHECK-LABEL: func @dead(%xs: f32[5,4], %h0: f32[4], %c0: f32[4], %w: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %H = scan %xs, %h0 {last = [0], nseq = 1, nstate = 1} : f32[4] (%x: f32[4], %h: f32[4]) {
// CHECK-NEXT:      %h2 = mul %x, %h : f32[4]
// CHECK-NEXT:      yield %h2
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @dead(%xs: f32[5,4], %h0: f32[4], %c0: f32[4], %w: f32[4]) -> (f32[4]) {
  %H, %C, %Y = scan %xs, %h0, %c0, %w {nseq = 1, nstate = 2, last = [0]} : f32[4], f32[6,4], f32[5,4] (%x: f32[4], %h: f32[4], %c: f32[4], %ww: f32[4]) {
    %h2 = mul %x, %h : f32[4]
    %c2 = mul %c, %ww : f32[4]
    %y = exp %h2 : f32[4]
    yield %h2, %c2, %y
  }
  return %H
}

// -----

// %C's result is unused but %h reads %c: it stays. %D and %E feed only
// each other: both go.
// CHECK-LABEL: func @chain(%xs: f32[5,4], %h0: f32[4], %c0: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %H, %C = scan %xs, %h0, %c0 {last = [0, 1], nseq = 1, nstate = 2} : f32[4], f32[4] (%x: f32[4], %h: f32[4], %c: f32[4]) {
// CHECK-NEXT:      %h2 = mul %c, %h : f32[4]
// CHECK-NEXT:      %c2 = mul %c, %x : f32[4]
// CHECK-NEXT:      yield %h2, %c2
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @chain(%xs: f32[5,4], %h0: f32[4], %c0: f32[4]) -> (f32[4]) {
  %H, %C, %D, %E = scan %xs, %h0, %c0, %c0, %c0 {nseq = 1, nstate = 4, last = [0, 1, 2, 3]} : f32[4], f32[4], f32[4], f32[4] (%x: f32[4], %h: f32[4], %c: f32[4], %d: f32[4], %e: f32[4]) {
    %h2 = mul %c, %h : f32[4]
    %c2 = mul %c, %x : f32[4]
    %d2 = mul %e, %x : f32[4]
    %e2 = mul %d, %x : f32[4]
    yield %h2, %c2, %d2, %e2
  }
  return %H
}

// -----

// The stop condition reads %c: it stays though its result is unused.
// CHECK-LABEL: func @until(%xs: f32[5,4], %h0: f32[4], %c0: f32[]) -> (f32[4]) {
// CHECK-NEXT:    %H, %C = scan %xs, %h0, %c0 {last = [0, 1], nseq = 1, nstate = 2, until = true} : f32[4], f32[] (%x: f32[4], %h: f32[4], %c: f32[]) {
// CHECK-NEXT:      %h2 = mul %x, %h : f32[4]
// CHECK-NEXT:      %one = constant {value = 1.0} : f32[]
// CHECK-NEXT:      %c2 = add %c, %one : f32[]
// CHECK-NEXT:      %lim = constant {value = 3.0} : f32[]
// CHECK-NEXT:      %stop = ge %c2, %lim : bool[]
// CHECK-NEXT:      yield %h2, %c2, %stop
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @until(%xs: f32[5,4], %h0: f32[4], %c0: f32[]) -> (f32[4]) {
  %H, %C = scan %xs, %h0, %c0 {nseq = 1, nstate = 2, last = [0, 1], until = true} : f32[4], f32[] (%x: f32[4], %h: f32[4], %c: f32[]) {
    %h2 = mul %x, %h : f32[4]
    %one = constant {value = 1.0} : f32[]
    %c2 = add %c, %one : f32[]
    %lim = constant {value = 3.0} : f32[]
    %stop = ge %c2, %lim : bool[]
    yield %h2, %c2, %stop
  }
  return %H
}

// -----

// Unread sequences: %zs (7 rows, %xs has 5) goes; %ys (3 rows, the
// shortest: it sets the step count) stays.
// CHECK-LABEL: func @seqs(%xs: f32[5,4], %ys: f32[3,4], %zs: f32[7,4], %h0: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %H = scan %xs, %ys, %h0 {last = [0], nseq = 2, nstate = 1} : f32[4] (%x: f32[4], %y: f32[4], %h: f32[4]) {
// CHECK-NEXT:      %h2 = mul %x, %h : f32[4]
// CHECK-NEXT:      yield %h2
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @seqs(%xs: f32[5,4], %ys: f32[3,4], %zs: f32[7,4], %h0: f32[4]) -> (f32[4]) {
  %H = scan %xs, %ys, %zs, %h0 {nseq = 3, nstate = 1, last = [0]} : f32[4] (%x: f32[4], %y: f32[4], %z: f32[4], %h: f32[4]) {
    %h2 = mul %x, %h : f32[4]
    yield %h2
  }
  return %H
}

// -----

// With a step count every unread sequence goes; a loop whose results are
// all unused is erased.
// CHECK-LABEL: func @count(%n: i64[], %xs: f32[?,4], %h0: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %H = scan %n, %h0 {has_n = true, last = [0], nseq = 0, nstate = 1} : f32[4] (%h: f32[4]) {
// CHECK-NEXT:      %h3 = exp %h : f32[4]
// CHECK-NEXT:      yield %h3
// CHECK-NEXT:    }
// CHECK-NEXT:    return %H
// CHECK-NEXT:  }
func @count(%n: i64[], %xs: f32[?,4], %h0: f32[4]) -> (f32[4]) {
  %H = scan %n, %xs, %h0 {has_n = true, nseq = 1, nstate = 1, last = [0]} : f32[4] (%x: f32[4], %h: f32[4]) {
    %h3 = exp %h : f32[4]
    yield %h3
  }
  %G = scan %n, %xs, %h0 {has_n = true, nseq = 1, nstate = 1, last = [0]} : f32[4] (%x2: f32[4], %g: f32[4]) {
    %g2 = mul %x2, %g : f32[4]
    yield %g2
  }
  return %H
}
