// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// Two elementwise kernels over the same rows: one kernel, the inner loops
// merge, the load of the intermediate is forwarded from its store, and the
// intermediate buffer disappears.
// CHECK-LABEL: func @f(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?,10]
// CHECK-NEXT:   %1 = alloc %d0 : f32[?,10]
// CHECK-NEXT:   launch %x, %1 {kernel = @f_f0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @f_f0(%arg0: f32[?,10], %arg2: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %arg0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c10 (%i1: i64) {
// CHECK-NEXT:       %a = load %arg0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       %n = neg %e : f32
// CHECK-NEXT:       store %n, %arg2, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @f(%x: f32[?,10]) -> (f32[?,10]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?,10]
  launch %x, %0 {kernel = @f_k0}
  %1 = alloc %d0 : f32[?,10]
  launch %0, %1 {kernel = @f_k1}
  return %1
}

kernel @f_k0(%in0: f32[?,10], %out0: f32[?,10]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %e = exp %a : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @f_k1(%in0: f32[?,10], %out0: f32[?,10]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %n = neg %a : f32
      store %n, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
