// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// Not fused: the consumer reads the producer transposed (iteration i needs
// row i of the transpose, i.e. column i of what iteration i wrote).
// CHECK-LABEL: func @transposed(%x: f32[8,8]) -> (f32[8,8]) {
// CHECK-NEXT:   %0 = alloc : f32[8,8]
// CHECK-NEXT:   launch %x, %0 {kernel = @p}
// CHECK-NEXT:   %1 = alloc : f32[8,8]
// CHECK-NEXT:   launch %0, %1 {kernel = @t}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @p(%in0: f32[8,8], %out0: f32[8,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i: i64) {
// CHECK-NEXT:     for %c0, %c8 (%j: i64) {
// CHECK-NEXT:       %a = load %in0, %i, %j : f32
// CHECK-NEXT:       store %a, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @t(%in0: f32[8,8], %out0: f32[8,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i: i64) {
// CHECK-NEXT:     for %c0, %c8 (%j: i64) {
// CHECK-NEXT:       %a = load %in0, %j, %i : f32
// CHECK-NEXT:       store %a, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @transposed(%x: f32[8,8]) -> (f32[8,8]) {
  %0 = alloc : f32[8,8]
  launch %x, %0 {kernel = @p}
  %1 = alloc : f32[8,8]
  launch %0, %1 {kernel = @t}
  return %1
}

kernel @p(%in0: f32[8,8], %out0: f32[8,8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i: i64) {
    for %c0, %c8 (%j: i64) {
      %a = load %in0, %i, %j : f32
      store %a, %out0, %i, %j
      yield
    }
    yield
  }
  return
}

kernel @t(%in0: f32[8,8], %out0: f32[8,8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i: i64) {
    for %c0, %c8 (%j: i64) {
      %a = load %in0, %j, %i : f32
      store %a, %out0, %i, %j
      yield
    }
    yield
  }
  return
}
// -----
// Not fused: different iteration spaces (8 rows vs 4 rows).
// CHECK-LABEL: func @bounds(%x: f32[8], %y: f32[4]) -> (f32[8], f32[4]) {
// CHECK-NEXT:   %0 = alloc : f32[8]
// CHECK-NEXT:   launch %x, %0 {kernel = @a8}
// CHECK-NEXT:   %1 = alloc : f32[4]
// CHECK-NEXT:   launch %y, %1 {kernel = @a4}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @a8(%in0: f32[8], %out0: f32[8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     store %a, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @a4(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     store %a, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @bounds(%x: f32[8], %y: f32[4]) -> (f32[8], f32[4]) {
  %0 = alloc : f32[8]
  launch %x, %0 {kernel = @a8}
  %1 = alloc : f32[4]
  launch %y, %1 {kernel = @a4}
  return %0, %1
}

kernel @a8(%in0: f32[8], %out0: f32[8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i: i64) {
    %a = load %in0, %i : f32
    store %a, %out0, %i
    yield
  }
  return
}

kernel @a4(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : f32
    store %a, %out0, %i
    yield
  }
  return
}
// -----
// Not fused: the second kernel overwrites the buffer the first reads (an
// anti-dependence across iterations).
// CHECK-LABEL: func @anti(%x: f32[8]) -> (f32[8]) {
// CHECK-NEXT:   %0 = alloc : f32[8]
// CHECK-NEXT:   launch %x, %0 {kernel = @a8b}
// CHECK-NEXT:   launch %0, %x {kernel = @a8b}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @a8b(%in0: f32[8], %out0: f32[8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     store %a, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @anti(%x: f32[8]) -> (f32[8]) {
  %0 = alloc : f32[8]
  launch %x, %0 {kernel = @a8b}
  launch %0, %x {kernel = @a8b}
  return %0
}

kernel @a8b(%in0: f32[8], %out0: f32[8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i: i64) {
    %a = load %in0, %i : f32
    store %a, %out0, %i
    yield
  }
  return
}
