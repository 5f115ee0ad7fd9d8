// RUN: %symjit-opt %s --passes=outline-scan --split-input-file | FileCheck %s
// A scan inside a scan body: the outer body becomes @f.scan0, then (the
// walk reaches it next) its own scan's body becomes @f.scan0.scan0.
// CHECK-LABEL: func @f(%xs: f32[2,3], %h0: f32[]) -> (f32[]) {
// CHECK-NEXT:   %r = scan %xs, %h0 {body = @f.scan0, last = [0], nseq = 1, nstate = 1} : f32[]
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @f.scan0(%row: f32[3], %h: f32[]) -> (f32[]) {
// CHECK-NEXT:   %in = scan %row, %h {body = @f.scan0.scan0, last = [0], nseq = 1, nstate = 1} : f32[]
// CHECK-NEXT:   return %in
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @f.scan0.scan0(%e: f32[], %acc: f32[]) -> (f32[]) {
// CHECK-NEXT:   %a2 = add %acc, %e : f32[]
// CHECK-NEXT:   return %a2
// CHECK-NEXT: }
func @f(%xs: f32[2,3], %h0: f32[]) -> (f32[]) {
  %r = scan %xs, %h0 {nseq = 1, nstate = 1, last = [0]} : f32[] (%row: f32[3], %h: f32[]) {
    %in = scan %row, %h {nseq = 1, nstate = 1, last = [0]} : f32[] (%e: f32[], %acc: f32[]) {
      %a2 = add %acc, %e : f32[]
      yield %a2
    }
    yield %in
  }
  return %r
}
// -----
// Negative: a name already taken is skipped (@k.scan0 exists, the body is
// @k.scan1); a scan already outlined, funcs without scans and kernels are
// left as they are.
// CHECK-LABEL: func @k.scan0() -> () {
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @k(%xs: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %a = scan %xs {body = @k.scan1, nseq = 1, nstate = 0} : f32[4]
// CHECK-NEXT:   %b = scan %xs {body = @neg, nseq = 1, nstate = 0} : f32[4]
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @k.scan1(%x: f32[]) -> (f32[]) {
// CHECK-NEXT:   %y = neg %x : f32[]
// CHECK-NEXT:   return %y
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @neg(%v: f32[]) -> (f32[]) {
// CHECK-NEXT:   %w = neg %v : f32[]
// CHECK-NEXT:   return %w
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: kernel @kern(%out0: f32[4]) {
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @k.scan0() -> () {
  return
}
func @k(%xs: f32[4]) -> (f32[4], f32[4]) {
  %a = scan %xs {nseq = 1, nstate = 0} : f32[4] (%x: f32[]) {
    %y = neg %x : f32[]
    yield %y
  }
  %b = scan %xs {nseq = 1, nstate = 0, body = @neg} : f32[4]
  return %a, %b
}
func @neg(%v: f32[]) -> (f32[]) {
  %w = neg %v : f32[]
  return %w
}
kernel @kern(%out0: f32[4]) {
  return
}
