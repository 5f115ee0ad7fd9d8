// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// A fused op becomes a kernel: %c0 and the bounds at the top (a dynamic dim
// from the output buffer), parallel outer loop, broadcast loads (the bias
// has no row index), the cloned scalar body, one store per result. The func
// takes the dim once from the input, allocates both outputs, and launches.
// CHECK-LABEL: func @f(%x: f32[?,16], %b: f32[16]) -> (f32[?,16], f32[?,16]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,16]
// CHECK-NEXT:   %2 = alloc %0 : f32[?,16]
// CHECK-NEXT:   launch %x, %b, %1, %2 {kernel = @f_k0}
// CHECK-NEXT:   return %1, %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @f_k0(%in0: f32[?,16], %in1: f32[16], %out0: f32[?,16], %out1: f32[?,16]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c16 = constant {value = 16} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c16 (%2: i64) {
// CHECK-NEXT:       %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:       %4 = load %in1, %2 : f32
// CHECK-NEXT:       %s = add %3, %4 : f32
// CHECK-NEXT:       %e = exp %s : f32
// CHECK-NEXT:       store %s, %out0, %1, %2
// CHECK-NEXT:       store %e, %out1, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @f(%x: f32[?,16], %b: f32[16]) -> (f32[?,16], f32[?,16]) {
  %0, %1 = fused %x, %b : f32[?,16], f32[?,16] (%p: f32, %q: f32) {
    %s = add %p, %q : f32
    %e = exp %s : f32
    yield %s, %e
  }
  return %0, %1
}
// -----
// A lone elementwise op (the unfused path) with a rank-0 operand (load with
// no indices); the static size-1 output dim gets no loop and index %c0.
// CHECK-LABEL: func @g(%x: f32[4,1], %s: f32[]) -> (f32[4,1]) {
// CHECK-NEXT:   %0 = alloc : f32[4,1]
// CHECK-NEXT:   launch %x, %s, %0 {kernel = @g_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @g_k0(%in0: f32[4,1], %in1: f32[], %out0: f32[4,1]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     %1 = load %in0, %0, %c0 : f32
// CHECK-NEXT:     %2 = load %in1 : f32
// CHECK-NEXT:     %3 = mul %1, %2 : f32
// CHECK-NEXT:     store %3, %out0, %0, %c0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @g(%x: f32[4,1], %s: f32[]) -> (f32[4,1]) {
  %0 = mul %x, %s : f32[4,1]
  return %0
}
// -----
// Broadcasting: a size-1 row reads index %c0, a missing leading dim is
// dropped; the dynamic dim 0 comes from the first input that has it dynamic
// (%y, not %c whose dim 0 is 1), dim 1 from %x.
// CHECK-LABEL: func @bcast(%c: f32[1,?], %y: f32[?,1], %x: f32[?]) -> (f32[?,?]) {
// CHECK-NEXT:   %0 = dim %y {axis = 0} : i64
// CHECK-NEXT:   %1 = dim %c {axis = 1} : i64
// CHECK-NEXT:   %2 = alloc %0, %1 : f32[?,?]
// CHECK-NEXT:   launch %c, %y, %x, %2 {kernel = @bcast_k0}
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @bcast_k0(%in0: f32[1,?], %in1: f32[?,1], %in2: f32[?], %out0: f32[?,?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %1 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%2: i64) {
// CHECK-NEXT:     for %c0, %1 (%3: i64) {
// CHECK-NEXT:       %4 = load %in0, %c0, %3 : f32
// CHECK-NEXT:       %5 = load %in1, %2, %c0 : f32
// CHECK-NEXT:       %6 = load %in2, %3 : f32
// CHECK-NEXT:       %s = add %4, %5 : f32
// CHECK-NEXT:       %t = mul %s, %6 : f32
// CHECK-NEXT:       store %t, %out0, %2, %3
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @bcast(%c: f32[1,?], %y: f32[?,1], %x: f32[?]) -> (f32[?,?]) {
  %0 = fused %c, %y, %x : f32[?,?] (%a: f32, %b: f32, %d: f32) {
    %s = add %a, %b : f32
    %t = mul %s, %d : f32
    yield %t
  }
  return %0
}
// -----
// Rank 0: no loops at all. Scalar constants in the body are cloned.
// CHECK-LABEL: func @scalar(%x: f32[]) -> (f32[]) {
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @scalar_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @scalar_k0(%in0: f32[], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = load %in0 : f32
// CHECK-NEXT:   %h = constant {value = 0.5} : f32
// CHECK-NEXT:   %m = mul %0, %h : f32
// CHECK-NEXT:   store %m, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @scalar(%x: f32[]) -> (f32[]) {
  %0 = fused %x : f32[] (%a: f32) {
    %h = constant {value = 0.5} : f32
    %m = mul %a, %h : f32
    yield %m
  }
  return %0
}
// -----
// A standalone broadcast_to: a copy kernel reading with broadcast indices;
// rank 3 gives parallel_for then two `for`s.
// CHECK-LABEL: func @bto(%r: f32[?,1,5]) -> (f32[?,3,5]) {
// CHECK-NEXT:   %0 = dim %r {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,3,5]
// CHECK-NEXT:   launch %r, %1 {kernel = @bto_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @bto_k0(%in0: f32[?,1,5], %out0: f32[?,3,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c3 (%2: i64) {
// CHECK-NEXT:       for %c0, %c5 (%3: i64) {
// CHECK-NEXT:         %4 = load %in0, %1, %c0, %3 : f32
// CHECK-NEXT:         store %4, %out0, %1, %2, %3
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @bto(%r: f32[?,1,5]) -> (f32[?,3,5]) {
  %0 = broadcast_to %r : f32[?,3,5]
  return %0
}
// -----
// Kernel names skip ones already taken; kernels already present are left
// alone and new ones are appended after them, numbered per func.
// CHECK-LABEL: func @h(%x: f32[2]) -> (f32[2]) {
// CHECK-NEXT:   %0 = alloc : f32[2]
// CHECK-NEXT:   launch %x, %0 {kernel = @h_k1}
// CHECK-NEXT:   %1 = alloc : f32[2]
// CHECK-NEXT:   launch %0, %1 {kernel = @h_k2}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @h_k0(%in0: f32[2], %out0: f32[2]) {
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @h_k1(%in0: f32[2], %out0: f32[2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     %1 = load %in0, %0 : f32
// CHECK-NEXT:     %2 = neg %1 : f32
// CHECK-NEXT:     store %2, %out0, %0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @h_k2(%in0: f32[2], %out0: f32[2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     %1 = load %in0, %0 : f32
// CHECK-NEXT:     %2 = abs %1 : f32
// CHECK-NEXT:     store %2, %out0, %0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @h(%x: f32[2]) -> (f32[2]) {
  %0 = neg %x : f32[2]
  %1 = abs %0 : f32[2]
  return %1
}
kernel @h_k0(%in0: f32[2], %out0: f32[2]) {
  return
}
