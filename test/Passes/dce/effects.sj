// RUN: %symjit-opt %s --passes=dce --split-input-file | FileCheck %s
// store, launch and gemm have effects: they and their inputs stay, even
// when the buffers they write are never returned.
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     store %a, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @f(%x: f32[4], %w: f32[4,4]) -> (f32[4]) {
// CHECK-NEXT:   %t = alloc : f32[4]
// CHECK-NEXT:   launch %x, %t {kernel = @k}
// CHECK-NEXT:   %m = alloc : f32[4,4]
// CHECK-NEXT:   gemm %w, %w, %m
// CHECK-NEXT:   return %x
// CHECK-NEXT: }
kernel @k(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %unused = constant {value = 7} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : f32
    %dead = exp %a : f32
    store %a, %out0, %i
    yield
  }
  return
}

func @f(%x: f32[4], %w: f32[4,4]) -> (f32[4]) {
  %t = alloc : f32[4]
  launch %x, %t {kernel = @k}
  %m = alloc : f32[4,4]
  gemm %w, %w, %m
  %d = dim %x {axis = 0} : i64
  return %x
}
