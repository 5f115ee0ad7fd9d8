// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// take on a dynamic axis (embedding rows): one nest over the result; the
// index is loaded, a negative one wrapped once, then `clamp`ed into [0, n)
// with n = dim of the table (the op states the bound the executor checks).
// CHECK-LABEL: func @emb(%w: f32[?,8], %ids: i32[?,5]) -> (f32[?,5,8]) {
// CHECK-NEXT:   %0 = dim %ids {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,5,8]
// CHECK-NEXT:   launch %w, %ids, %1 {kernel = @emb_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @emb_k0(%in0: f32[?,8], %in1: i32[?,5], %out0: f32[?,5,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%2: i64) {
// CHECK-NEXT:     for %c0, %c5 (%3: i64) {
// CHECK-NEXT:       for %c0, %c8 (%4: i64) {
// CHECK-NEXT:         %5 = load %in1, %2, %3 : i32
// CHECK-NEXT:         %6 = cast %5 : i64
// CHECK-NEXT:         %7 = lt %6, %c0 : bool
// CHECK-NEXT:         %8 = add %6, %0 : i64
// CHECK-NEXT:         %9 = select %7, %8, %6 : i64
// CHECK-NEXT:         %10 = clamp %9, %0 : i64
// CHECK-NEXT:         %11 = load %in0, %10, %4 : f32
// CHECK-NEXT:         store %11, %out0, %2, %3, %4
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @emb(%w: f32[?,8], %ids: i32[?,5]) -> (f32[?,5,8]) {
  %0 = take %w, %ids {axis = 0} : f32[?,5,8]
  return %0
}
// -----
// A middle axis and a rank-0 index: the static size gives constant bounds.
// CHECK-LABEL: func @col(%x: f32[?,6,3], %i: i64[]) -> (f32[?,3]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,3]
// CHECK-NEXT:   launch %x, %i, %1 {kernel = @col_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @col_k0(%in0: f32[?,6,3], %in1: i64[], %out0: f32[?,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c3 (%2: i64) {
// CHECK-NEXT:       %3 = load %in1 : i64
// CHECK-NEXT:       %4 = lt %3, %c0 : bool
// CHECK-NEXT:       %5 = add %3, %c6 : i64
// CHECK-NEXT:       %6 = select %4, %5, %3 : i64
// CHECK-NEXT:       %7 = clamp %6, %c6 : i64
// CHECK-NEXT:       %8 = load %in0, %1, %7, %2 : f32
// CHECK-NEXT:       store %8, %out0, %1, %2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @col(%x: f32[?,6,3], %i: i64[]) -> (f32[?,3]) {
  %0 = take %x, %i {axis = -2} : f32[?,3]
  return %0
}
// -----
// take_along_axis: the index is read through broadcasting (idx dim 1 against
// the result's rows reads index 0; x's size-1 dim reads row 0).
// CHECK-LABEL: func @pick(%x: f32[1,10], %y: i64[?,1]) -> (f32[?,1]) {
// CHECK-NEXT:   %0 = dim %y {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,1]
// CHECK-NEXT:   launch %x, %y, %1 {kernel = @pick_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @pick_k0(%in0: f32[1,10], %in1: i64[?,1], %out0: f32[?,1]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = load %in1, %1, %c0 : i64
// CHECK-NEXT:     %3 = lt %2, %c0 : bool
// CHECK-NEXT:     %4 = add %2, %c10 : i64
// CHECK-NEXT:     %5 = select %3, %4, %2 : i64
// CHECK-NEXT:     %6 = clamp %5, %c10 : i64
// CHECK-NEXT:     %7 = load %in0, %c0, %6 : f32
// CHECK-NEXT:     store %7, %out0, %1, %c0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @pick(%x: f32[1,10], %y: i64[?,1]) -> (f32[?,1]) {
  %0 = take_along_axis %x, %y {axis = 1} : f32[?,1]
  return %0
}
// -----
// Indexing an axis of static size 1: every index selects element 0, so the
// index is not even loaded.
// CHECK-LABEL: func @one(%x: f32[1,4], %i: i32[3]) -> (f32[3,4]) {
// CHECK-NEXT:   %0 = alloc : f32[3,4]
// CHECK-NEXT:   launch %x, %i, %0 {kernel = @one_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @one_k0(%in0: f32[1,4], %in1: i32[3], %out0: f32[3,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %c0, %1 : f32
// CHECK-NEXT:       store %2, %out0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @one(%x: f32[1,4], %i: i32[3]) -> (f32[3,4]) {
  %0 = take %x, %i {axis = 0} : f32[3,4]
  return %0
}
// -----
// scatter_add (take's adjoint): zero the output in a parallel nest, then
// accumulate over the updates. Updates along the indexed dims may hit the
// same row, so with axis 0 no loop of the second nest is parallel.
// CHECK-LABEL: func @grad(%g: f32[?,5,8], %ids: i32[?,5], %w: f32[?,8]) -> (f32[?,8]) {
// CHECK-NEXT:   %0 = dim %w {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,8]
// CHECK-NEXT:   launch %g, %ids, %w, %1 {kernel = @grad_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @grad_k0(%in0: f32[?,5,8], %in1: i32[?,5], %in2: f32[?,8], %out0: f32[?,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %2 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%3: i64) {
// CHECK-NEXT:     for %c0, %c8 (%4: i64) {
// CHECK-NEXT:       %5 = constant {value = 0.0} : f32
// CHECK-NEXT:       store %5, %out0, %3, %4
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %2 (%6: i64) {
// CHECK-NEXT:     for %c0, %c5 (%7: i64) {
// CHECK-NEXT:       for %c0, %c8 (%8: i64) {
// CHECK-NEXT:         %9 = load %in1, %6, %7 : i32
// CHECK-NEXT:         %10 = cast %9 : i64
// CHECK-NEXT:         %11 = lt %10, %c0 : bool
// CHECK-NEXT:         %12 = add %10, %0 : i64
// CHECK-NEXT:         %13 = select %11, %12, %10 : i64
// CHECK-NEXT:         %14 = clamp %13, %0 : i64
// CHECK-NEXT:         %15 = load %in0, %6, %7, %8 : f32
// CHECK-NEXT:         %16 = load %out0, %14, %8 : f32
// CHECK-NEXT:         %17 = add %16, %15 : f32
// CHECK-NEXT:         store %17, %out0, %14, %8
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @grad(%g: f32[?,5,8], %ids: i32[?,5], %w: f32[?,8]) -> (f32[?,8]) {
  %0 = scatter_add %g, %ids, %w {axis = 0} : f32[?,8]
  return %0
}
// -----
// scatter_add_along_axis on the last axis: rows are disjoint, so the
// accumulation's outer loop is a parallel_for.
// CHECK-LABEL: func @gpick(%g: f32[?,2], %y: i32[?,2], %x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,10]
// CHECK-NEXT:   launch %g, %y, %x, %1 {kernel = @gpick_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @gpick_k0(%in0: f32[?,2], %in1: i32[?,2], %in2: f32[?,10], %out0: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %1 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%2: i64) {
// CHECK-NEXT:     for %c0, %c10 (%3: i64) {
// CHECK-NEXT:       %4 = constant {value = 0.0} : f32
// CHECK-NEXT:       store %4, %out0, %2, %3
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   parallel_for %c0, %1 (%5: i64) {
// CHECK-NEXT:     for %c0, %c2 (%6: i64) {
// CHECK-NEXT:       %7 = load %in1, %5, %6 : i32
// CHECK-NEXT:       %8 = cast %7 : i64
// CHECK-NEXT:       %9 = lt %8, %c0 : bool
// CHECK-NEXT:       %10 = add %8, %c10 : i64
// CHECK-NEXT:       %11 = select %9, %10, %8 : i64
// CHECK-NEXT:       %12 = clamp %11, %c10 : i64
// CHECK-NEXT:       %13 = load %in0, %5, %6 : f32
// CHECK-NEXT:       %14 = load %out0, %5, %12 : f32
// CHECK-NEXT:       %15 = add %14, %13 : f32
// CHECK-NEXT:       store %15, %out0, %5, %12
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @gpick(%g: f32[?,2], %y: i32[?,2], %x: f32[?,10]) -> (f32[?,10]) {
  %0 = scatter_add_along_axis %g, %y, %x {axis = 1} : f32[?,10]
  return %0
}
// -----
// ...but not when the scattered-into dim is broadcast (x's 1 against g's
// rows: every row adds into row 0).
// CHECK-LABEL: func @gbcast(%g: f32[?,2], %y: i32[?,2], %x: f32[1,10]) -> (f32[1,10]) {
// CHECK-NEXT:   %0 = alloc : f32[1,10]
// CHECK-NEXT:   launch %g, %y, %x, %0 {kernel = @gbcast_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @gbcast_k0(%in0: f32[?,2], %in1: i32[?,2], %in2: f32[1,10], %out0: f32[1,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c10 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = 0.0} : f32
// CHECK-NEXT:     store %2, %out0, %c0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %0 (%3: i64) {
// CHECK-NEXT:     for %c0, %c2 (%4: i64) {
// CHECK-NEXT:       %5 = load %in1, %3, %4 : i32
// CHECK-NEXT:       %6 = cast %5 : i64
// CHECK-NEXT:       %7 = lt %6, %c0 : bool
// CHECK-NEXT:       %8 = add %6, %c10 : i64
// CHECK-NEXT:       %9 = select %7, %8, %6 : i64
// CHECK-NEXT:       %10 = clamp %9, %c10 : i64
// CHECK-NEXT:       %11 = load %in0, %3, %4 : f32
// CHECK-NEXT:       %12 = load %out0, %c0, %10 : f32
// CHECK-NEXT:       %13 = add %12, %11 : f32
// CHECK-NEXT:       store %13, %out0, %c0, %10
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @gbcast(%g: f32[?,2], %y: i32[?,2], %x: f32[1,10]) -> (f32[1,10]) {
  %0 = scatter_add_along_axis %g, %y, %x {axis = 1} : f32[1,10]
  return %0
}
