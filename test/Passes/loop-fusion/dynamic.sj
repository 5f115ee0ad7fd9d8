// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// The printed result re-parses and prints the same:
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// Two different dynamic extents are never assumed equal:
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=WHY
// WHY:      dynamic.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @dyn_diff_k0 and @dyn_diff_k1 not merged: different outer bounds
// WHY-NOT:  remark
// All dims dynamic: the outer bounds are dims of buffers alloc'd from the
// same `dim %x` values, so they are equal; the inner bounds likewise, so the
// inner loops merge too and the temporary goes. The func-level dim of the
// temporary (as lower-to-loops emits it) is replaced by the alloc's size.
// CHECK-LABEL: func @dyn2(%x: f32[?,?]) -> (f32[?,?]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %d1 = dim %x {axis = 1} : i64
// CHECK-NEXT:   %0 = alloc %d0, %d1 : f32[?,?]
// CHECK-NEXT:   launch %x, %0 {kernel = @dyn2_f0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dyn2_f0(%in0: f32[?,?], %out0: f32[?,?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %n1 = dim %in0 {axis = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     for %c0, %n1 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       %n = neg %e : f32
// CHECK-NEXT:       store %n, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dyn2(%x: f32[?,?]) -> (f32[?,?]) {
  %d0 = dim %x {axis = 0} : i64
  %d1 = dim %x {axis = 1} : i64
  %0 = alloc %d0, %d1 : f32[?,?]
  launch %x, %0 {kernel = @dyn2_k0}
  %e0 = dim %0 {axis = 0} : i64
  %e1 = dim %0 {axis = 1} : i64
  %1 = alloc %e0, %e1 : f32[?,?]
  launch %0, %1 {kernel = @dyn2_k1}
  return %1
}

kernel @dyn2_k0(%in0: f32[?,?], %out0: f32[?,?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %n1 = dim %out0 {axis = 1} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %n1 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %e = exp %a : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @dyn2_k1(%in0: f32[?,?], %out0: f32[?,?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %n1 = dim %out0 {axis = 1} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %n1 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %n = neg %a : f32
      store %n, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
// -----
// The rows are provably equal (both from %x axis 0) but the row lengths come
// from different inputs: fused at the outer loop only. The producer writes
// all of row i before the consumer reads row i, so the inner loops stay
// apart, the load is not forwarded and the buffer stays.
// CHECK-LABEL: func @outer_only(%x: f32[?,?], %y: f32[?,?]) -> (f32[?,?]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %d1 = dim %x {axis = 1} : i64
// CHECK-NEXT:   %y1 = dim %y {axis = 1} : i64
// CHECK-NEXT:   %0 = alloc %d0, %d1 : f32[?,?]
// CHECK-NEXT:   %1 = alloc %d0, %y1 : f32[?,?]
// CHECK-NEXT:   launch %x, %0, %y, %1 {kernel = @outer_only_f0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @outer_only_f0(%in0: f32[?,?], %out0: f32[?,?], %in1: f32[?,?], %out1: f32[?,?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %n1 = dim %out0 {axis = 1} : i64
// CHECK-NEXT:   %n1_1 = dim %out1 {axis = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     for %c0, %n1 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       store %e, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     for %c0, %n1_1 (%i1_1: i64) {
// CHECK-NEXT:       %a_1 = load %out0, %i0, %i1_1 : f32
// CHECK-NEXT:       %b = load %in1, %i0, %i1_1 : f32
// CHECK-NEXT:       %m = mul %a_1, %b : f32
// CHECK-NEXT:       store %m, %out1, %i0, %i1_1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @outer_only(%x: f32[?,?], %y: f32[?,?]) -> (f32[?,?]) {
  %d0 = dim %x {axis = 0} : i64
  %d1 = dim %x {axis = 1} : i64
  %y1 = dim %y {axis = 1} : i64
  %0 = alloc %d0, %d1 : f32[?,?]
  launch %x, %0 {kernel = @outer_only_k0}
  %1 = alloc %d0, %y1 : f32[?,?]
  launch %0, %y, %1 {kernel = @outer_only_k1}
  return %1
}

kernel @outer_only_k0(%in0: f32[?,?], %out0: f32[?,?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %n1 = dim %out0 {axis = 1} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %n1 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %e = exp %a : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @outer_only_k1(%in0: f32[?,?], %in1: f32[?,?], %out0: f32[?,?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %n1 = dim %out0 {axis = 1} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %n1 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %b = load %in1, %i0, %i1 : f32
      %m = mul %a, %b : f32
      store %m, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
// -----
// Not fused: the two outer bounds are dims of different inputs (%x and %y
// may differ at run time).
// CHECK-LABEL: func @dyn_diff(%x: f32[?], %y: f32[?]) -> (f32[?]) {
// CHECK-NEXT:   %dx = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %dx : f32[?]
// CHECK-NEXT:   launch %x, %0 {kernel = @dyn_diff_k0}
// CHECK-NEXT:   %dy = dim %y {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %dy : f32[?]
// CHECK-NEXT:   launch %0, %y, %1 {kernel = @dyn_diff_k1}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dyn_diff_k0(%in0: f32[?], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %e = exp %a : f32
// CHECK-NEXT:     store %e, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dyn_diff_k1(%in0: f32[?], %in1: f32[?], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %b = load %in1, %i0 : f32
// CHECK-NEXT:     %m = mul %a, %b : f32
// CHECK-NEXT:     store %m, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dyn_diff(%x: f32[?], %y: f32[?]) -> (f32[?]) {
  %dx = dim %x {axis = 0} : i64
  %0 = alloc %dx : f32[?]
  launch %x, %0 {kernel = @dyn_diff_k0}
  %dy = dim %y {axis = 0} : i64
  %1 = alloc %dy : f32[?]
  launch %0, %y, %1 {kernel = @dyn_diff_k1}
  return %1
}

kernel @dyn_diff_k0(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %e = exp %a : f32
    store %e, %out0, %i0
    yield
  }
  return
}

kernel @dyn_diff_k1(%in0: f32[?], %in1: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %b = load %in1, %i0 : f32
    %m = mul %a, %b : f32
    store %m, %out0, %i0
    yield
  }
  return
}
