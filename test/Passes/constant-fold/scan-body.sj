// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// Constants in a scan's body fold like the function's (%k = 1 + 2, the
// reduction %r), in a nested body too (%q).
// CHECK-LABEL: func @f(%xs: f32[5,3], %h0: f32[3]) -> (f32[6,3], f32[5]) {
// CHECK-NEXT:   %H, %Y = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[6,3], f32[5] (%x: f32[3], %h: f32[3]) {
// CHECK-NEXT:     %0 = constant {value = 3.0} : f32[3]
// CHECK-NEXT:     %1 = constant {value = 9.0} : f32[]
// CHECK-NEXT:     %m = mul %x, %0 : f32[3]
// CHECK-NEXT:     %h2 = add %h, %m : f32[3]
// CHECK-NEXT:     %y0 = sum %h2 {axes = [0]} : f32[]
// CHECK-NEXT:     %y = add %y0, %1 : f32[]
// CHECK-NEXT:     yield %h2, %y
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H, %Y
// CHECK-NEXT: }
func @f(%xs: f32[5,3], %h0: f32[3]) -> (f32[6,3], f32[5]) {
  %H, %Y = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[6,3], f32[5] (%x: f32[3], %h: f32[3]) {
    %one = constant {value = 1.0} : f32[3]
    %two = constant {value = 2.0} : f32[3]
    %k = add %one, %two : f32[3]
    %r = sum %k {axes = [0]} : f32[]
    %m = mul %x, %k : f32[3]
    %h2 = add %h, %m : f32[3]
    %y0 = sum %h2 {axes = [0]} : f32[]
    %y = add %y0, %r : f32[]
    yield %h2, %y
  }
  return %H, %Y
}
// -----
// The nested body: 0.5 * 0.5 folds.
// CHECK-LABEL: func @nested(%m: f64[3,4], %z: f64[]) -> (f64[]) {
// CHECK-NEXT:   %T = scan %m, %z, %z {last = [0], nseq = 1, nstate = 1} : f64[] (%row: f64[4], %tot: f64[], %zero: f64[]) {
// CHECK-NEXT:     %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
// CHECK-NEXT:       %0 = constant {value = 0.25} : f64[]
// CHECK-NEXT:       %e2 = mul %e, %0 : f64[]
// CHECK-NEXT:       %a = add %acc, %e2 : f64[]
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
      %p = constant {value = 0.5} : f64[]
      %q = mul %p, %p : f64[]
      %e2 = mul %e, %q : f64[]
      %a = add %acc, %e2 : f64[]
      yield %a
    }
    %t2 = add %tot, %s : f64[]
    yield %t2
  }
  return %T
}
// -----
// Negative: a constant operand of the scan is an argument in the body, not
// a constant: %v * %v stays (the pass does not propagate through the op;
// the body is a function of its arguments).
// CHECK-LABEL: func @through(%xs: f32[5]) -> (f32[5]) {
// CHECK-NEXT:   %c = constant {value = 3.0} : f32[]
// CHECK-NEXT:   %Y = scan %xs, %c {nseq = 1, nstate = 0} : f32[5] (%x: f32[], %v: f32[]) {
// CHECK-NEXT:     %vv = mul %v, %v : f32[]
// CHECK-NEXT:     %y = add %x, %vv : f32[]
// CHECK-NEXT:     yield %y
// CHECK-NEXT:   }
// CHECK-NEXT:   return %Y
// CHECK-NEXT: }
func @through(%xs: f32[5]) -> (f32[5]) {
  %c = constant {value = 3.0} : f32[]
  %Y = scan %xs, %c {nseq = 1, nstate = 0} : f32[5] (%x: f32[], %v: f32[]) {
    %vv = mul %v, %v : f32[]
    %y = add %x, %vv : f32[]
    yield %y
  }
  return %Y
}
