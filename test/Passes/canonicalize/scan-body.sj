// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// The rewrites apply in a scan's body as in the function: v * 1 + x * -1
// becomes v - x, h - h stays (NaN, inf: not without --fast-math); in a
// nested body 1 * e becomes e.
// CHECK-LABEL: func @f(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3]) {
// CHECK-NEXT:   %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3] (%x: f32[3], %h: f32[3], %v: f32[3]) {
// CHECK-NEXT:     %0 = sub %v, %x : f32[3]
// CHECK-NEXT:     %d = sub %h, %h : f32[3]
// CHECK-NEXT:     %h2 = add %0, %d : f32[3]
// CHECK-NEXT:     yield %h2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H
// CHECK-NEXT: }
func @f(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3] (%x: f32[3], %h: f32[3], %v: f32[3]) {
    %one = constant {value = 1.0} : f32[3]
    %m1 = constant {value = -1.0} : f32[]
    %a = mul %v, %one : f32[3]
    %b = mul %x, %m1 : f32[3]
    %c = add %a, %b : f32[3]
    %d = sub %h, %h : f32[3]
    %h2 = add %c, %d : f32[3]
    yield %h2
  }
  return %H
}
// -----
// CHECK-LABEL: func @nested(%m: f64[3,4], %z: f64[]) -> (f64[]) {
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
func @nested(%m: f64[3,4], %z: f64[]) -> (f64[]) {
  %T = scan %m, %z, %z {last = [0], nseq = 1, nstate = 1} : f64[] (%row: f64[4], %tot: f64[], %zero: f64[]) {
    %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
      %one = constant {value = 1.0} : f64[]
      %e2 = mul %one, %e : f64[]
      %a = add %acc, %e2 : f64[]
      yield %a
    }
    %t2 = add %tot, %s : f64[]
    yield %t2
  }
  return %T
}
