// Sums of slice updates of zeros assembled into one chain (assemble-slices)
// and slice_update written in place (lower-to-loops), against the
// double-precision reference (decision 0025), at inputs where a wrong
// rewrite or a wrong in-place write shows:
// - @signed: -0.0 values: the sum makes them +0.0 (1/x is +inf, not -inf),
//   which the chain must keep (`+ 0.0`); --fast-math drops it, and the check
//   then fails, so this test can;
// - @gates: four gates, one "add" update, the sum also read afterwards;
// - @strided: even rows and odd rows (a negative step), x[::2] + x[1::2];
// - @partial: a non-zero splat base and regions that leave some of it;
// - @read_after: the base is read after the update (a copy must be made);
// - @dead: a dead computed base updated twice in place, dynamic rows, 0 rows;
// - @self: x[::-1] = x (the values are the base: no in-place write);
// - @inscan: the LSTM's form in a scan body, the zeros a non-sequence;
// - @lf_*: update kernels loop-fused with their producer (disjoint columns),
//   and not (overlapping, interleaved columns);
// - @ge, @ge2: an update in place into a gemm's output, which gemm-epilogue
//   then runs on each row panel (values broadcast along the rows);
// - @empty, @f16: a zero-size sum (no fill, nothing written), f16 values
//   with a strided "add" onto zero.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/a.npy '<f4' 2x2 -0.0,-0.0,1.0,-0.0
// RUN: %python %S/Inputs/write_npy.py %t/b.npy '<f4' 2x2 -0.0,2.0,-0.0,-0.0
// RUN: %symjit-run %s --check --func signed --input a=%t/a.npy --input b=%t/b.npy | FileCheck %s
// RUN: not %symjit-run %s --check --fast-math --func signed --input a=%t/a.npy --input b=%t/b.npy | FileCheck %s --check-prefix=FAST
// RUN: %symjit-run %s --check --func gates | FileCheck %s
// RUN: %symjit-run %s --check --func strided | FileCheck %s
// RUN: %symjit-run %s --check --func partial | FileCheck %s
// RUN: %symjit-run %s --check --func read_after | FileCheck %s
// RUN: %symjit-run %s --check --func dead --shape x=5x3 --shape y=5x1 | FileCheck %s
// RUN: %symjit-run %s --check --func dead --shape x=0x3 --shape y=0x1 | FileCheck %s
// RUN: %symjit-run %s --check --func self | FileCheck %s
// RUN: %symjit-run %s --check --func inscan | FileCheck %s
// RUN: %symjit-run %s --check --func lf_gates | FileCheck %s
// RUN: %symjit-run %s --check --func lf_overlap | FileCheck %s
// RUN: %symjit-run %s --check --func lf_strided | FileCheck %s
// RUN: %symjit-run %s --check --func ge | FileCheck %s
// RUN: %symjit-run %s --check --func ge2 | FileCheck %s
// RUN: %symjit-run %s --check --func empty | FileCheck %s
// RUN: %symjit-run %s --check --func f16 | FileCheck %s
// RUN: %symjit-opt %s -O --pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
// CHECK: check: @{{[a-z_0-9]+}} passed
// FAST: first mismatch at element 0: got -inf, reference inf
// FAST: check: @signed FAILED
// The sums of @signed, @gates, @strided, @inscan, @empty and @f16 are
// assembled; the splat zero of @inscan is sunk into its body first.
// STATS: (S) 1 splats-sunk
// STATS: assemble-slices
// STATS-NEXT: (S) 6 sums-assembled
func @signed(%a: f32[2,2], %b: f32[2,2]) -> (f32[2,4], f32[2,4]) {
  %z = constant {value = 0.0} : f32[2,4]
  %one = constant {value = 1.0} : f32[]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,4]
  %1 = slice_update %z, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,4]
  %2 = add %0, %1 : f32[2,4]
  %3 = div %one, %2 : f32[2,4]
  return %2, %3
}
func @gates(%a: f32[3,2], %b: f32[3,2], %c: f32[3,2], %d: f32[3,2]) -> (f32[3,8], f32[3,8]) {
  %z = constant {value = 0.0} : f32[3,8]
  %two = constant {value = 2.0} : f32[]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [3, 2]} : f32[3,8]
  %1 = slice_update %z, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [3, 4]} : f32[3,8]
  %2 = slice_update %z, %c {mode = "add", start = [0, 4], step = [1, 1], stop = [3, 6]} : f32[3,8]
  %3 = slice_update %z, %d {mode = "set", start = [0, 6], step = [1, 1], stop = [3, 8]} : f32[3,8]
  %4 = add %0, %1 : f32[3,8]
  %5 = add %2, %4 : f32[3,8]
  %6 = add %5, %3 : f32[3,8]
  %7 = mul %6, %two : f32[3,8]
  return %6, %7
}
func @strided(%a: f32[4,3], %b: f32[3]) -> (f32[8,3]) {
  %z = constant {value = 0.0} : f32[8,3]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [2, 1], stop = [8, 3]} : f32[8,3]
  %1 = slice_update %z, %b {mode = "set", start = [7, 0], step = [-2, 1], stop = [-9223372036854775807, 3]} : f32[8,3]
  %2 = add %1, %0 : f32[8,3]
  return %2
}
func @partial(%a: f32[2,2], %b: f32[]) -> (f32[2,4]) {
  %z = constant {value = 1.5} : f32[2,4]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,4]
  %1 = slice_update %0, %b {mode = "add", start = [1, 1], step = [1, 1], stop = [2, 4]} : f32[2,4]
  return %1
}
func @read_after(%x: f32[4,3], %y: f32[4,1]) -> (f32[4,3], f32[4,3]) {
  %e = exp %x : f32[4,3]
  %0 = slice_update %e, %y {mode = "add", start = [0, 1], step = [1, 1], stop = [4, 2]} : f32[4,3]
  %1 = neg %e : f32[4,3]
  return %0, %1
}
func @dead(%x: f32[?,3], %y: f32[?,1], %s: f32[]) -> (f32[?,3]) {
  %e = exp %x : f32[?,3]
  %0 = slice_update %e, %y {mode = "add", start = [0, 1], step = [1, 1], stop = [9223372036854775807, 2]} : f32[?,3]
  %1 = slice_update %0, %s {mode = "set", start = [-1, 0], step = [1, 1], stop = [9223372036854775807, 1]} : f32[?,3]
  return %1
}
func @self(%x: f32[5]) -> (f32[5]) {
  %e = exp %x : f32[5]
  %0 = slice_update %e, %e {mode = "set", start = [4], step = [-1], stop = [-9223372036854775807]} : f32[5]
  return %0
}
func @inscan(%gs: f32[5,2,4], %h0: f32[2,8]) -> (f32[2,8], f32[5,2,8]) {
  %z = constant {value = 0.0} : f32[2,8]
  %H, %Y = scan %gs, %h0, %z {nseq = 1, nstate = 1, last = [0]} : f32[2,8], f32[5,2,8] (%g: f32[2,4], %h: f32[2,8], %zz: f32[2,8]) {
    %hs = slice %h {start = [0, 0], step = [1, 1], stop = [2, 4]} : f32[2,4]
    %a = mul %g, %hs : f32[2,4]
    %b = tanh %g : f32[2,4]
    %0 = slice_update %zz, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 4]} : f32[2,8]
    %1 = slice_update %zz, %b {mode = "set", start = [0, 4], step = [1, 1], stop = [2, 8]} : f32[2,8]
    %2 = add %0, %1 : f32[2,8]
    %3 = add %2, %h : f32[2,8]
    yield %3, %2
  }
  return %H, %Y
}
func @lf_gates(%x: f32[2,2]) -> (f32[2,4]) {
  %z = constant {value = 0.0} : f32[2,4]
  %a = exp %x : f32[2,2]
  %b = tanh %x : f32[2,2]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,4]
  %1 = slice_update %0, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,4]
  return %1
}
func @lf_overlap(%x: f32[2,3]) -> (f32[2,5]) {
  %z = constant {value = 0.0} : f32[2,5]
  %a = exp %x : f32[2,3]
  %b = tanh %x : f32[2,3]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 3]} : f32[2,5]
  %1 = slice_update %0, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 5]} : f32[2,5]
  return %1
}
func @lf_strided(%x: f32[2,2]) -> (f32[2,4]) {
  %z = constant {value = 0.0} : f32[2,4]
  %a = exp %x : f32[2,2]
  %b = tanh %x : f32[2,2]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 2], stop = [2, 4]} : f32[2,4]
  %1 = slice_update %0, %b {mode = "set", start = [0, 1], step = [1, 2], stop = [2, 4]} : f32[2,4]
  return %1
}
func @ge(%a: f32[4,3], %b: f32[3,5], %y: f32[1,2]) -> (f32[4,5]) {
  %m = matmul %a, %b : f32[4,5]
  %0 = slice_update %m, %y {mode = "add", start = [0, 1], step = [1, 1], stop = [4, 3]} : f32[4,5]
  return %0
}
func @ge2(%a: f32[4,3], %b: f32[3,5], %y: f32[]) -> (f32[4,5]) {
  %m = matmul %a, %b : f32[4,5]
  %0 = slice_update %m, %y {mode = "set", start = [0, 1], step = [1, 1], stop = [4, 3]} : f32[4,5]
  return %0
}
func @empty(%a: f32[0,2], %b: f32[0,2]) -> (f32[0,4]) {
  %z = constant {value = 0.0} : f32[0,4]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [0, 2]} : f32[0,4]
  %1 = slice_update %z, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [0, 4]} : f32[0,4]
  %2 = add %0, %1 : f32[0,4]
  return %2
}
func @f16(%a: f16[3], %b: f16[]) -> (f16[6]) {
  %z = constant {value = 0.0} : f16[6]
  %0 = slice_update %z, %a {mode = "set", start = [0], step = [2], stop = [6]} : f16[6]
  %1 = slice_update %z, %b {mode = "add", start = [1], step = [2], stop = [6]} : f16[6]
  %2 = add %0, %1 : f16[6]
  return %2
}
