// RUN: %symjit-opt %s --passes=outline-scan --split-input-file | FileCheck %s
// The body moves into @<parent>.scan0 right after its parent: parameters are
// the body's arguments, results the yielded values; the scan keeps its
// operands, results and attributes and gains `body`.
// CHECK-LABEL: func @f(%n: i64[], %xs: f32[?,4], %h0: f32[4], %w: f32[4]) -> (f32[?,4], f32[?]) {
// CHECK-NEXT:   %H, %Y = scan %n, %xs, %h0, %w {body = @f.scan0, has_n = true, nseq = 1, nstate = 1} : f32[?,4], f32[?]
// CHECK-NEXT:   return %H, %Y
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @f.scan0(%x: f32[4], %h: f32[4], %v: f32[4]) -> (f32[4], f32[]) {
// CHECK-NEXT:   %p = mul %x, %v : f32[4]
// CHECK-NEXT:   %h2 = add %h, %p : f32[4]
// CHECK-NEXT:   %y = sum %h2 {axes = [0]} : f32[]
// CHECK-NEXT:   return %h2, %y
// CHECK-NEXT: }
func @f(%n: i64[], %xs: f32[?,4], %h0: f32[4], %w: f32[4]) -> (f32[?,4], f32[?]) {
  %H, %Y = scan %n, %xs, %h0, %w {nseq = 1, nstate = 1, has_n = true} : f32[?,4], f32[?] (%x: f32[4], %h: f32[4], %v: f32[4]) {
    %p = mul %x, %v : f32[4]
    %h2 = add %h, %p : f32[4]
    %y = sum %h2 {axes = [0]} : f32[]
    yield %h2, %y
  }
  return %H, %Y
}
// -----
// Two scans in one func: @g.scan0 and @g.scan1, in the order of the scans,
// both before the func that followed @g. The stop condition is the last
// result of the body func.
// CHECK-LABEL: func @g(%xs: f32[3]) -> (f32[], f32[?]) {
// CHECK-NEXT:   %a = scan %xs {body = @g.scan0, last = [0], nseq = 1, nstate = 0} : f32[]
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %b = scan %xs, %z {body = @g.scan1, nseq = 1, nstate = 1, until = true} : f32[?]
// CHECK-NEXT:   %l = scan %xs, %z {body = @g.scan2, last = [0], nseq = 1, nstate = 1} : f32[]
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @g.scan0(%x: f32[]) -> (f32[]) {
// CHECK-NEXT:   %e = exp %x : f32[]
// CHECK-NEXT:   return %e
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @g.scan1(%x1: f32[], %s: f32[]) -> (f32[], bool[]) {
// CHECK-NEXT:   %s2 = add %s, %x1 : f32[]
// CHECK-NEXT:   %c = gt %s2, %x1 : bool[]
// CHECK-NEXT:   return %s2, %c
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @g.scan2(%x2: f32[], %t: f32[]) -> (f32[]) {
// CHECK-NEXT:   return %x2
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: func @other() -> () {
func @g(%xs: f32[3]) -> (f32[], f32[?]) {
  %a = scan %xs {nseq = 1, nstate = 0, last = [0]} : f32[] (%x: f32[]) {
    %e = exp %x : f32[]
    yield %e
  }
  %z = constant {value = 0.0} : f32[]
  %b = scan %xs, %z {nseq = 1, nstate = 1, until = true} : f32[?] (%x1: f32[], %s: f32[]) {
    %s2 = add %s, %x1 : f32[]
    %c = gt %s2, %x1 : bool[]
    yield %s2, %c
  }
  %l = scan %xs, %z {nseq = 1, nstate = 1, last = [0]} : f32[] (%x2: f32[], %t: f32[]) {
    yield %x2
  }
  return %a, %b
}
func @other() -> () {
  return
}
