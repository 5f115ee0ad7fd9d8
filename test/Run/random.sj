// The random ops executed (docs/decisions/0018-random.md): the fused and
// unfused compiled paths against the reference evaluator, at dynamic,
// zero-size and large shapes; the same bits with 1 and 4 threads (a draw of
// 40000 elements is split by the pool); a row with nothing to draw is an
// error naming the op's line.
// RUN: %symjit-run %s --func draws --shape x=7x5 --check | FileCheck %s --check-prefix=CHECK
// RUN: %symjit-run %s --func draws --shape x=0x5 --check | FileCheck %s --check-prefix=CHECK
// RUN: %symjit-run %s --func draws --shape x=8000x5 --check | FileCheck %s --check-prefix=CHECK
// RUN: %symjit-run %s --func probs --shape w=9x4 --range 0,1 --check | FileCheck %s --check-prefix=PROBS
// RUN: rm -rf %t1 %t4 && mkdir -p %t1 %t4
// RUN: %symjit-run %s --func draws --shape x=8000x5 --threads 1 --save %t1 > /dev/null
// RUN: %symjit-run %s --func draws --shape x=8000x5 --threads 4 --save %t4 > /dev/null
// RUN: for i in 0 1 2 3 4 5; do cmp %t1/draws_out$i.npy %t4/draws_out$i.npy || exit 1; done
// RUN: not %symjit-run %s --func probs --shape w=3x4 --range -2,-1 2>&1 | FileCheck %s --check-prefix=BAD
// CHECK: check: @draws passed
// PROBS: check: @probs passed
func @draws(%s: i64[2], %x: f32[?,5]) -> (f32[?,5], f64[?,5], bool[?,5], i32[?], i64[2], f32[3,2]) {
  %u = random_uniform %s, %x {hi = 3.0, lo = -2.0} : f32[?,5]
  %e = exp %x : f32[?,5]
  %y = random_normal %s, %e {mean = 1.0, std = 0.5} : f64[?,5]
  %b = random_bernoulli %s, %x {p = 0.3} : bool[?,5]
  %c = random_categorical %s, %x {logits = true} : i32[?]
  %t = random_skip %s, %x : i64[2]
  %k = random_uniform %t {hi = 1.0, lo = 0.0} : f32[3,2]
  return %u, %y, %b, %c, %t, %k
}
// BAD: random.sj:[[@LINE+3]]:8: error: random_categorical of the weights f32[3,4]: row 0 has no category to draw (a negative, NaN or infinite weight, or all zero)
func @probs(%s: i64[2], %w: f32[?,4]) -> (i64[?]) {
  %p = add %w, %w : f32[?,4]
  %0 = random_categorical %s, %p : i64[?]
  return %0
}
