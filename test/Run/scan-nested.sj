// Nested scans: the outer body holds a scan, outlined into a func of its
// own and planned once; with an inner `until` the inner loop's length
// changes per outer step (a barrier inside the body, re-shaped per step).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/r.npy '<f4' 3x3 1,2,3,4,5,6,7,8,9
// RUN: %python %S/Inputs/write_npy.py %t/z.npy '<f4' '' 0
// RUN: %python %S/Inputs/write_npy.py %t/r4.npy '<f4' 3x4 1,1,1,1,2,2,2,2,3,3,3,3
// RUN: %python %S/Inputs/write_npy.py %t/h1.npy '<f4' '' 1
// RUN: %symjit-run %s --func nest --input xs=%t/r.npy --input h0=%t/z.npy --print | FileCheck %s --check-prefix=NEST
// RUN: %symjit-run %s --func nest --input xs=%t/r.npy --input h0=%t/z.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func nu --input xs=%t/r4.npy --input h0=%t/h1.npy --print | FileCheck %s --check-prefix=UNTIL
// RUN: %symjit-run %s --func nu --input xs=%t/r4.npy --input h0=%t/h1.npy --check | FileCheck %s --check-prefix=CHECKED
// CHECKED: check: @{{[a-z0-9]+}} passed
// NEST:      nest.out0: f32[4] =
// NEST-NEXT: [0, 6, 21, 45]
// NEST-NEXT: nest.out1: f32[3,3] =
// NEST-NEXT: {{\[}}[1, 3, 6],
// NEST-NEXT:  [10, 15, 21],
// NEST-NEXT:  [28, 36, 45]]
// UNTIL:      nu.out0: f32[4] =
// UNTIL-NEXT: [1, 3, 7, 16]
// UNTIL-NEXT: nu.out1: f32[3] =
// UNTIL-NEXT: [3, 6, 18]
// Nested: the outer scan runs over rows; the inner sums a row into the
// carried total (row sums accumulate: a prefix sum of row sums).
func @nest(%xs: f32[?,3], %h0: f32[]) -> (f32[?], f32[?,3]) {
  %H, %P = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[?], f32[?,3] (%row: f32[3], %h: f32[]) {
    %A, %Q = scan %row, %h {nseq = 1, nstate = 1, last = [0]} : f32[], f32[3] (%e: f32[], %acc: f32[]) {
      %a2 = add %acc, %e : f32[]
      yield %a2, %a2
    }
    yield %A, %Q
  }
  return %H, %P
}
// Nested with an inner until (a barrier inside the body): the inner loop
// runs until its running sum passes the outer state; its output's length
// changes per step, so only its last value is used.
func @nu(%xs: f32[?,4], %h0: f32[]) -> (f32[?], f32[?]) {
  %H, %C = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[?], f32[?] (%row: f32[4], %h: f32[]) {
    %z = constant {value = 0.0} : f32[]
    %S = scan %row, %z, %h {nseq = 1, nstate = 1, until = true} : f32[?] (%e: f32[], %acc: f32[], %lim: f32[]) {
      %a2 = add %acc, %e : f32[]
      %c = gt %a2, %lim : bool[]
      yield %a2, %c
    }
    %m = max %S {axes = [0]} : f32[]
    %h2 = add %h, %m : f32[]
    %cnt = sum %S {axes = [0]} : f32[]
    yield %h2, %cnt
  }
  return %H, %C
}
