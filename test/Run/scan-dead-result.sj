// A scan result nobody reads (here the final step count %cnt) still lives
// while the loop runs: its buffer must not be a sibling result's (the
// collected rows %sq, read only by the scatter), which the loop's last
// write would corrupt (row 0 became the count's bits). BPTT leaves such
// unread final carries and counters in every backward loop.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/a.npy '<f8' 3 2,3,5
// RUN: %symjit-run %s --func f --input a=%t/a.npy --check | FileCheck %s --check-prefix=REF
// RUN: %symjit-run %s --func f --input a=%t/a.npy --print | FileCheck %s
// REF: check: @f passed
// CHECK:      f.out0: f64[3] =
// CHECK-NEXT: [4, 9, 0]
func @f(%a: f64[3]) -> (f64[3]) {
  %n = constant {value = 2} : i64[]
  %zero = constant {value = 0} : i64[]
  %cnt, %sq, %t = scan %n, %a, %zero {has_n = true, last = [0], nseq = 1, nstate = 1} : i64[], f64[?], i64[?] (%x: f64[], %c: i64[]) {
    %one = constant {value = 1} : i64[]
    %c2 = add %c, %one : i64[]
    %x2 = mul %x, %x : f64[]
    yield %c2, %x2, %c
  }
  %r = scatter_add %sq, %t, %a {axis = 0} : f64[3]
  return %r
}
