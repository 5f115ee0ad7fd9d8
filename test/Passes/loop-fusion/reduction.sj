// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// The printed result re-parses and prints the same:
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// Row max, then x - max broadcast back along the row: fused at the outer
// (row) loop. The reduction loop carries a value, so the inner loops stay
// separate; the per-row max is forwarded from its store into the second inner
// loop (which does not write the buffer), and the buffer is removed.
// CHECK-LABEL: func @rowmax_sub(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?,10]
// CHECK-NEXT:   launch %x, %0 {kernel = @rowmax_sub_f0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @rowmax_sub_f0(%in0: f32[?,10], %out0: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     %init = constant {value = -inf} : f32
// CHECK-NEXT:     %acc = for %c0, %c10, %init : f32 (%i1: i64, %a: f32) {
// CHECK-NEXT:       %v = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %a2 = maximum %a, %v : f32
// CHECK-NEXT:       yield %a2
// CHECK-NEXT:     }
// CHECK-NEXT:     for %c0, %c10 (%i1_1: i64) {
// CHECK-NEXT:       %a_1 = load %in0, %i0, %i1_1 : f32
// CHECK-NEXT:       %s = sub %a_1, %acc : f32
// CHECK-NEXT:       store %s, %out0, %i0, %i1_1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @rowmax_sub(%x: f32[?,10]) -> (f32[?,10]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?]
  launch %x, %0 {kernel = @rowmax_sub_k0}
  %1 = alloc %d0 : f32[?,10]
  launch %x, %0, %1 {kernel = @rowmax_sub_k1}
  return %1
}

kernel @rowmax_sub_k0(%in0: f32[?,10], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %init = constant {value = -inf} : f32
    %acc = for %c0, %c10, %init : f32 (%i1: i64, %a: f32) {
      %v = load %in0, %i0, %i1 : f32
      %a2 = maximum %a, %v : f32
      yield %a2
    }
    store %acc, %out0, %i0
    yield
  }
  return
}

kernel @rowmax_sub_k1(%in0: f32[?,10], %in1: f32[?], %out0: f32[?,10]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %m = load %in1, %i0 : f32
      %s = sub %a, %m : f32
      store %s, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
// -----
// Softmax over rows as lower-to-loops emits it (max, exp(x - max), sum,
// divide): four kernels become one row loop with three passes over the row
// (notes/fusion.md §3). exp(x - max) merges into the sum loop; its buffer
// stays because the last pass reads it; the per-row max and sum are
// forwarded and their buffers removed.
// CHECK-LABEL: func @softmax(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?,10]
// CHECK-NEXT:   %1 = alloc %d0 : f32[?,10]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @softmax_f2}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @softmax_f2(%in0: f32[?,10], %out0: f32[?,10], %out1: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     %init = constant {value = -inf} : f32
// CHECK-NEXT:     %acc = for %c0, %c10, %init : f32 (%i1: i64, %a: f32) {
// CHECK-NEXT:       %v = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %a2 = maximum %a, %v : f32
// CHECK-NEXT:       yield %a2
// CHECK-NEXT:     }
// CHECK-NEXT:     %z = constant {value = 0.0} : f32
// CHECK-NEXT:     %acc_1 = for %c0, %c10, %z : f32 (%i1_1: i64, %a_1: f32) {
// CHECK-NEXT:       %a_2 = load %in0, %i0, %i1_1 : f32
// CHECK-NEXT:       %s = sub %a_2, %acc : f32
// CHECK-NEXT:       %e = exp %s : f32
// CHECK-NEXT:       store %e, %out0, %i0, %i1_1
// CHECK-NEXT:       %a2_1 = add %a_1, %e : f32
// CHECK-NEXT:       yield %a2_1
// CHECK-NEXT:     }
// CHECK-NEXT:     for %c0, %c10 (%i1_2: i64) {
// CHECK-NEXT:       %e_1 = load %out0, %i0, %i1_2 : f32
// CHECK-NEXT:       %r = div %e_1, %acc_1 : f32
// CHECK-NEXT:       store %r, %out1, %i0, %i1_2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @softmax(%x: f32[?,10]) -> (f32[?,10]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?]
  launch %x, %0 {kernel = @softmax_k0}
  %1 = alloc %d0 : f32[?,10]
  launch %x, %0, %1 {kernel = @softmax_k1}
  %2 = alloc %d0 : f32[?]
  launch %1, %2 {kernel = @softmax_k2}
  %3 = alloc %d0 : f32[?,10]
  launch %1, %2, %3 {kernel = @softmax_k3}
  return %3
}

kernel @softmax_k0(%in0: f32[?,10], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %init = constant {value = -inf} : f32
    %acc = for %c0, %c10, %init : f32 (%i1: i64, %a: f32) {
      %v = load %in0, %i0, %i1 : f32
      %a2 = maximum %a, %v : f32
      yield %a2
    }
    store %acc, %out0, %i0
    yield
  }
  return
}

kernel @softmax_k1(%in0: f32[?,10], %in1: f32[?], %out0: f32[?,10]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %m = load %in1, %i0 : f32
      %s = sub %a, %m : f32
      %e = exp %s : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @softmax_k2(%in0: f32[?,10], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %z = constant {value = 0.0} : f32
    %acc = for %c0, %c10, %z : f32 (%i1: i64, %a: f32) {
      %v = load %in0, %i0, %i1 : f32
      %a2 = add %a, %v : f32
      yield %a2
    }
    store %acc, %out0, %i0
    yield
  }
  return
}

kernel @softmax_k3(%in0: f32[?,10], %in1: f32[?], %out0: f32[?,10]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %e = load %in0, %i0, %i1 : f32
      %s = load %in1, %i0 : f32
      %r = div %e, %s : f32
      store %r, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
