// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// A -> reduction -> B with A and B elementwise of the same shape: one group
// {A, B} would need the reduction's result, which needs A (a cycle), so %0
// and %3 stay in separate groups. The per-row log (%m, shape [?,1]) is not
// pulled into the row group either: it would be recomputed per element.
// CHECK-LABEL: func @cycle(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %0 = fused %x : f32[?,10] (%1: f32) {
// CHECK-NEXT:     %2 = exp %1 : f32
// CHECK-NEXT:     yield %2
// CHECK-NEXT:   }
// CHECK-NEXT:   %3 = sum %0 {axes = [1], keepdims = true} : f32[?,1]
// CHECK-NEXT:   %m = fused %3 : f32[?,1] (%4: f32) {
// CHECK-NEXT:     %5 = log %4 : f32
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   %6 = fused %0, %m : f32[?,10] (%7: f32, %8: f32) {
// CHECK-NEXT:     %9 = sub %7, %8 : f32
// CHECK-NEXT:     yield %9
// CHECK-NEXT:   }
// CHECK-NEXT:   return %6
// CHECK-NEXT: }
func @cycle(%x: f32[?,10]) -> (f32[?,10]) {
  %0 = exp %x : f32[?,10]
  %1 = sum %0 {axes = [1], keepdims = true} : f32[?,1]
  %m = log %1 : f32[?,1]
  %3 = sub %0, %m : f32[?,10]
  return %3
}
// -----
// The same through a matmul: B may not join A's group.
// CHECK-LABEL: func @cycle_mm(%x: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %a = fused %x : f32[4,4] (%0: f32) {
// CHECK-NEXT:     %1 = neg %0 : f32
// CHECK-NEXT:     yield %1
// CHECK-NEXT:   }
// CHECK-NEXT:   %p = matmul %a, %x : f32[4,4]
// CHECK-NEXT:   %b = fused %a, %p : f32[4,4] (%2: f32, %3: f32) {
// CHECK-NEXT:     %4 = add %2, %3 : f32
// CHECK-NEXT:     yield %4
// CHECK-NEXT:   }
// CHECK-NEXT:   return %b
// CHECK-NEXT: }
func @cycle_mm(%x: f32[4,4]) -> (f32[4,4]) {
  %a = neg %x : f32[4,4]
  %p = matmul %a, %x : f32[4,4]
  %b = add %a, %p : f32[4,4]
  return %b
}
// -----
// An expensive op used by two consumers of another shape is not duplicated
// into their groups: it is materialized once (its own group, or an extra
// result) and read through broadcasting.
// CHECK-LABEL: func @expensive(%x: f32[4], %y: f32[3,4], %z: f32[2,4]) -> (f32[3,4], f32[2,4]) {
// CHECK-NEXT:   %e = fused %x : f32[4] (%0: f32) {
// CHECK-NEXT:     %1 = exp %0 : f32
// CHECK-NEXT:     yield %1
// CHECK-NEXT:   }
// CHECK-NEXT:   %a = fused %y, %e : f32[3,4] (%2: f32, %3: f32) {
// CHECK-NEXT:     %4 = mul %2, %3 : f32
// CHECK-NEXT:     yield %4
// CHECK-NEXT:   }
// CHECK-NEXT:   %b = fused %z, %e : f32[2,4] (%5: f32, %6: f32) {
// CHECK-NEXT:     %7 = mul %5, %6 : f32
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @expensive(%x: f32[4], %y: f32[3,4], %z: f32[2,4]) -> (f32[3,4], f32[2,4]) {
  %e = exp %x : f32[4]
  %a = mul %y, %e : f32[3,4]
  %b = mul %z, %e : f32[2,4]
  return %a, %b
}
// -----
// matmul, reductions, transpose and reshape are not elementwise: untouched.
// CHECK-LABEL: func @opaque(%x: f32[4,8], %w: f32[8,2]) -> (f32[4,2], f32[8,4], f32[32], f32[4]) {
// CHECK-NEXT:   %0 = matmul %x, %w : f32[4,2]
// CHECK-NEXT:   %1 = transpose %x {perm = [1, 0]} : f32[8,4]
// CHECK-NEXT:   %2 = reshape %x : f32[32]
// CHECK-NEXT:   %3 = max %x {axes = [1]} : f32[4]
// CHECK-NEXT:   return %0, %1, %2, %3
// CHECK-NEXT: }
func @opaque(%x: f32[4,8], %w: f32[8,2]) -> (f32[4,2], f32[8,4], f32[32], f32[4]) {
  %0 = matmul %x, %w : f32[4,2]
  %1 = transpose %x {perm = [1, 0]} : f32[8,4]
  %2 = reshape %x : f32[32]
  %3 = max %x {axes = [1]} : f32[4]
  return %0, %1, %2, %3
}
// -----
// Existing fused ops and ops inside kernels are scalars: never touched.
// CHECK-LABEL: func @pre(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %0 = fused %x : f32[4] (%a: f32) {
// CHECK-NEXT:     %b = exp %a : f32
// CHECK-NEXT:     yield %b
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %a = load %in0, %c0 : f32
// CHECK-NEXT:   %b = exp %a : f32
// CHECK-NEXT:   %c = mul %b, %a : f32
// CHECK-NEXT:   store %c, %out0, %c0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @pre(%x: f32[4]) -> (f32[4]) {
  %0 = fused %x : f32[4] (%a: f32) {
    %b = exp %a : f32
    yield %b
  }
  return %0
}
kernel @k(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %a = load %in0, %c0 : f32
  %b = exp %a : f32
  %c = mul %b, %a : f32
  store %c, %out0, %c0
  return
}
// -----
// Two groups that are each convex can still form a cycle together: with
// A = {%a1, %a2} formed first, %b1 must not join {%b0, %b2}: A would feed
// that group (%a1 -> %b1) and also read it (%b2 -> %r -> %a2). The check
// uses ancestor sets of the graph with A contracted to one node.
// CHECK-LABEL: func @cycle_groups(%x: f32[4], %y: f32[3,4]) -> (f32[4], f32[3,4]) {
// CHECK-NEXT:   %b0, %b2 = fused %y : f32[3,4], f32[3,4] (%0: f32) {
// CHECK-NEXT:     %1 = exp %0 : f32
// CHECK-NEXT:     %2 = neg %1 : f32
// CHECK-NEXT:     yield %1, %2
// CHECK-NEXT:   }
// CHECK-NEXT:   %r = sum %b2 {axes = [0]} : f32[4]
// CHECK-NEXT:   %a1, %a2 = fused %x, %r : f32[4], f32[4] (%3: f32, %4: f32) {
// CHECK-NEXT:     %5 = exp %3 : f32
// CHECK-NEXT:     %6 = add %5, %4 : f32
// CHECK-NEXT:     yield %5, %6
// CHECK-NEXT:   }
// CHECK-NEXT:   %b1 = fused %b0, %a1 : f32[3,4] (%7: f32, %8: f32) {
// CHECK-NEXT:     %9 = mul %7, %8 : f32
// CHECK-NEXT:     yield %9
// CHECK-NEXT:   }
// CHECK-NEXT:   return %a2, %b1
// CHECK-NEXT: }
func @cycle_groups(%x: f32[4], %y: f32[3,4]) -> (f32[4], f32[3,4]) {
  %a1 = exp %x : f32[4]
  %b0 = exp %y : f32[3,4]
  %b1 = mul %b0, %a1 : f32[3,4]
  %b2 = neg %b0 : f32[3,4]
  %r = sum %b2 {axes = [0]} : f32[4]
  %a2 = add %a1, %r : f32[4]
  return %a2, %b1
}
