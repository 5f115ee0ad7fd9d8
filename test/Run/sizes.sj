// Sizes that cannot exist fail before anything runs, with the shape named.
// A static type beyond the size rule is a verifier error (test/IR/errors-sizes.sj):
// RUN: not %symjit-run %S/Inputs/huge-static.sj 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: huge-static.sj:2:1: error: 'func' op argument 0 has type f32[4611686018427387904,1], over 2^63 bytes (zero dims aside)
// A run-time shape beyond it (numpy refuses (1, 2^63-1) of f32 too):
// RUN: not %symjit-run %s --func g --shape x=0x1 --shape y=1x9223372036854775807 2>&1 | FileCheck %s --check-prefix=RULE
// RULE: symjit-run: error: cannot create input %y: shape (1, 9223372036854775807) of 4-byte elements is too large: over 2^63 bytes (zero dims aside)
// Within the rule but beyond any machine (2^60 bytes): refused before malloc.
// RUN: not %symjit-run %s --func f --shape x=2x1 2>&1 | FileCheck %s --check-prefix=MEM
// MEM: symjit-run: error: cannot create input %y: 1152921504606846976 bytes are more than this machine's memory ({{[0-9]+}} bytes)
// RUN: not %symjit-run %s --func g --shape x=2x1 --shape y=1x-3 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: symjit-run: error: --shape y=1x-3: expected 2 non-negative dims like 2x3 for %y
// RUN: not %symjit-run %s --func g --shape x=2x1 --shape y=1x99999999999999999999 2>&1 | FileCheck %s --check-prefix=SHAPE2
// SHAPE2: symjit-run: error: --shape y=1x99999999999999999999: expected 2 non-negative dims like 2x3 for %y
func @f(%x: f32[?,1], %y: f32[1,288230376151711744]) -> (f32[?,288230376151711744]) {
  %0 = add %x, %y : f32[?,288230376151711744]
  return %0
}

func @g(%x: f32[?,1], %y: f32[1,?]) -> (f32[?,?]) {
  %0 = add %x, %y : f32[?,?]
  return %0
}
