// Found by the semantic fuzzer (seed 10 with scans): a scan whose state
// result is unused while its output feeds another kernel computed a wrong
// output (-144 where the reference and a hand computation in Python give
// -36): an unused result had last_use -1 (lib/api/plan.c), so the next
// result of the same step took its buffer and the states written into their
// rows overwrote the outputs. Fixed: a result lives at least while its step
// runs (compute_lifetimes).
// RUN: %symjit-run %s --check --shape xs=5x4x3 --int-range -6,12 --random 10 | FileCheck %s
// CHECK: check: @f passed
func @f(%xs: i64[?,?,3]) -> (i64[?,?,3]) {
  %h0 = sum %xs {axes = [0]} : i64[?,3]
  %H, %Y = scan %xs, %h0 {nseq = 1, nstate = 1, reverse = true} : i64[?,?,3], i64[?,?,3] (%x: i64[?,3], %h: i64[?,3]) {
    %h2 = minimum %h, %x : i64[?,3]
    %y = mul %x, %h2 : i64[?,3]
    yield %h2, %y
  }
  %z = neg %Y : i64[?,?,3]
  return %z
}
