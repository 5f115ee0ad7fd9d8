// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// Rematerialization (docs/loop-fusion.md): log_softmax as lower-to-loops
// emits it. After the four kernels merge into one row loop, the last inner
// loop reads back the temporary x - max that the sum loop stored; the stored
// value is one cheap op over a load of the input and the row max, so it is
// recomputed there, and the temporary disappears with its stores and alloc.
// CHECK-LABEL: func @ls(%x: f32[?,16]) -> (f32[?,16]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,16]
// CHECK-NEXT:   launch %x, %1 {kernel = @ls_f3}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @ls_f3(%in0: f32[?,16], %out0: f32[?,16]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c16 = constant {value = 16} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = -inf} : f32
// CHECK-NEXT:     %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = maximum %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     %8 = constant {value = 0.0} : f32
// CHECK-NEXT:     %9 = for %c0, %c16, %8 : f32 (%10: i64, %11: f32) {
// CHECK-NEXT:       %12 = load %in0, %1, %10 : f32
// CHECK-NEXT:       %13 = sub %12, %3 : f32
// CHECK-NEXT:       %14 = exp %13 : f32
// CHECK-NEXT:       %15 = add %11, %14 : f32
// CHECK-NEXT:       yield %15
// CHECK-NEXT:     }
// CHECK-NEXT:     %16 = log %9 : f32
// CHECK-NEXT:     for %c0, %c16 (%17: i64) {
// CHECK-NEXT:       %18 = load %in0, %1, %17 : f32
// CHECK-NEXT:       %19 = sub %18, %3 : f32
// CHECK-NEXT:       %20 = sub %19, %16 : f32
// CHECK-NEXT:       store %20, %out0, %1, %17
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @ls(%x: f32[?,16]) -> (f32[?,16]) {
  %0 = dim %x {axis = 0} : i64
  %1 = alloc %0 : f32[?,1]
  launch %x, %1 {kernel = @ls_k0}
  %2 = alloc %0 : f32[?,16]
  %3 = alloc %0 : f32[?,16]
  launch %x, %1, %2, %3 {kernel = @ls_k1}
  %4 = dim %3 {axis = 0} : i64
  %5 = alloc %4 : f32[?,1]
  launch %3, %5 {kernel = @ls_k2}
  %6 = dim %5 {axis = 0} : i64
  %7 = alloc %6 : f32[?,1]
  launch %5, %7 {kernel = @ls_k3}
  %8 = dim %2 {axis = 0} : i64
  %9 = alloc %8 : f32[?,16]
  launch %2, %7, %9 {kernel = @ls_k4}
  return %9
}

kernel @ls_k0(%in0: f32[?,16], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = constant {value = -inf} : f32
    %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
      %6 = load %in0, %1, %4 : f32
      %7 = maximum %5, %6 : f32
      yield %7
    }
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @ls_k1(%in0: f32[?,16], %in1: f32[?,1], %out0: f32[?,16], %out1: f32[?,16]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c16 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %1, %c0 : f32
      %5 = sub %3, %4 : f32
      %6 = exp %5 : f32
      store %5, %out0, %1, %2
      store %6, %out1, %1, %2
      yield
    }
    yield
  }
  return
}

kernel @ls_k2(%in0: f32[?,16], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = constant {value = 0.0} : f32
    %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
      %6 = load %in0, %1, %4 : f32
      %7 = add %5, %6 : f32
      yield %7
    }
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @ls_k3(%in0: f32[?,1], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = load %in0, %1, %c0 : f32
    %3 = log %2 : f32
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @ls_k4(%in0: f32[?,16], %in1: f32[?,1], %out0: f32[?,16]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c16 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %1, %c0 : f32
      %5 = sub %3, %4 : f32
      store %5, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
// -----
// The stored value is exp(x - max): expensive, never recomputed. The
// temporary stays (softmax keeps exp(x - max) for the division).
// CHECK-LABEL: func @sm(%x: f32[?,16]) -> (f32[?,16]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,16]
// CHECK-NEXT:   %2 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,16]
// CHECK-NEXT:   launch %x, %1, %3 {kernel = @sm_f2}
// CHECK-NEXT:   return %3
// CHECK-NEXT: }
// CHECK-LABEL: kernel @sm_f2(%in0: f32[?,16], %out0: f32[?,16], %out1: f32[?,16]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c16 = constant {value = 16} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = -inf} : f32
// CHECK-NEXT:     %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = maximum %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     %8 = constant {value = 0.0} : f32
// CHECK-NEXT:     %9 = for %c0, %c16, %8 : f32 (%10: i64, %11: f32) {
// CHECK-NEXT:       %12 = load %in0, %1, %10 : f32
// CHECK-NEXT:       %13 = sub %12, %3 : f32
// CHECK-NEXT:       %14 = exp %13 : f32
// CHECK-NEXT:       store %14, %out0, %1, %10
// CHECK-NEXT:       %15 = add %11, %14 : f32
// CHECK-NEXT:       yield %15
// CHECK-NEXT:     }
// CHECK-NEXT:     for %c0, %c16 (%16: i64) {
// CHECK-NEXT:       %17 = load %out0, %1, %16 : f32
// CHECK-NEXT:       %18 = div %17, %9 : f32
// CHECK-NEXT:       store %18, %out1, %1, %16
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @sm(%x: f32[?,16]) -> (f32[?,16]) {
  %0 = dim %x {axis = 0} : i64
  %1 = alloc %0 : f32[?,1]
  launch %x, %1 {kernel = @sm_k0}
  %2 = alloc %0 : f32[?,16]
  launch %x, %1, %2 {kernel = @sm_k1}
  %3 = dim %2 {axis = 0} : i64
  %4 = alloc %3 : f32[?,1]
  launch %2, %4 {kernel = @sm_k2}
  %5 = alloc %3 : f32[?,16]
  launch %2, %4, %5 {kernel = @sm_k3}
  return %5
}

kernel @sm_k0(%in0: f32[?,16], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = constant {value = -inf} : f32
    %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
      %6 = load %in0, %1, %4 : f32
      %7 = maximum %5, %6 : f32
      yield %7
    }
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @sm_k1(%in0: f32[?,16], %in1: f32[?,1], %out0: f32[?,16]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c16 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %1, %c0 : f32
      %5 = sub %3, %4 : f32
      %6 = exp %5 : f32
      store %6, %out0, %1, %2
      yield
    }
    yield
  }
  return
}

