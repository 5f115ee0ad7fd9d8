// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s
// --debug-fusion: for each group fuse-elementwise builds, every elementwise
// producer or user of a member left out, once, with the reason, at the op
// left out. Non-elementwise neighbours (sum, matmul) are not candidates and
// say nothing. One chunk per refusal kind; the remarks come in the order
// the groups are built (from the end of the function).

// Shape: %a (f32[4]) would be recomputed for every row of %b's group.
// %b's group is built first; when %a's is built, %b is taken and not a
// candidate any more, so each pair is reported once.
// CHECK:      fuse-elementwise.sj:[[@LINE+2]]:8: remark: [fuse-elementwise] '%a' (exp) not fused into the group of '%b': its shape differs from the group's iteration space
func @shape(%x: f32[4], %y: f32[3,4]) -> (f32[3,4]) {
  %a = exp %x : f32[4]
  %b = add %a, %y : f32[3,4]
  return %b
}
// -----
// A path out of the group and back: %c's group {%c} may not take %a, whose
// sum feeds %c (the group depends on it through an op outside).
// CHECK-NEXT: fuse-elementwise.sj:[[@LINE+2]]:8: remark: [fuse-elementwise] '%a' (exp) not fused into the group of '%c': it would create a cycle (the group depends on it through an op outside)
func @cycle_out(%x: f32[?,10]) -> (f32[?,10]) {
  %a = exp %x : f32[?,10]
  %s = sum %a {axes = [1], keepdims = true} : f32[?,1]
  %c = sub %a, %s : f32[?,10]
  return %c
}
// -----
// Through an earlier group contracted to one node: A = {%a1, %a2} is built
// first; %b1 may not join {%b0, %b2}, as its input %a1 (in A) depends on
// that group through %r.
// CHECK-NEXT: fuse-elementwise.sj:[[@LINE+6]]:9: remark: [fuse-elementwise] '%b1' (mul) not fused into the group of '%a2': its shape differs from the group's iteration space
// CHECK-NEXT: fuse-elementwise.sj:[[@LINE+5]]:9: remark: [fuse-elementwise] '%b1' (mul) not fused into the group of '%b2': it would create a cycle (one of its inputs depends on the group through an op outside)
// CHECK-NOT:  remark
func @cycle_groups(%x: f32[4], %y: f32[3,4]) -> (f32[4], f32[3,4]) {
  %a1 = exp %x : f32[4]
  %b0 = exp %y : f32[3,4]
  %b1 = mul %b0, %a1 : f32[3,4]
  %b2 = neg %b0 : f32[3,4]
  %r = sum %b2 {axes = [0]} : f32[4]
  %a2 = add %a1, %r : f32[4]
  return %a2, %b1
}
