// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// A prologue may compute scalars from the bounds (here a gather's n - 1, as
// lower-to-loops emits for take): it is cloned with the rest, and the
// gather fuses with the elementwise op that reads its result at the same
// index. The gather's own table is read at a computed row, but nothing in
// either kernel writes it.
// CHECK-LABEL: func @g(%w: f32[?,4], %ids: i32[?]) -> (f32[?,4]) {
// CHECK-NEXT:   %0 = dim %ids {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,4]
// CHECK-NEXT:   launch %w, %ids, %1 {kernel = @g_f0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @g_f0(%in0: f32[?,4], %in1: i32[?], %out0: f32[?,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %1 = sub %0, %c1 : i64
// CHECK-NEXT:   %2 = dim %in1 {axis = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %2 (%3: i64) {
// CHECK-NEXT:     for %c0, %c4 (%4: i64) {
// CHECK-NEXT:       %5 = load %in1, %3 : i32
// CHECK-NEXT:       %6 = cast %5 : i64
// CHECK-NEXT:       %7 = lt %6, %c0 : bool
// CHECK-NEXT:       %8 = add %6, %0 : i64
// CHECK-NEXT:       %9 = select %7, %8, %6 : i64
// CHECK-NEXT:       %10 = minimum %9, %1 : i64
// CHECK-NEXT:       %11 = maximum %10, %c0 : i64
// CHECK-NEXT:       %12 = load %in0, %11, %4 : f32
// CHECK-NEXT:       %13 = neg %12 : f32
// CHECK-NEXT:       store %13, %out0, %3, %4
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @g(%w: f32[?,4], %ids: i32[?]) -> (f32[?,4]) {
  %0 = dim %ids {axis = 0} : i64
  %1 = alloc %0 : f32[?,4]
  launch %w, %ids, %1 {kernel = @g_k0}
  %2 = dim %1 {axis = 0} : i64
  %3 = alloc %2 : f32[?,4]
  launch %1, %3 {kernel = @g_k1}
  return %3
}

kernel @g_k0(%in0: f32[?,4], %in1: i32[?], %out0: f32[?,4]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c1 = constant {value = 1} : i64
  %1 = sub %0, %c1 : i64
  %2 = dim %out0 {axis = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %2 (%3: i64) {
    for %c0, %c4 (%4: i64) {
      %5 = load %in1, %3 : i32
      %6 = cast %5 : i64
      %7 = lt %6, %c0 : bool
      %8 = add %6, %0 : i64
      %9 = select %7, %8, %6 : i64
      %10 = minimum %9, %1 : i64
      %11 = maximum %10, %c0 : i64
      %12 = load %in0, %11, %4 : f32
      store %12, %out0, %3, %4
      yield
    }
    yield
  }
  return
}

kernel @g_k1(%in0: f32[?,4], %out0: f32[?,4]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c4 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = neg %3 : f32
      store %4, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
// -----
// A prologue that loads from a buffer is not a bounds computation: the
// kernels are left alone.
// CHECK-LABEL: func @p(%x: f32[?], %s: f32[]) -> (f32[?]) {
// CHECK-NEXT:   %d = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d : f32[?]
// CHECK-NEXT:   launch %x, %s, %0 {kernel = @p_k0}
// CHECK-NEXT:   %e = dim %0 {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %e : f32[?]
// CHECK-NEXT:   launch %0, %1 {kernel = @p_k1}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @p_k0(%in0: f32[?], %in1: f32[], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %v = load %in1 : f32
// CHECK-NEXT:   %n = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %n (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     %b = mul %a, %v : f32
// CHECK-NEXT:     store %b, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @p_k1(%in0: f32[?], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %n (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     %b = neg %a : f32
// CHECK-NEXT:     store %b, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @p(%x: f32[?], %s: f32[]) -> (f32[?]) {
  %d = dim %x {axis = 0} : i64
  %0 = alloc %d : f32[?]
  launch %x, %s, %0 {kernel = @p_k0}
  %e = dim %0 {axis = 0} : i64
  %1 = alloc %e : f32[?]
  launch %0, %1 {kernel = @p_k1}
  return %1
}

kernel @p_k0(%in0: f32[?], %in1: f32[], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %v = load %in1 : f32
  %n = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n (%i: i64) {
    %a = load %in0, %i : f32
    %b = mul %a, %v : f32
    store %b, %out0, %i
    yield
  }
  return
}

kernel @p_k1(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n (%i: i64) {
    %a = load %in0, %i : f32
    %b = neg %a : f32
    store %b, %out0, %i
    yield
  }
  return
}