kernel @sm_k2(%in0: f32[?,16], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = constant {value = 0.0} : f32
    %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
      %6 = load %in0, %1, %4 : f32
      %7 = add %5, %6 : f32
      yield %7
    }
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @sm_k3(%in0: f32[?,16], %in1: f32[?,1], %out0: f32[?,16]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c16 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %1, %c0 : f32
      %5 = div %3, %4 : f32
      store %5, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
// -----
// x - max is also a result of the func, not a temporary: the last loop
// keeps reading it back.
// CHECK-LABEL: func @kept(%x: f32[?,16]) -> (f32[?,16], f32[?,16]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,16]
// CHECK-NEXT:   %2 = dim %1 {axis = 0} : i64
// CHECK-NEXT:   %3 = alloc %2 : f32[?,16]
// CHECK-NEXT:   launch %x, %1, %3 {kernel = @kept_f3}
// CHECK-NEXT:   return %3, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @kept_f3(%in0: f32[?,16], %out0: f32[?,16], %out1: f32[?,16]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c16 = constant {value = 16} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = -inf} : f32
// CHECK-NEXT:     %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = maximum %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     %8 = constant {value = 0.0} : f32
// CHECK-NEXT:     %9 = for %c0, %c16, %8 : f32 (%10: i64, %11: f32) {
// CHECK-NEXT:       %12 = load %in0, %1, %10 : f32
// CHECK-NEXT:       %13 = sub %12, %3 : f32
// CHECK-NEXT:       %14 = exp %13 : f32
// CHECK-NEXT:       store %13, %out0, %1, %10
// CHECK-NEXT:       %15 = add %11, %14 : f32
// CHECK-NEXT:       yield %15
// CHECK-NEXT:     }
// CHECK-NEXT:     %16 = log %9 : f32
// CHECK-NEXT:     for %c0, %c16 (%17: i64) {
// CHECK-NEXT:       %18 = load %out0, %1, %17 : f32
// CHECK-NEXT:       %19 = sub %18, %16 : f32
// CHECK-NEXT:       store %19, %out1, %1, %17
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @kept(%x: f32[?,16]) -> (f32[?,16], f32[?,16]) {
  %0 = dim %x {axis = 0} : i64
  %1 = alloc %0 : f32[?,1]
  launch %x, %1 {kernel = @kept_k0}
  %2 = alloc %0 : f32[?,16]
  %3 = alloc %0 : f32[?,16]
  launch %x, %1, %2, %3 {kernel = @kept_k1}
  %4 = dim %3 {axis = 0} : i64
  %5 = alloc %4 : f32[?,1]
  launch %3, %5 {kernel = @kept_k2}
  %6 = dim %5 {axis = 0} : i64
  %7 = alloc %6 : f32[?,1]
  launch %5, %7 {kernel = @kept_k3}
  %8 = dim %2 {axis = 0} : i64
  %9 = alloc %8 : f32[?,16]
  launch %2, %7, %9 {kernel = @kept_k4}
  return %9, %2
}

kernel @kept_k0(%in0: f32[?,16], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = constant {value = -inf} : f32
    %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
      %6 = load %in0, %1, %4 : f32
      %7 = maximum %5, %6 : f32
      yield %7
    }
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @kept_k1(%in0: f32[?,16], %in1: f32[?,1], %out0: f32[?,16], %out1: f32[?,16]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c16 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %1, %c0 : f32
      %5 = sub %3, %4 : f32
      %6 = exp %5 : f32
      store %5, %out0, %1, %2
      store %6, %out1, %1, %2
      yield
    }
    yield
  }
  return
}

kernel @kept_k2(%in0: f32[?,16], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = constant {value = 0.0} : f32
    %3 = for %c0, %c16, %2 : f32 (%4: i64, %5: f32) {
      %6 = load %in0, %1, %4 : f32
      %7 = add %5, %6 : f32
      yield %7
    }
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @kept_k3(%in0: f32[?,1], %out0: f32[?,1]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = load %in0, %1, %c0 : f32
    %3 = log %2 : f32
    store %3, %out0, %1, %c0
    yield
  }
  return
}

kernel @kept_k4(%in0: f32[?,16], %in1: f32[?,1], %out0: f32[?,16]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c16 = constant {value = 16} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c16 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %1, %c0 : f32
      %5 = sub %3, %4 : f32
      store %5, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
