// logsumexp's max and sum of exp run in one pass over memory, chunk by chunk
// (docs/codegen.md, "One-pass max and sum of exp"); the fold of the chunk
// results must give what the two passes give, at the inputs that break a
// naive online form: whole chunks of -inf before finite ones (their own sum
// is exp(-inf - -inf) = NaN and must count 0), everything -inf (NaN), one
// +inf or one NaN (NaN), chunk maxima 100 apart, the maximum in the last
// chunk, a single finite value among -inf (exactly that value). 40000
// elements = 3 chunks; --check also runs the unfused path and compares
// both with the double-precision reference.
// RUN: rm -rf %t && mkdir -p %t && %python %S/Inputs/lse_inputs.py %t
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/neginf_head.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/all_neginf.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/one_inf.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/one_nan.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/far_chunks.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/ascending.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/single_finite.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --input x=%t/all_inf.npy | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --input x=%t/all_neginf.npy --print | FileCheck %s --check-prefix=NAN
// RUN: %symjit-run %examples/logsumexp.sj --input x=%t/single_finite.npy --print | FileCheck %s --check-prefix=ONE
// RUN: %symjit-run %examples/logsumexp.sj --input x=%t/neginf_head.npy --print | FileCheck %s --check-prefix=HEAD
// Sizes around the chunk (16384) and the most chunks (1024 of them at 2^24),
// and the f64 form.
// RUN: %symjit-run %examples/logsumexp.sj --check --shape x=0 | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --shape x=1 --range -50,50 | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --shape x=16385 --range -50,50 | FileCheck %s
// RUN: %symjit-run %examples/logsumexp.sj --check --shape x=17000000 --range -80,80 | FileCheck %s
// RUN: %symjit-run %s --func lse64 --check --shape x=50000 --range -700,700 | FileCheck %s --check-prefix=F64
// A full reduction of a matrix is a nest of two reduction loops; chunks are
// then ranges of rows (16 rows of 1000).
// RUN: %symjit-run %s --func lse2 --check --input x=%t/rows_neginf_head.npy | FileCheck %s --check-prefix=TWO
// RUN: %symjit-run %s --func lse2 --check --input x=%t/rows_one_inf.npy | FileCheck %s --check-prefix=TWO
// RUN: %symjit-run %s --func lse2 --check --shape x=3000x700 --range -40,40 | FileCheck %s --check-prefix=TWO
// RUN: %symjit-run %s --func lse2 --check --shape x=5x0 | FileCheck %s --check-prefix=TWO
// RUN: %symjit-run %s --func lse2 --input x=%t/rows_neginf_head.npy --print | FileCheck %s --check-prefix=HEAD2
// CHECK: check: @logsumexp passed
// NAN: logsumexp.out0: f32[] =
// NAN-NEXT: nan
// ONE: logsumexp.out0: f32[] =
// ONE-NEXT: 3.5
// HEAD: logsumexp.out0: f32[] =
// HEAD-NEXT: 10.0675
// F64: check: @lse64 passed
// TWO: check: @lse2 passed
// HEAD2: lse2.out0: f32[] =
// HEAD2-NEXT: 10.0675
func @lse64(%x: f64[?]) -> (f64[]) {
  %m = max %x : f64[]
  %s = sub %x, %m : f64[?]
  %e = exp %s : f64[?]
  %t = sum %e : f64[]
  %l = log %t : f64[]
  %r = add %l, %m : f64[]
  return %r
}

func @lse2(%x: f32[?,?]) -> (f32[]) {
  %m = max %x : f32[]
  %s = sub %x, %m : f32[?,?]
  %e = exp %s : f32[?,?]
  %t = sum %e : f32[]
  %l = log %t : f32[]
  %r = add %l, %m : f32[]
  return %r
}
