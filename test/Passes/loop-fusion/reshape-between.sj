// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// Ops that touch no buffer contents (row flags: no READS/WRITES, no region)
// may sit between two launches: here a reshape, which aliases the first
// launch's output. Negative: the second launch reads that buffer through the
// alias while the first writes it, so the launches are not fused (an
// aliased write), and nothing is lost or reordered.
// CHECK-LABEL: func @f(%x: f32[4,6]) -> (f32[4,1,6]) {
// CHECK-NEXT:   %0 = alloc : f32[4,6]
// CHECK-NEXT:   launch %x, %0 {kernel = @f_k0}
// CHECK-NEXT:   %1 = reshape %0 : f32[4,1,6]
// CHECK-NEXT:   %2 = alloc : f32[4,1,6]
// CHECK-NEXT:   launch %1, %2 {kernel = @f_k1}
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @f_k0(%in0: f32[4,6], %out0: f32[4,6]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     for %c0, %c6 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %0, %1 : f32
// CHECK-NEXT:       %3 = exp %2 : f32
// CHECK-NEXT:       store %3, %out0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @f_k1(%in0: f32[4,1,6], %out0: f32[4,1,6]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     for %c0, %c6 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %0, %c0, %1 : f32
// CHECK-NEXT:       %3 = neg %2 : f32
// CHECK-NEXT:       store %3, %out0, %0, %c0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @f(%x: f32[4,6]) -> (f32[4,1,6]) {
  %0 = alloc : f32[4,6]
  launch %x, %0 {kernel = @f_k0}
  %1 = reshape %0 : f32[4,1,6]
  %2 = alloc : f32[4,1,6]
  launch %1, %2 {kernel = @f_k1}
  return %2
}

kernel @f_k0(%in0: f32[4,6], %out0: f32[4,6]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %c6 = constant {value = 6} : i64
  parallel_for %c0, %c4 (%0: i64) {
    for %c0, %c6 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = exp %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @f_k1(%in0: f32[4,1,6], %out0: f32[4,1,6]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %c6 = constant {value = 6} : i64
  parallel_for %c0, %c4 (%0: i64) {
    for %c0, %c6 (%1: i64) {
      %2 = load %in0, %0, %c0, %1 : f32
      %3 = neg %2 : f32
      store %3, %out0, %0, %c0, %1
      yield
    }
    yield
  }
  return
}
// -----
// A reshape of an input (not written by either launch) between two launches
// that share that input: fused horizontally across the reshape.
// CHECK-LABEL: func @g(%x: f32[4,6]) -> (f32[4,6], f32[4,6]) {
// CHECK-NEXT:   %0 = alloc : f32[4,6]
// CHECK-NEXT:   %r = reshape %x : f32[24]
// CHECK-NEXT:   %1 = alloc : f32[4,6]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @g_f0}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @g_f0(%in0: f32[4,6], %out0: f32[4,6], %out1: f32[4,6]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:     for %c0, %c6 (%1: i64) {
// CHECK-NEXT:       %2 = load %in0, %0, %1 : f32
// CHECK-NEXT:       %3 = exp %2 : f32
// CHECK-NEXT:       store %3, %out0, %0, %1
// CHECK-NEXT:       %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:       %5 = neg %4 : f32
// CHECK-NEXT:       store %5, %out1, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @g(%x: f32[4,6]) -> (f32[4,6], f32[4,6]) {
  %0 = alloc : f32[4,6]
  launch %x, %0 {kernel = @g_k0}
  %r = reshape %x : f32[24]
  %1 = alloc : f32[4,6]
  launch %x, %1 {kernel = @g_k1}
  return %0, %1
}

kernel @g_k0(%in0: f32[4,6], %out0: f32[4,6]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %c6 = constant {value = 6} : i64
  parallel_for %c0, %c4 (%0: i64) {
    for %c0, %c6 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = exp %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @g_k1(%in0: f32[4,6], %out0: f32[4,6]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %c6 = constant {value = 6} : i64
  parallel_for %c0, %c4 (%0: i64) {
    for %c0, %c6 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = neg %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}
