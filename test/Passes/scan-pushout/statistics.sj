// The pass's counters, by hand: exp(w) hoisted (1); x_t @ W and the bias
// add pushed out (1 matmul, 1 elementwise); dW += x_tᵀ @ d_t made one GEMM
// (1), db += sum(d_t, 0) a sum after the loop (1); the output %P yielding
// the pushed-out rows forwarded to them (1); the unread output %Y and the
// forwarded %P removed (2), the state %C whose result is unused and which
// nothing else reads removed (1); arguments nobody reads any more: %ww,
// %bb, %cc, the hoisted %e, the projection's rows %p (replaced by the
// bias add's), %x (the GEMM reads %xs itself) (6).
// RUN: %symjit-opt %s --passes=scan-pushout --pass-statistics 2>&1 >/dev/null | FileCheck %s
// CHECK:      scan-pushout
// CHECK-NEXT:   (S) 1 ops-hoisted - body ops of non-sequences moved before the loop
// CHECK-NEXT:   (S) 1 seq-elementwise - elementwise ops of sequence rows computed for all steps before the loop
// CHECK-NEXT:   (S) 1 seq-matmuls - x_t @ W made one matmul over all steps before the loop
// CHECK-NEXT:   (S) 1 accum-sums - u + f_t accumulators replaced by a sum over the steps after the loop
// CHECK-NEXT:   (S) 1 accum-gemms - u + a_t @ b_t accumulators replaced by one matmul of whole sequences after the loop
// CHECK-NEXT:   (S) 1 rows-forwarded - all-steps outputs that are a sequence's rows replaced by the sequence
// CHECK-NEXT:   (S) 2 dead-outputs - unused outputs removed from the loop
// CHECK-NEXT:   (S) 1 dead-states - unused states nothing needed depends on removed from the loop
// CHECK-NEXT:   (S) 6 args-removed - unread sequences and non-sequences removed from the loop
// CHECK-NEXT:   (S) 0 splats-sunk - splat-constant non-sequences made constants of the body
// CHECK-NOT:  {{.}}
func @f(%xs: f32[5,2,3], %h0: f32[2,4], %dw0: f32[3,4], %db0: f32[4], %c0: f32[4], %w: f32[3,4], %b: f32[4], %cw: f32[4]) -> (f32[3,4], f32[4], f32[6,2,4], f32[5,2,4]) {
  %H, %DW, %DB, %C, %Y, %P = scan %xs, %h0, %dw0, %db0, %c0, %w, %b, %cw {nseq = 1, nstate = 4, last = [1, 2, 3]} : f32[6,2,4], f32[3,4], f32[4], f32[4], f32[5,2,4], f32[5,2,4] (%x: f32[2,3], %h: f32[2,4], %dw: f32[3,4], %db: f32[4], %c: f32[4], %ww: f32[3,4], %bb: f32[4], %cc: f32[4]) {
    %e = exp %ww : f32[3,4]
    %p = matmul %x, %e : f32[2,4]
    %pb = add %p, %bb : f32[2,4]
    %q = mul %pb, %h : f32[2,4]
    %d = tanh %q : f32[2,4]
    %xt = transpose %x {perm = [1, 0]} : f32[3,2]
    %f = matmul %xt, %d : f32[3,4]
    %dw2 = add %dw, %f : f32[3,4]
    %s = sum %d {axes = [0]} : f32[4]
    %db2 = add %db, %s : f32[4]
    %c2 = mul %c, %cc : f32[4]
    %y = neg %d : f32[2,4]
    yield %d, %dw2, %db2, %c2, %y, %pb
  }
  return %DW, %DB, %H, %P
}
