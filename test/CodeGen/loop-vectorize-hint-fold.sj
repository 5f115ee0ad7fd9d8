// A loop with both the loop.vectorize hint (decision 0042) and an inline
// f32 exp in its own body (no carried values: the tail folding of
// math_lib.c, sj_cg_fold_tail) gets one loop ID carrying both hints; the
// fold alone stays as before (test/CodeGen/exp-fold-tail.sj).
// REQUIRES: avx512f
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s

// CHECK-LABEL: define internal void @sjk_e_k0.impl(
// CHECK: br label %loop, !llvm.loop ![[$L:[0-9]+]]
// CHECK: ![[$L]] = distinct !{![[$L]], ![[E:[0-9]+]], ![[W:[0-9]+]], ![[P:[0-9]+]]}
// CHECK-NEXT: ![[E]] = !{!"llvm.loop.vectorize.enable", i1 true}
// CHECK-NEXT: ![[W]] = !{!"llvm.loop.vectorize.width", i32 8}
// CHECK-NEXT: ![[P]] = !{!"llvm.loop.vectorize.predicate.enable", i1 true}
// CHECK-NOT: !{{[0-9]+}} =
kernel @e_k0(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  for %c0, %n {loop.vectorize = 8} (%i: i64) {
    %x = load %in0, %i : f32
    %y = exp %x : f32
    store %y, %out0, %i
    yield
  }
  return
}
