// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// Bias add + relu: the smaller operand is a fused input read through
// broadcasting; the broadcast_to (only used in the group) is absorbed: the
// fused op takes its operand directly.
// CHECK-LABEL: func @bias(%x: f32[?,16], %b: f32[16], %r: f32[16]) -> (f32[?,16]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %0 = fused %x, %b, %r : f32[?,16] (%1: f32, %2: f32, %3: f32) {
// CHECK-NEXT:     %4 = add %1, %2 : f32
// CHECK-NEXT:     %5 = constant {value = 0.0} : f32
// CHECK-NEXT:     %6 = maximum %4, %5 : f32
// CHECK-NEXT:     %7 = mul %6, %3 : f32
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @bias(%x: f32[?,16], %b: f32[16], %r: f32[16]) -> (f32[?,16]) {
  %0 = add %x, %b : f32[?,16]
  %z = constant {value = 0.0} : f32[]
  %1 = maximum %0, %z : f32[?,16]
  %rb = broadcast_to %r : f32[?,16]
  %2 = mul %1, %rb : f32[?,16]
  return %2
}
// -----
// The producer of a smaller shape (exp of the per-column vector) is not pulled
// into the [4,16] group: it would be recomputed for each of the 4 rows. It
// forms its own group; the big group reads its result through broadcasting.
// CHECK-LABEL: func @small_producer(%x: f32[4,16], %v: f32[16]) -> (f32[4,16]) {
// CHECK-NEXT:   %e = fused %v : f32[16] (%0: f32) {
// CHECK-NEXT:     %1 = exp %0 : f32
// CHECK-NEXT:     yield %1
// CHECK-NEXT:   }
// CHECK-NEXT:   %2 = fused %x, %e : f32[4,16] (%3: f32, %4: f32) {
// CHECK-NEXT:     %5 = mul %3, %4 : f32
// CHECK-NEXT:     %6 = add %5, %3 : f32
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
func @small_producer(%x: f32[4,16], %v: f32[16]) -> (f32[4,16]) {
  %e = exp %v : f32[16]
  %0 = mul %x, %e : f32[4,16]
  %1 = add %0, %x : f32[4,16]
  return %1
}
// -----
// A broadcast of a splat constant is a scalar constant in the body.
// CHECK-LABEL: func @bcast_const(%x: f32[3,2]) -> (f32[3,2]) {
// CHECK-NEXT:   %h = constant {value = 0.5} : f32[]
// CHECK-NEXT:   %0 = fused %x : f32[3,2] (%1: f32) {
// CHECK-NEXT:     %2 = constant {value = 0.5} : f32
// CHECK-NEXT:     %3 = mul %1, %2 : f32
// CHECK-NEXT:     yield %3
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @bcast_const(%x: f32[3,2]) -> (f32[3,2]) {
  %h = constant {value = 0.5} : f32[]
  %hb = broadcast_to %h : f32[3,2]
  %0 = mul %x, %hb : f32[3,2]
  return %0
}
// -----
// A broadcast_to with a user outside the group (return) is still an index
// map inside, and its value is also written as an extra result.
// CHECK-LABEL: func @bcast_out(%x: f32[3,2], %r: f32[2]) -> (f32[3,2], f32[3,2]) {
// CHECK-NEXT:   %rb, %0 = fused %x, %r : f32[3,2], f32[3,2] (%1: f32, %2: f32) {
// CHECK-NEXT:     %3 = sub %1, %2 : f32
// CHECK-NEXT:     yield %2, %3
// CHECK-NEXT:   }
// CHECK-NEXT:   return %rb, %0
// CHECK-NEXT: }
func @bcast_out(%x: f32[3,2], %r: f32[2]) -> (f32[3,2], f32[3,2]) {
  %rb = broadcast_to %r : f32[3,2]
  %0 = sub %x, %rb : f32[3,2]
  return %rb, %0
}
// -----
// A broadcast_to feeding only non-elementwise ops computes nothing to fuse:
// it stays, and lower-to-loops lowers it on its own.
// CHECK-LABEL: func @bcast_alone(%r: f32[8], %w: f32[8,2]) -> (f32[4,2]) {
// CHECK-NEXT:   %rb = broadcast_to %r : f32[4,8]
// CHECK-NEXT:   %0 = matmul %rb, %w : f32[4,2]
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @bcast_alone(%r: f32[8], %w: f32[8,2]) -> (f32[4,2]) {
  %rb = broadcast_to %r : f32[4,8]
  %0 = matmul %rb, %w : f32[4,2]
  return %0
}
