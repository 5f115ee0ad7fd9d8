// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// The intermediate is also returned: kernels still fuse, the buffer stays
// (its store remains) but the load is forwarded.
// CHECK-LABEL: func @f(%x: f32[?]) -> (f32[?], f32[?]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?]
// CHECK-NEXT:   %1 = alloc %d0 : f32[?]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @f_f0}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @f_f0(%arg0: f32[?], %arg1: f32[?], %arg2: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %arg1 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i: i64) {
// CHECK-NEXT:     %a = load %arg0, %i : f32
// CHECK-NEXT:     %b = exp %a : f32
// CHECK-NEXT:     store %b, %arg1, %i
// CHECK-NEXT:     %b_1 = neg %b : f32
// CHECK-NEXT:     store %b_1, %arg2, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @f(%x: f32[?]) -> (f32[?], f32[?]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?]
  launch %x, %0 {kernel = @e}
  %1 = alloc %d0 : f32[?]
  launch %0, %1 {kernel = @n}
  return %0, %1
}

kernel @e(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n0 (%i: i64) {
    %a = load %in0, %i : f32
    %b = exp %a : f32
    store %b, %out0, %i
    yield
  }
  return
}

kernel @n(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n0 (%i: i64) {
    %a = load %in0, %i : f32
    %b = neg %a : f32
    store %b, %out0, %i
    yield
  }
  return
}
