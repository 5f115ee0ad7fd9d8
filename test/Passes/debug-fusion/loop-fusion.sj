// RUN: %symjit-opt %s --passes=fuse-elementwise,lower-to-loops,loop-fusion --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s
// RUN: %symjit-opt %s '--passes=fuse-elementwise,lower-to-loops,loop-fusion{max-kernel-ops=12}' --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=SMALL
// loop-fusion refusals that the tests of test/Passes/loop-fusion do not
// reach, from tensor-level functions. A remark sits at the second launch,
// which lowering gives the location of the op it came from. The other
// refusals are checked (WHY lines) in loop-fusion/negative.sj,
// into-reduction.sj and dynamic.sj.

// A gemm between the launches (it reads and writes buffers) stops the pair.
// CHECK:      loop-fusion.sj:[[@LINE+5]]:8: remark: [loop-fusion] launches of @between_k0 and @between_k1 not merged: an op between the launches
// SMALL:      loop-fusion.sj:[[@LINE+4]]:8: remark: [loop-fusion] launches of @between_k0 and @between_k1 not merged: an op between the launches
func @between(%x: f32[4,2], %w: f32[2,2]) -> (f32[4,1], f32[4,2]) {
  %a = exp %x : f32[4,2]
  %m = matmul %x, %w : f32[4,2]
  %s = sum %a {axes = [1], keepdims = true} : f32[4,1]
  return %s, %m
}
// -----
// A reshape between them does not (it touches no buffer: row flags); these
// two nests are refused for their different outer bounds (4 and 8).
// CHECK-NEXT: loop-fusion.sj:[[@LINE+5]]:8: remark: [loop-fusion] launches of @reshaped_k0 and @reshaped_k1 not merged: different outer bounds
// SMALL-NEXT: loop-fusion.sj:[[@LINE+4]]:8: remark: [loop-fusion] launches of @reshaped_k0 and @reshaped_k1 not merged: different outer bounds
func @reshaped(%x: f32[4,2]) -> (f32[8]) {
  %a = exp %x : f32[4,2]
  %r = reshape %a : f32[8]
  %b = neg %r : f32[8]
  return %b
}
// -----
// With the default max-kernel-ops the row sum merges with its producer;
// with 12 the two kernels are too big together.
// SMALL-NEXT: loop-fusion.sj:[[@LINE+3]]:8: remark: [loop-fusion] launches of @rows_k0 and @rows_k1 not merged: the kernels together have more than max-kernel-ops ops
func @rows(%x: f32[4,8]) -> (f32[4,1]) {
  %a = exp %x : f32[4,8]
  %s = sum %a {axes = [1], keepdims = true} : f32[4,1]
  return %s
}
// -----
// A nest merges into a full reduction only if its result is a temporary:
// here %a is returned. (Legality is checked before size.)
// CHECK-NEXT: loop-fusion.sj:[[@LINE+6]]:8: remark: [loop-fusion] launches of @kept_k0 and @kept_k1 not merged: the nest's result is used elsewhere
// CHECK-NOT:  remark
// SMALL-NEXT: loop-fusion.sj:[[@LINE+4]]:8: remark: [loop-fusion] launches of @kept_k0 and @kept_k1 not merged: the nest's result is used elsewhere
// SMALL-NOT:  remark
func @kept(%x: f32[8]) -> (f32[8], f32[]) {
  %a = exp %x : f32[8]
  %s = sum %a : f32[]
  return %a, %s
}
