// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// RUN: %symjit-run %s --check --func stays | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func row | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func square | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-run %s --check --func later | FileCheck %s --check-prefix=EXEC
// RUN: %symjit-opt %s -O --split-input-file | FileCheck %s --check-prefix=LOWERED
// EXEC: check: @{{[a-z]+}} passed
// After the whole pipeline the step's GEMM of @stays reads the non-sequence with trans_b.
// LOWERED-LABEL: func @stays.scan0(
// LOWERED: gemm %h, %ww, %0, %x {alpha = 1.0, beta = 1.0, trans_b = true}

// A transpose of a non-sequence that only feeds a matmul of the step (its
// other operand reads a state) stays in the body: lower-to-loops makes it
// the GEMM's trans_b, free, where hoisted it would be one more pass over
// the matrix per call, and the GEMM reads the non-sequence itself (packed
// once per run, decision 0039).
// CHECK-LABEL: func @stays(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3]) -> (f32[2,3]) {
// CHECK-NEXT:   %H = scan %xs, %h0, %w {last = [0], nseq = 1, nstate = 1} : f32[2,3] (%x: f32[2,3], %h: f32[2,3], %ww: f32[3,3]) {
// CHECK-NEXT:     %wt = transpose %ww {perm = [1, 0]} : f32[3,3]
// CHECK-NEXT:     %p = matmul %h, %wt : f32[2,3]
// CHECK-NEXT:     %v = add %p, %x : f32[2,3]
// CHECK-NEXT:     yield %v
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H
// CHECK-NEXT: }
func @stays(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3]) -> (f32[2,3]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1, last = [0]} : f32[2,3] (%x: f32[2,3], %h: f32[2,3], %ww: f32[3,3]) {
    %wt = transpose %ww {perm = [1, 0]} : f32[3,3]
    %p = matmul %h, %wt : f32[2,3]
    %v = add %p, %x : f32[2,3]
    yield %v
  }
  return %H
}

// -----

// The matmul's other operand is a sequence row: the transpose is hoisted
// and x_t @ w^T becomes one GEMM before the loop (then an accumulation).
// CHECK-LABEL: func @row(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3]) -> (f32[2,3]) {
// CHECK-NEXT:   %wt = transpose %w {perm = [1, 0]} : f32[3,3]
// CHECK-NEXT:   %0 = reshape %xs : f32[10,3]
// CHECK-NEXT:   %1 = matmul %0, %wt : f32[10,3]
// CHECK-NEXT:   %p = reshape %1 : f32[5,2,3]
// CHECK-NEXT:   %2 = sum %p {axes = [0]} : f32[2,3]
// CHECK-NEXT:   %3 = add %h0, %2 : f32[2,3]
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
func @row(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3]) -> (f32[2,3]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1, last = [0]} : f32[2,3] (%x: f32[2,3], %h: f32[2,3], %ww: f32[3,3]) {
    %wt = transpose %ww {perm = [1, 0]} : f32[3,3]
    %p = matmul %x, %wt : f32[2,3]
    %v = add %p, %h : f32[2,3]
    yield %v
  }
  return %H
}

// -----

// wt @ wt is invariant: a transpose with such a use is hoisted (and the
// product with it), even though it also feeds a per-step matmul.
// CHECK-LABEL: func @square(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3]) -> (f32[2,3]) {
// CHECK-NEXT:   %wt = transpose %w {perm = [1, 0]} : f32[3,3]
// CHECK-NEXT:   %q = matmul %wt, %wt : f32[3,3]
// CHECK-NEXT:   %H = scan %xs, %h0, %wt, %q {last = [0], nseq = 1, nstate = 1} : f32[2,3] (%x: f32[2,3], %h: f32[2,3], %wt_1: f32[3,3], %q_1: f32[3,3]) {
// CHECK-NEXT:     %p = matmul %h, %wt_1 : f32[2,3]
// CHECK-NEXT:     %r = matmul %p, %q_1 : f32[2,3]
// CHECK-NEXT:     %v = add %r, %x : f32[2,3]
// CHECK-NEXT:     yield %v
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H
// CHECK-NEXT: }
func @square(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3]) -> (f32[2,3]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1, last = [0]} : f32[2,3] (%x: f32[2,3], %h: f32[2,3], %ww: f32[3,3]) {
    %wt = transpose %ww {perm = [1, 0]} : f32[3,3]
    %q = matmul %wt, %wt : f32[3,3]
    %p = matmul %h, %wt : f32[2,3]
    %r = matmul %p, %q : f32[2,3]
    %v = add %r, %x : f32[2,3]
    yield %v
  }
  return %H
}

// -----

// The other operand is hoisted later in the same sweep (exp of a
// non-sequence): the next round hoists the transpose and the product.
// CHECK-LABEL: func @later(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3], %u: f32[2,3]) -> (f32[2,3]) {
// CHECK-NEXT:   %e = exp %u : f32[2,3]
// CHECK-NEXT:   %wt = transpose %w {perm = [1, 0]} : f32[3,3]
// CHECK-NEXT:   %p = matmul %e, %wt : f32[2,3]
// CHECK-NEXT:   %H = scan %xs, %h0, %p {last = [0], nseq = 1, nstate = 1} : f32[2,3] (%x: f32[2,3], %h: f32[2,3], %p_1: f32[2,3]) {
// CHECK-NEXT:     %v = mul %p_1, %h : f32[2,3]
// CHECK-NEXT:     %y = add %v, %x : f32[2,3]
// CHECK-NEXT:     yield %y
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H
// CHECK-NEXT: }
func @later(%xs: f32[5,2,3], %h0: f32[2,3], %w: f32[3,3], %u: f32[2,3]) -> (f32[2,3]) {
  %H = scan %xs, %h0, %w, %u {nseq = 1, nstate = 1, last = [0]} : f32[2,3] (%x: f32[2,3], %h: f32[2,3], %ww: f32[3,3], %uu: f32[2,3]) {
    %wt = transpose %ww {perm = [1, 0]} : f32[3,3]
    %e = exp %uu : f32[2,3]
    %p = matmul %e, %wt : f32[2,3]
    %v = mul %p, %h : f32[2,3]
    %y = add %v, %x : f32[2,3]
    yield %y
  }
  return %H
}
