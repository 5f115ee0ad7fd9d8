// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s

// Two update kernels of one buffer (a chain of slice_updates written in
// place, decision 0025) write columns [0, 2) and [2, 4): the same
// elements never meet, so their inner loops merge with the producer's
// although the column index is not the loop's variable; the values are
// then forwarded and the temporaries go: exp and tanh are stored straight
// into the result.
// CHECK-LABEL: func @gates(%x: f32[2,2]) -> (f32[2,4]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[2,4]
// CHECK-NEXT:    %0 = alloc : f32[2,4]
// CHECK-NEXT:    launch %x, %0 {kernel = @gates_f2}
// CHECK-NEXT:    return %0
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @gates_f2(%in0: f32[2,2], %out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c2 (%1: i64) {
// CHECK-NEXT:        %2 = load %in0, %0, %1 : f32
// CHECK-NEXT:        %3 = exp %2 : f32
// CHECK-NEXT:        %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:        %5 = tanh %4 : f32
// CHECK-NEXT:        %6 = add %c0, %1 : i64
// CHECK-NEXT:        %7 = clamp %6, %c4 : i64
// CHECK-NEXT:        store %3, %out0, %0, %7
// CHECK-NEXT:        %8 = add %c2, %1 : i64
// CHECK-NEXT:        %9 = clamp %8, %c4 : i64
// CHECK-NEXT:        store %5, %out0, %0, %9
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @gates(%x: f32[2,2]) -> (f32[2,4]) {
  %z = constant {value = 0.0} : f32[2,4]
  %0 = alloc : f32[2,2]
  launch %x, %0 {kernel = @gates_k0}
  %1 = alloc : f32[2,2]
  launch %x, %1 {kernel = @gates_k1}
  %2 = alloc : f32[2,4]
  launch %0, %2 {kernel = @gates_k2}
  launch %1, %2 {kernel = @gates_k3}
  return %2
}

kernel @gates_k0(%in0: f32[2,2], %out0: f32[2,2]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = exp %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @gates_k1(%in0: f32[2,2], %out0: f32[2,2]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = tanh %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @gates_k2(%in0: f32[2,2], %out0: f32[2,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %c2 = constant {value = 2} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = add %c0, %1 : i64
      %3 = clamp %2, %c4 : i64
      %4 = load %in0, %0, %1 : f32
      store %4, %out0, %0, %3
      yield
    }
    yield
  }
  return
}

kernel @gates_k3(%in0: f32[2,2], %out0: f32[2,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %c2 = constant {value = 2} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = add %c2, %1 : i64
      %3 = clamp %2, %c4 : i64
      %4 = load %in0, %0, %1 : f32
      store %4, %out0, %0, %3
      yield
    }
    yield
  }
  return
}

// -----

// Negative: columns [0, 3) and [2, 5) meet at column 2: the outer loops
// merge (row-local), the inner loops do not.
// CHECK-LABEL: func @overlap(%x: f32[2,3]) -> (f32[2,5]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[2,5]
// CHECK-NEXT:    %0 = alloc : f32[2,3]
// CHECK-NEXT:    %1 = alloc : f32[2,3]
// CHECK-NEXT:    launch %x, %0, %1 {kernel = @overlap_f0}
// CHECK-NEXT:    %2 = alloc : f32[2,5]
// CHECK-NEXT:    launch %2, %0, %1 {kernel = @overlap_f2}
// CHECK-NEXT:    return %2
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @overlap_f0(%in0: f32[2,3], %out0: f32[2,3], %out1: f32[2,3]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    %c3 = constant {value = 3} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c3 (%1: i64) {
// CHECK-NEXT:        %2 = load %in0, %0, %1 : f32
// CHECK-NEXT:        %3 = exp %2 : f32
// CHECK-NEXT:        store %3, %out0, %0, %1
// CHECK-NEXT:        %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:        %5 = tanh %4 : f32
// CHECK-NEXT:        store %5, %out1, %0, %1
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @overlap_f2(%out0: f32[2,5], %in0: f32[2,3], %in1: f32[2,3]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    %c5 = constant {value = 5} : i64
// CHECK-NEXT:    %c3 = constant {value = 3} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c5 (%1: i64) {
// CHECK-NEXT:        %2 = constant {value = 0.0} : f32
// CHECK-NEXT:        store %2, %out0, %0, %1
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      for %c0, %c3 (%3: i64) {
// CHECK-NEXT:        %4 = add %c0, %3 : i64
// CHECK-NEXT:        %5 = clamp %4, %c5 : i64
// CHECK-NEXT:        %6 = load %in0, %0, %3 : f32
// CHECK-NEXT:        store %6, %out0, %0, %5
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      for %c0, %c3 (%7: i64) {
// CHECK-NEXT:        %8 = add %c2, %7 : i64
// CHECK-NEXT:        %9 = clamp %8, %c5 : i64
// CHECK-NEXT:        %10 = load %in1, %0, %7 : f32
// CHECK-NEXT:        store %10, %out0, %0, %9
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @overlap(%x: f32[2,3]) -> (f32[2,5]) {
  %z = constant {value = 0.0} : f32[2,5]
  %0 = alloc : f32[2,3]
  launch %x, %0 {kernel = @overlap_k0}
  %1 = alloc : f32[2,3]
  launch %x, %1 {kernel = @overlap_k1}
  %2 = alloc : f32[2,5]
  launch %2 {kernel = @overlap_k2}
  launch %0, %2 {kernel = @overlap_k3}
  launch %1, %2 {kernel = @overlap_k4}
  return %2
}

kernel @overlap_k0(%in0: f32[2,3], %out0: f32[2,3]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c3 = constant {value = 3} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c3 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = exp %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @overlap_k1(%in0: f32[2,3], %out0: f32[2,3]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c3 = constant {value = 3} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c3 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = tanh %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @overlap_k2(%out0: f32[2,5]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c5 = constant {value = 5} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c5 (%1: i64) {
      %2 = constant {value = 0.0} : f32
      store %2, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @overlap_k3(%in0: f32[2,3], %out0: f32[2,5]) {
  %c0 = constant {value = 0} : i64
  %c5 = constant {value = 5} : i64
  %c2 = constant {value = 2} : i64
  %c3 = constant {value = 3} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c3 (%1: i64) {
      %2 = add %c0, %1 : i64
      %3 = clamp %2, %c5 : i64
      %4 = load %in0, %0, %1 : f32
      store %4, %out0, %0, %3
      yield
    }
    yield
  }
  return
}

kernel @overlap_k4(%in0: f32[2,3], %out0: f32[2,5]) {
  %c0 = constant {value = 0} : i64
  %c5 = constant {value = 5} : i64
  %c2 = constant {value = 2} : i64
  %c3 = constant {value = 3} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c3 (%1: i64) {
      %2 = add %c2, %1 : i64
      %3 = clamp %2, %c5 : i64
      %4 = load %in0, %0, %1 : f32
      store %4, %out0, %0, %3
      yield
    }
    yield
  }
  return
}

// -----

// Negative (not proven): columns 0, 2 and 1, 3 interleave; their ranges
// [0, 2] and [1, 3] meet, and strides are not analysed.
// CHECK-LABEL: func @strided(%x: f32[2,2]) -> (f32[2,4]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[2,4]
// CHECK-NEXT:    %0 = alloc : f32[2,2]
// CHECK-NEXT:    %1 = alloc : f32[2,4]
// CHECK-NEXT:    launch %x, %0, %1 {kernel = @strided_f2}
// CHECK-NEXT:    return %1
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @strided_f2(%in0: f32[2,2], %out0: f32[2,2], %out1: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c1 = constant {value = 1} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c2 (%1: i64) {
// CHECK-NEXT:        %2 = load %in0, %0, %1 : f32
// CHECK-NEXT:        %3 = exp %2 : f32
// CHECK-NEXT:        %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:        %5 = tanh %4 : f32
// CHECK-NEXT:        store %5, %out0, %0, %1
// CHECK-NEXT:        %6 = mul %1, %c2 : i64
// CHECK-NEXT:        %7 = add %c0, %6 : i64
// CHECK-NEXT:        %8 = clamp %7, %c4 : i64
// CHECK-NEXT:        store %3, %out1, %0, %8
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      for %c0, %c2 (%9: i64) {
// CHECK-NEXT:        %10 = mul %9, %c2 : i64
// CHECK-NEXT:        %11 = add %c1, %10 : i64
// CHECK-NEXT:        %12 = clamp %11, %c4 : i64
// CHECK-NEXT:        %13 = load %out0, %0, %9 : f32
// CHECK-NEXT:        store %13, %out1, %0, %12
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @strided(%x: f32[2,2]) -> (f32[2,4]) {
  %z = constant {value = 0.0} : f32[2,4]
  %0 = alloc : f32[2,2]
  launch %x, %0 {kernel = @strided_k0}
  %1 = alloc : f32[2,2]
  launch %x, %1 {kernel = @strided_k1}
  %2 = alloc : f32[2,4]
  launch %0, %2 {kernel = @strided_k2}
  launch %1, %2 {kernel = @strided_k3}
  return %2
}

kernel @strided_k0(%in0: f32[2,2], %out0: f32[2,2]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = exp %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @strided_k1(%in0: f32[2,2], %out0: f32[2,2]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = load %in0, %0, %1 : f32
      %3 = tanh %2 : f32
      store %3, %out0, %0, %1
      yield
    }
    yield
  }
  return
}

kernel @strided_k2(%in0: f32[2,2], %out0: f32[2,4]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = mul %1, %c2 : i64
      %3 = add %c0, %2 : i64
      %4 = clamp %3, %c4 : i64
      %5 = load %in0, %0, %1 : f32
      store %5, %out0, %0, %4
      yield
    }
    yield
  }
  return
}

kernel @strided_k3(%in0: f32[2,2], %out0: f32[2,4]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c4 = constant {value = 4} : i64
  %c1 = constant {value = 1} : i64
  parallel_for %c0, %c2 (%0: i64) {
    for %c0, %c2 (%1: i64) {
      %2 = mul %1, %c2 : i64
      %3 = add %c1, %2 : i64
      %4 = clamp %3, %c4 : i64
      %5 = load %in0, %0, %1 : f32
      store %5, %out0, %0, %4
      yield
    }
    yield
  }
  return
}
