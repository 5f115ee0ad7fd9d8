// Run-time errors of scan name the scan's line and the sequence or state:
// a sequence shorter than n, a negative n, an n whose n + 1 overflows, a yielded state whose shape is
// not its initial value's (computed before the loop, or only known per
// step after an inner `until`).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/n5.npy '<i8' '' 5
// RUN: %python %S/Inputs/write_npy.py %t/nm.npy '<i8' '' -2
// RUN: %python %S/Inputs/write_npy.py %t/x3.npy '<f4' 3 1,2,3
// RUN: %python %S/Inputs/write_npy.py %t/h1.npy '<f4' 1 0
// RUN: %python %S/Inputs/write_npy.py %t/w3.npy '<f4' 3 1,1,1
// RUN: %python %S/Inputs/write_npy.py %t/w1.npy '<f4' 1 1
// RUN: %python %S/Inputs/write_npy.py %t/x10.npy '<f4' 3 10,10,10
// RUN: %python %S/Inputs/write_npy.py %t/h3.npy '<f4' 3 0,0,0
// RUN: %python %S/Inputs/write_npy.py %t/nbig.npy '<i8' '' 9223372036854775807
// RUN: %python %S/Inputs/write_npy.py %t/z.npy '<f4' '' 0
// RUN: not %symjit-run %s --func short --input n=%t/n5.npy --input xs=%t/x3.npy --input h0=%t/z.npy 2>&1 | FileCheck %s --check-prefix=SHORT
// RUN: not %symjit-run %s --func pushed --input n=%t/n5.npy --input xs=%t/x3.npy 2>&1 | FileCheck %s --check-prefix=PUSHED
// RUN: not %symjit-run %s --func short --input n=%t/nm.npy --input xs=%t/x3.npy --input h0=%t/z.npy 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not %symjit-run %s --func short --input n=%t/nbig.npy --input xs=%t/x3.npy --input h0=%t/z.npy 2>&1 | FileCheck %s --check-prefix=BIG
// RUN: not %symjit-run %s --func grow2 --input xs=%t/x3.npy --input h0=%t/h1.npy --input w=%t/w3.npy 2>&1 | FileCheck %s --check-prefix=GROW
// RUN: not %symjit-run %s --func growlate --input xs=%t/x3.npy --input h0=%t/w1.npy --input w=%t/w3.npy 2>&1 | FileCheck %s --check-prefix=LATE
// RUN: not %symjit-run %s --func growlate --input xs=%t/x10.npy --input h0=%t/h3.npy --input w=%t/w3.npy 2>&1 | FileCheck %s --check-prefix=LATE2
// RUN: %symjit-run %s --func grow --input xs=%t/x3.npy --input h0=%t/h1.npy --input w=%t/w1.npy --print | FileCheck %s --check-prefix=SAME
// RUN: %symjit-run %s --func grow --input xs=%t/x3.npy --input h0=%t/h1.npy --input w=%t/w1.npy --check | FileCheck %s --check-prefix=CHECKED
// CHECKED: check: @{{[a-z0-9]+}} passed
// SHORT: {{.*}}scan-errors.sj:39:8: error: scan: sequence 0 (%xs) has 3 rows, fewer than the 5 steps
// PUSHED: {{.*}}scan-errors.sj:48:8: error: scan: sequence 0 (%xs) has 3 rows, fewer than the 5 steps
// NEG: {{.*}}scan-errors.sj:39:8: error: scan: the step count (%n) is -2, negative
// BIG: {{.*}}scan-errors.sj:39:8: error: scan: the step count (%n) is 9223372036854775807, too large
// GROW: {{.*}}scan-errors.sj:74:8: error: scan: state 0 is yielded by @grow2.scan0 as f32[3] but its initial value (%h0) is f32[1]
// LATE: {{.*}}scan-errors.sj:62:8: error: scan: state 0 is yielded by @growlate.scan0 as f32[3] but its initial value (%h0) is f32[1]
// LATE2: {{.*}}scan-errors.sj:62:8: error: scan: state 0 is yielded by @growlate.scan0 as f32[4] but its initial value (%h0) is f32[3]
// SAME:      grow.out0: f32[4,1] =
// SAME-NEXT: {{\[}}[0],
// SAME-NEXT:  [1],
// SAME-NEXT:  [2],
// SAME-NEXT:  [3]]
func @short(%n: i64[], %xs: f32[?], %h0: f32[]) -> (f32[?]) {
  %H = scan %n, %xs, %h0 {nseq = 1, nstate = 1, has_n = true} : f32[?] (%x: f32[], %h: f32[]) {
    %h2 = add %h, %x : f32[]
    yield %h2
  }
  return %H
}
// scan-pushout computes neg over the whole sequence before the loop; with a
// step count it keeps the user's sequence in the loop, so the row check names it.
func @pushed(%n: i64[], %xs: f32[?]) -> (f32[?]) {
  %Y = scan %n, %xs {nseq = 1, nstate = 0, has_n = true} : f32[?] (%x: f32[]) {
    %y = neg %x : f32[]
    yield %y
  }
  return %Y
}
func @grow(%xs: f32[?], %h0: f32[?], %w: f32[?]) -> (f32[?,?]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[?,?] (%x: f32[], %h: f32[?], %v: f32[?]) {
    %h2 = add %h, %v : f32[?]
    yield %h2
  }
  return %H
}
func @growlate(%xs: f32[?], %h0: f32[?], %w: f32[?]) -> (f32[?,?]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[?,?] (%x: f32[], %h: f32[?], %v: f32[?]) {
    %z = constant {value = 0.0} : f32[]
    %S = scan %v, %z, %x {nseq = 1, nstate = 1, until = true} : f32[?] (%e: f32[], %acc: f32[], %lim: f32[]) {
      %a2 = add %acc, %e : f32[]
      %c = gt %a2, %lim : bool[]
      yield %a2, %c
    }
    yield %S
  }
  return %H
}
func @grow2(%xs: f32[?], %h0: f32[?], %w: f32[?]) -> (f32[?,?]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[?,?] (%x: f32[], %h: f32[?], %v: f32[?]) {
    %h2 = neg %v : f32[?]
    yield %h2
  }
  return %H
}
