// Data-dependent result shapes (docs/decisions/0015-scan-execution.md): a
// scan with `until` stops after the step whose condition is true
// (do-while), its results have m (+1) rows, and what follows it (a kernel
// over its output) is sized after it ran. A step count computed by an
// earlier kernel (a sum of an i64 input) likewise; n = 0 keeps the initial
// value of a `last` state.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/xs.npy '<f4' 6 1,2,3,4,5,6
// RUN: %python %S/Inputs/write_npy.py %t/z.npy '<f4' '' 0
// RUN: %python %S/Inputs/write_npy.py %t/l5.npy '<f4' '' 5
// RUN: %python %S/Inputs/write_npy.py %t/l100.npy '<f4' '' 100
// RUN: %python %S/Inputs/write_npy.py %t/lm.npy '<f4' '' -1
// RUN: %python %S/Inputs/write_npy.py %t/ks.npy '<i8' 3 1,2,0
// RUN: %python %S/Inputs/write_npy.py %t/h2.npy '<f4' 2 0,1
// RUN: %python %S/Inputs/write_npy.py %t/k0.npy '<i8' 0 ''
// RUN: %symjit-run %s --func u --input xs=%t/xs.npy --input h0=%t/z.npy --input lim=%t/l5.npy --print | FileCheck %s --check-prefix=STOP3
// RUN: %symjit-run %s --func u --input xs=%t/xs.npy --input h0=%t/z.npy --input lim=%t/l5.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func u --input xs=%t/xs.npy --input h0=%t/z.npy --input lim=%t/l100.npy --print | FileCheck %s --check-prefix=ALL
// RUN: %symjit-run %s --func u --input xs=%t/xs.npy --input h0=%t/z.npy --input lim=%t/l100.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func u --input xs=%t/xs.npy --input h0=%t/z.npy --input lim=%t/lm.npy --print | FileCheck %s --check-prefix=FIRST
// RUN: %symjit-run %s --func u --input xs=%t/xs.npy --input h0=%t/z.npy --input lim=%t/lm.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func cn --input ks=%t/ks.npy --input h0=%t/h2.npy --print | FileCheck %s --check-prefix=CN
// RUN: %symjit-run %s --func cn --input ks=%t/ks.npy --input h0=%t/h2.npy --check | FileCheck %s --check-prefix=CHECKED
// RUN: %symjit-run %s --func cn --input ks=%t/k0.npy --input h0=%t/h2.npy --print | FileCheck %s --check-prefix=CN0
// RUN: %symjit-run %s --func cn --input ks=%t/k0.npy --input h0=%t/h2.npy --check | FileCheck %s --check-prefix=CHECKED
// CHECKED: check: @{{[a-z0-9]+}} passed
// STOP3:      u.out0: f32[4] =
// STOP3-NEXT: [0, 1, 3, 6]
// STOP3-NEXT: u.out1: f32[3] =
// STOP3-NEXT: [-1, -9, -36]
// STOP3-NEXT: u.out2: f32[] =
// STOP3-NEXT: -46
// ALL:      u.out0: f32[7] =
// ALL-NEXT: [0, 1, 3, 6, 10, 15, 21]
// ALL-NEXT: u.out1: f32[6] =
// ALL-NEXT: [-1, -9, -36, -100, -225, -441]
// ALL-NEXT: u.out2: f32[] =
// ALL-NEXT: -812
// FIRST:      u.out0: f32[2] =
// FIRST-NEXT: [0, 1]
// FIRST-NEXT: u.out1: f32[1] =
// FIRST-NEXT: [-1]
// FIRST-NEXT: u.out2: f32[] =
// FIRST-NEXT: -1
// CN:      cn.out0: f32[4,2] =
// CN-NEXT: {{\[}}[0, 1],
// CN-NEXT:  [1, 2],
// CN-NEXT:  [2, 3],
// CN-NEXT:  [3, 4]]
// CN-NEXT: cn.out1: f32[2] =
// CN-NEXT: [0, 24]
// CN0:      cn.out0: f32[1,2] =
// CN0-NEXT: {{\[}}[0, 1]]
// CN0-NEXT: cn.out1: f32[2] =
// CN0-NEXT: [0, 1]
// until: stops after the step whose condition is true (do-while); the
// results have m (+1) rows. Followed by a kernel using the result (its
// shape is computed after the scan ran).
func @u(%xs: f32[?], %h0: f32[], %lim: f32[]) -> (f32[?], f32[?], f32[]) {
  %H, %Y = scan %xs, %h0, %lim {nseq = 1, nstate = 1, until = true} : f32[?], f32[?] (%x: f32[], %h: f32[], %l: f32[]) {
    %h2 = add %h, %x : f32[]
    %y = mul %h2, %h2 : f32[]
    %c = gt %h2, %l : bool[]
    yield %h2, %y, %c
  }
  %Y2 = neg %Y : f32[?]
  %s = sum %Y2 {axes = [0]} : f32[]
  return %H, %Y2, %s
}
// n computed by an earlier kernel (a sum of an i64 input): the step count
// is data; the last state and everything after are sized after it runs.
func @cn(%ks: i64[?], %h0: f32[2]) -> (f32[?,2], f32[2]) {
  %n = sum %ks {axes = [0]} : i64[]
  %H, %L = scan %n, %h0, %h0 {nseq = 0, nstate = 2, has_n = true, last = [1]} : f32[?,2], f32[2] (%h: f32[2], %g: f32[2]) {
    %one = constant {value = 1.0} : f32[2]
    %h2 = add %h, %one : f32[2]
    %g2 = mul %g, %h2 : f32[2]
    yield %h2, %g2
  }
  %e = exp %H : f32[?,2]
  %r = sum %e {axes = [0]} : f32[2]
  return %H, %L
}
