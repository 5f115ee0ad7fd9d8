// symjit-opt --pass-statistics: one block per pipeline entry, in pipeline
// order, each counter of passes.def in row order (zeros included), to
// stderr. By hand: canonicalize applies identity-element to %a (x * 1) and
// %c (y + -0.0), double-neg to %g; then %one, %nz, %n and the unused %k2
// are dead (4). cse merges %s2 and %s3 into %s1. constant-fold folds %k3
// and %r, then %k is dead. Nothing is left for dce.
// RUN: %symjit-opt %s --passes=canonicalize,cse,constant-fold,dce --pass-statistics 2>&1 >/dev/null | FileCheck %s
// The module still goes to stdout, unchanged by the flag:
// RUN: %symjit-opt %s --passes=canonicalize,cse,constant-fold,dce --pass-statistics 2>/dev/null | FileCheck %s --check-prefix=IR
// RUN: %symjit-opt %s --passes=canonicalize,cse,constant-fold,dce 2>/dev/null | FileCheck %s --check-prefix=IR

// CHECK:      ===-------------------------------------------------------------------------===
// CHECK-NEXT:                       ... Pass statistics report ...
// CHECK-NEXT: ===-------------------------------------------------------------------------===
// CHECK-NEXT: canonicalize
// CHECK-NEXT:   (S) 2 identity-element - x + 0, x * 1, ... replaced by x
// CHECK-NEXT:   (S) 0 self-cancel - x - x, x / x, ... replaced by a constant
// CHECK-NEXT:   (S) 1 double-neg - neg(neg(x)) replaced by x
// CHECK-NEXT:   (S) 0 fold-neg-operand - x + neg(y) and friends rewritten
// CHECK-NEXT:   (S) 0 noop-shape - reshapes, transposes, broadcasts to the same shape removed
// CHECK-NEXT:   (S) 0 shape-chain - reshape/broadcast chains folded into one op
// CHECK-NEXT:   (S) 0 transpose-chain - transpose chains folded into one op
// CHECK-NEXT:   (S) 0 broadcast-splat - broadcasts and reshapes of splat constants made constants
// CHECK-NEXT:   (S) 0 cast-chain - lossless cast round trips removed
// CHECK-NEXT:   (S) 0 pow-trivial - pow(x, 0) and pow(x, 1) replaced by 1 and x
// CHECK-NEXT:   (S) 0 pow-integer - pow(x, n) for small integers n replaced by multiplies
// CHECK-NEXT:   (S) 0 pow-sqrt - pow(x, 0.5) and pow(x, -0.5) replaced by sqrt and rsqrt
// CHECK-NEXT:   (S) 0 mul-neg-one - x * -1 and x / -1 replaced by neg(x)
// CHECK-NEXT:   (S) 0 neg-factor - neg operands of mul/div folded into the other operand
// CHECK-NEXT:   (S) 0 div-exact-recip - x / 2^k replaced by x * 2^-k
// CHECK-NEXT:   (S) 0 const-factor - constant factors merged into one
// CHECK-NEXT:   (S) 0 cancel-factor - common factors of a product and a quotient cancelled
// CHECK-NEXT:   (S) 0 transpose-unit-dims - transposes that only move unit dims made reshapes
// CHECK-NEXT:   (S) 0 reshape-transpose - unit-dim reshapes of a transpose moved below it
// CHECK-NEXT:   (S) 0 transpose-broadcast - transposes of a broadcast moved onto its operand
// CHECK-NEXT:   (S) 0 sink-transpose - elementwise ops of transposed operands made one transpose
// CHECK-NEXT:   (S) 4 dead-ops-erased - unused pure ops erased
// CHECK-NEXT: cse
// CHECK-NEXT:   (S) 2 ops-merged - ops replaced by an identical earlier op
// CHECK-NEXT: constant-fold
// CHECK-NEXT:   (S) 1 elementwise-folded - elementwise ops replaced by a constant
// CHECK-NEXT:   (S) 1 reductions-folded - reductions replaced by a constant
// CHECK-NEXT:   (S) 1 dead-ops-erased - unused pure ops erased
// CHECK-NEXT: dce
// CHECK-NEXT:   (S) 0 ops-erased - unused pure ops erased
// CHECK-NOT:  {{.}}

// dce alone erases the dead ops that are dead from the start (%k2); the
// others die only after a rewrite. A pass given twice reports twice.
// RUN: %symjit-opt %s --passes=dce,dce --pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=DCE
// DCE:      ===
// DCE-NEXT: ... Pass statistics report ...
// DCE-NEXT: ===
// DCE-NEXT: dce
// DCE-NEXT:   (S) 1 ops-erased - unused pure ops erased
// DCE-NEXT: dce
// DCE-NEXT:   (S) 0 ops-erased - unused pure ops erased
// DCE-NOT:  {{.}}

// IR-LABEL: func @f(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[], f32[4]) {
func @f(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %nz = constant {value = -0.0} : f32[]
  %a = mul %x, %one : f32[4]
  %c = add %y, %nz : f32[4]
  %n = neg %x : f32[4]
  %g = neg %n : f32[4]
  %s1 = sub %x, %y : f32[4]
  %s2 = sub %x, %y : f32[4]
  %s3 = sub %x, %y : f32[4]
  %k = constant {value = dense<[1.0, 2.0, 3.0, 4.0]>} : f32[4]
  %k2 = exp %k : f32[4]
  %k3 = neg %k : f32[4]
  %r = sum %k : f32[]
  %t = mul %s1, %s2 : f32[4]
  %u = mul %t, %s3 : f32[4]
  return %a, %c, %g, %u, %r, %k3
}
