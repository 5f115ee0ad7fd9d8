// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// The printed result re-parses and prints the same:
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// The intermediate is also returned: the kernels still fuse and the load is
// forwarded, but the buffer and its store stay.
// CHECK-LABEL: func @returned(%x: f32[?]) -> (f32[?], f32[?]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?]
// CHECK-NEXT:   %1 = alloc %d0 : f32[?]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @returned_f0}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @returned_f0(%in0: f32[?], %out0: f32[?], %out1: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %e = exp %a : f32
// CHECK-NEXT:     store %e, %out0, %i0
// CHECK-NEXT:     %n = neg %e : f32
// CHECK-NEXT:     store %n, %out1, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @returned(%x: f32[?]) -> (f32[?], f32[?]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?]
  launch %x, %0 {kernel = @returned_k0}
  %1 = alloc %d0 : f32[?]
  launch %0, %1 {kernel = @returned_k1}
  return %0, %1
}

kernel @returned_k0(%in0: f32[?], %out0: f32[?]) {
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

kernel @returned_k1(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %n = neg %a : f32
    store %n, %out0, %i0
    yield
  }
  return
}
// -----
// The intermediate %0 is read again by a later launch that does not fuse
// (it reads %0 transposed): the first two kernels fuse, %0 stays, and the
// third launch is untouched.
// CHECK-LABEL: func @read_later(%x: f32[8,8]) -> (f32[8,8], f32[8,8]) {
// CHECK-NEXT:   %0 = alloc : f32[8,8]
// CHECK-NEXT:   %1 = alloc : f32[8,8]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @read_later_f0}
// CHECK-NEXT:   %2 = alloc : f32[8,8]
// CHECK-NEXT:   launch %0, %2 {kernel = @read_later_k2}
// CHECK-NEXT:   return %1, %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @read_later_f0(%in0: f32[8,8], %out0: f32[8,8], %out1: f32[8,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c8 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       store %e, %out0, %i0, %i1
// CHECK-NEXT:       %n = neg %e : f32
// CHECK-NEXT:       store %n, %out1, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @read_later_k2(%in0: f32[8,8], %out0: f32[8,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c8 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i1, %i0 : f32
// CHECK-NEXT:       store %a, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @read_later(%x: f32[8,8]) -> (f32[8,8], f32[8,8]) {
  %0 = alloc : f32[8,8]
  launch %x, %0 {kernel = @read_later_k0}
  %1 = alloc : f32[8,8]
  launch %0, %1 {kernel = @read_later_k1}
  %2 = alloc : f32[8,8]
  launch %0, %2 {kernel = @read_later_k2}
  return %1, %2
}

kernel @read_later_k0(%in0: f32[8,8], %out0: f32[8,8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i0: i64) {
    for %c0, %c8 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %e = exp %a : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @read_later_k1(%in0: f32[8,8], %out0: f32[8,8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i0: i64) {
    for %c0, %c8 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %n = neg %a : f32
      store %n, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @read_later_k2(%in0: f32[8,8], %out0: f32[8,8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i0: i64) {
    for %c0, %c8 (%i1: i64) {
      %a = load %in0, %i1, %i0 : f32
      store %a, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
