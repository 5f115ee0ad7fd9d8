// An elementwise loop with an inline f32 exp folds its remainder into the
// vector loop under a mask on AVX-512 hosts (math_lib.c, sj_cg_fold_tail):
// one copy of the exp polynomial instead of three (16-lane body, 8-lane
// epilogue, scalar loop), which was most of the compile time. A reduction
// loop with an exp keeps the epilogue (it is interleaved; a masked one is
// not), and neither a loop without an exp nor an outer loop whose exp is in
// a nested loop (log_softmax's rows) gets the hint.
// REQUIRES: avx512f
// RUN: %symjit-opt %s -O --emit-llvm --llvm-opt=0 | FileCheck %s --check-prefix=HINT
// RUN: %symjit-opt %s -O --emit-llvm | FileCheck %s

// HINT-LABEL: define internal void @sjk_m_k0.impl.par0.impl(
// HINT: br label %loop, !llvm.loop ![[$L:[0-9]+]]
// HINT-LABEL: define internal void @sjk_s_f0.impl(
// HINT-NOT: !llvm.loop
// HINT: ![[$L]] = distinct !{![[$L]], ![[P:[0-9]+]]}
// HINT-NEXT: ![[P]] = !{!"llvm.loop.vectorize.predicate.enable", i1 true}
// HINT-NOT: !{{[0-9]+}} =

// CHECK-LABEL: define internal void @sjk_m_k0.impl.par0(
// CHECK: call <16 x float> @llvm.masked.load.v16f32.p0(
// CHECK: call void @llvm.masked.store.v16f32.p0(<16 x float>
// CHECK-NOT: vec.epilog
// CHECK-NOT: fmuladd.f32
// CHECK-LABEL: define void @sjk_m_k0(
// CHECK-LABEL: define internal void @sjk_s_f0.impl.par0(
// CHECK: vec.epilog.vector.body:
// CHECK-LABEL: define internal void @sjk_p_k0.impl.par0(
// CHECK: vec.epilog.vector.body:

func @m(%x: f32[?]) -> (f32[?]) {
  %e = exp %x : f32[?]
  return %e
}
func @s(%x: f32[?]) -> (f32[]) {
  %e = exp %x : f32[?]
  %t = sum %e : f32[]
  return %t
}
func @p(%x: f32[?]) -> (f32[?]) {
  %y = mul %x, %x : f32[?]
  return %y
}
func @r(%x: f32[?,8]) -> (f32[?,8]) {
  %m = max %x {axes = [1], keepdims = true} : f32[?,1]
  %s = sub %x, %m : f32[?,8]
  %e = exp %s : f32[?,8]
  %t = sum %e {axes = [1], keepdims = true} : f32[?,1]
  %l = log %t : f32[?,1]
  %o = sub %s, %l : f32[?,8]
  return %o
}
