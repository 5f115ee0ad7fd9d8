// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// The printed result re-parses and prints the same:
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// Two elementwise kernels over the same rows: one kernel; the inner loops
// merge, the load of the intermediate is forwarded from its store, and the
// intermediate buffer (store, parameter, launch argument, alloc) disappears.
// CHECK-LABEL: func @ew2(%x: f32[?,10]) -> (f32[?,10]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?,10]
// CHECK-NEXT:   launch %x, %0 {kernel = @ew2_f0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @ew2_f0(%in0: f32[?,10], %out0: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c10 (%i1: i64) {
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
func @ew2(%x: f32[?,10]) -> (f32[?,10]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?,10]
  launch %x, %0 {kernel = @ew2_k0}
  %1 = alloc %d0 : f32[?,10]
  launch %0, %1 {kernel = @ew2_k1}
  return %1
}

kernel @ew2_k0(%in0: f32[?,10], %out0: f32[?,10]) {
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

kernel @ew2_k1(%in0: f32[?,10], %out0: f32[?,10]) {
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
// -----
// Elementwise into a row reduction: the outer (row) loops merge, then the
// plain inner loop merges into the front of the reduction loop (same bounds,
// the intermediate read at the same [i0, i1]); the intermediate is gone.
// CHECK-LABEL: func @ew_rowsum(%x: f32[?,10], %b: f32[10]) -> (f32[?]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?]
// CHECK-NEXT:   launch %x, %b, %0 {kernel = @ew_rowsum_f0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @ew_rowsum_f0(%in0: f32[?,10], %in1: f32[10], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     %z = constant {value = 0.0} : f32
// CHECK-NEXT:     %acc = for %c0, %c10, %z : f32 (%i1: i64, %a: f32) {
// CHECK-NEXT:       %a_1 = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %b = load %in1, %i1 : f32
// CHECK-NEXT:       %s = add %a_1, %b : f32
// CHECK-NEXT:       %e = exp %s : f32
// CHECK-NEXT:       %a2 = add %a, %e : f32
// CHECK-NEXT:       yield %a2
// CHECK-NEXT:     }
// CHECK-NEXT:     store %acc, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @ew_rowsum(%x: f32[?,10], %b: f32[10]) -> (f32[?]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?,10]
  launch %x, %b, %0 {kernel = @ew_rowsum_k0}
  %1 = alloc %d0 : f32[?]
  launch %0, %1 {kernel = @ew_rowsum_k1}
  return %1
}

kernel @ew_rowsum_k0(%in0: f32[?,10], %in1: f32[10], %out0: f32[?,10]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %b = load %in1, %i1 : f32
      %s = add %a, %b : f32
      %e = exp %s : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @ew_rowsum_k1(%in0: f32[?,10], %out0: f32[?]) {
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
// -----
// A chain of three elementwise kernels becomes one kernel (two fusions;
// the second fuses the first result, so the name counter reads f1).
// CHECK-LABEL: func @chain3(%x: f32[?], %y: f32[?]) -> (f32[?]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?]
// CHECK-NEXT:   launch %x, %y, %0 {kernel = @chain3_f1}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @chain3_f1(%in0: f32[?], %in1: f32[?], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %e = exp %a : f32
// CHECK-NEXT:     %b = load %in1, %i0 : f32
// CHECK-NEXT:     %m = mul %e, %b : f32
// CHECK-NEXT:     %t = tanh %m : f32
// CHECK-NEXT:     store %t, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @chain3(%x: f32[?], %y: f32[?]) -> (f32[?]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?]
  launch %x, %0 {kernel = @chain3_k0}
  %1 = alloc %d0 : f32[?]
  launch %0, %y, %1 {kernel = @chain3_k1}
  %2 = alloc %d0 : f32[?]
  launch %1, %2 {kernel = @chain3_k2}
  return %2
}

kernel @chain3_k0(%in0: f32[?], %out0: f32[?]) {
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

kernel @chain3_k1(%in0: f32[?], %in1: f32[?], %out0: f32[?]) {
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

kernel @chain3_k2(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %n0 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %t = tanh %a : f32
    store %t, %out0, %i0
    yield
  }
  return
}
// -----
// Horizontal fusion: two kernels that share only an input run in one loop
// and keep both outputs.
// CHECK-LABEL: func @siblings(%x: f32[16]) -> (f32[16], f32[16]) {
// CHECK-NEXT:   %0 = alloc : f32[16]
// CHECK-NEXT:   %1 = alloc : f32[16]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @siblings_f0}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @siblings_f0(%in0: f32[16], %out0: f32[16], %out1: f32[16]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c16 = constant {value = 16} : i64
// CHECK-NEXT:   parallel_for %c0, %c16 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %e = exp %a : f32
// CHECK-NEXT:     store %e, %out0, %i0
// CHECK-NEXT:     %a_1 = load %in0, %i0 : f32
// CHECK-NEXT:     %l = log %a_1 : f32
// CHECK-NEXT:     store %l, %out1, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @siblings(%x: f32[16]) -> (f32[16], f32[16]) {
  %0 = alloc : f32[16]
  launch %x, %0 {kernel = @siblings_k0}
  %1 = alloc : f32[16]
  launch %x, %1 {kernel = @siblings_k1}
  return %0, %1
}

kernel @siblings_k0(%in0: f32[16], %out0: f32[16]) {
  %c0 = constant {value = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %c16 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %e = exp %a : f32
    store %e, %out0, %i0
    yield
  }
  return
}

kernel @siblings_k1(%in0: f32[16], %out0: f32[16]) {
  %c0 = constant {value = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %c16 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %l = log %a : f32
    store %l, %out0, %i0
    yield
  }
  return
}
