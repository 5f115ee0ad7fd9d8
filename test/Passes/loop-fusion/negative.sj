// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// The printed result re-parses and prints the same:
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// --debug-fusion names the refusal of each pair, at the second launch, in
// program order:
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=WHY
// WHY:      negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @bounds_k0 and @bounds_k1 not merged: different outer bounds
// WHY-NEXT: negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @transposed_k0 and @transposed_k1 not merged: a shared buffer is accessed at another index
// WHY-NEXT: negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @bcast_outer_k0 and @bcast_outer_k1 not merged: a shared buffer is accessed at another index
// WHY-NEXT: negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @colsum_k0 and @colsum_k1 not merged: a kernel is not one loop nest
// WHY-NEXT: negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @gemm_between_k0 and @gemm_between_k1 not merged: an op between the launches
// WHY-NEXT: negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @unrelated_k and @unrelated_k not merged: no shared buffer
// WHY-NEXT: negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @aliased_k and @aliased_k not merged: aliased buffers
// WHY-NEXT: negative.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @seq_k0 and @seq_k1 not merged: parallel_for against for
// WHY-NOT:  remark
// Not fused: different iteration spaces (8 rows against 4 rows).
// CHECK-LABEL: func @bounds(%x: f32[8]) -> (f32[4]) {
// CHECK-NEXT:   %0 = alloc : f32[8]
// CHECK-NEXT:   launch %x, %0 {kernel = @bounds_k0}
// CHECK-NEXT:   %1 = alloc : f32[4]
// CHECK-NEXT:   launch %0, %1 {kernel = @bounds_k1}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @bounds_k0(%in0: f32[8], %out0: f32[8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %e = exp %a : f32
// CHECK-NEXT:     store %e, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @bounds_k1(%in0: f32[8], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     store %a, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @bounds(%x: f32[8]) -> (f32[4]) {
  %0 = alloc : f32[8]
  launch %x, %0 {kernel = @bounds_k0}
  %1 = alloc : f32[4]
  launch %0, %1 {kernel = @bounds_k1}
  return %1
}

kernel @bounds_k0(%in0: f32[8], %out0: f32[8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %e = exp %a : f32
    store %e, %out0, %i0
    yield
  }
  return
}

kernel @bounds_k1(%in0: f32[8], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i0: i64) {
    %a = load %in0, %i0 : f32
    store %a, %out0, %i0
    yield
  }
  return
}
// -----
// Not fused: the consumer reads the producer transposed; iteration i needs
// column i of what the producer writes, not only row i.
// CHECK-LABEL: func @transposed(%x: f32[8,8]) -> (f32[8,8]) {
// CHECK-NEXT:   %0 = alloc : f32[8,8]
// CHECK-NEXT:   launch %x, %0 {kernel = @transposed_k0}
// CHECK-NEXT:   %1 = alloc : f32[8,8]
// CHECK-NEXT:   launch %0, %1 {kernel = @transposed_k1}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @transposed_k0(%in0: f32[8,8], %out0: f32[8,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c8 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       store %e, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @transposed_k1(%in0: f32[8,8], %out0: f32[8,8]) {
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
func @transposed(%x: f32[8,8]) -> (f32[8,8]) {
  %0 = alloc : f32[8,8]
  launch %x, %0 {kernel = @transposed_k0}
  %1 = alloc : f32[8,8]
  launch %0, %1 {kernel = @transposed_k1}
  return %1
}

kernel @transposed_k0(%in0: f32[8,8], %out0: f32[8,8]) {
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

kernel @transposed_k1(%in0: f32[8,8], %out0: f32[8,8]) {
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
// -----
// Not fused: the row sums are read broadcast along the outer axis
// (x[i, j] / s[j]); iteration i needs every s[j], i.e. every iteration of the
// producer, although both outer loops run over 10.
// CHECK-LABEL: func @bcast_outer(%x: f32[10,10]) -> (f32[10,10]) {
// CHECK-NEXT:   %0 = alloc : f32[10]
// CHECK-NEXT:   launch %x, %0 {kernel = @bcast_outer_k0}
// CHECK-NEXT:   %1 = alloc : f32[10,10]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @bcast_outer_k1}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @bcast_outer_k0(%in0: f32[10,10], %out0: f32[10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %c10 (%i0: i64) {
// CHECK-NEXT:     %z = constant {value = 0.0} : f32
// CHECK-NEXT:     %acc = for %c0, %c10, %z : f32 (%i1: i64, %a: f32) {
// CHECK-NEXT:       %v = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %a2 = add %a, %v : f32
// CHECK-NEXT:       yield %a2
// CHECK-NEXT:     }
// CHECK-NEXT:     store %acc, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @bcast_outer_k1(%in0: f32[10,10], %in1: f32[10], %out0: f32[10,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %c10 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c10 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %s = load %in1, %i1 : f32
// CHECK-NEXT:       %r = div %a, %s : f32
// CHECK-NEXT:       store %r, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @bcast_outer(%x: f32[10,10]) -> (f32[10,10]) {
  %0 = alloc : f32[10]
  launch %x, %0 {kernel = @bcast_outer_k0}
  %1 = alloc : f32[10,10]
  launch %x, %0, %1 {kernel = @bcast_outer_k1}
  return %1
}

kernel @bcast_outer_k0(%in0: f32[10,10], %out0: f32[10]) {
  %c0 = constant {value = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %c10 (%i0: i64) {
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

kernel @bcast_outer_k1(%in0: f32[10,10], %in1: f32[10], %out0: f32[10,10]) {
  %c0 = constant {value = 0} : i64
  %c10 = constant {value = 10} : i64
  parallel_for %c0, %c10 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %s = load %in1, %i1 : f32
      %r = div %a, %s : f32
      store %r, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
// -----
// Not fused: a column reduction of the producer's output. Lowered, it is an
// init nest then an accumulate nest (two top-level loops), and the
// accumulate nest is a sequential `for` over rows whose iterations all update
// the same out[j]: it cannot share the producer's parallel row loop.
// CHECK-LABEL: func @colsum(%x: f32[?,10]) -> (f32[10]) {
// CHECK-NEXT:   %d0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %0 = alloc %d0 : f32[?,10]
// CHECK-NEXT:   launch %x, %0 {kernel = @colsum_k0}
// CHECK-NEXT:   %1 = alloc : f32[10]
// CHECK-NEXT:   launch %0, %1 {kernel = @colsum_k1}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @colsum_k0(%in0: f32[?,10], %out0: f32[?,10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   parallel_for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c10 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       store %e, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @colsum_k1(%in0: f32[?,10], %out0: f32[10]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c10 = constant {value = 10} : i64
// CHECK-NEXT:   %n0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %c10 (%j0: i64) {
// CHECK-NEXT:     %z = constant {value = 0.0} : f32
// CHECK-NEXT:     store %z, %out0, %j0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %n0 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c10 (%i1: i64) {
// CHECK-NEXT:       %o = load %out0, %i1 : f32
// CHECK-NEXT:       %v = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %s = add %o, %v : f32
// CHECK-NEXT:       store %s, %out0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @colsum(%x: f32[?,10]) -> (f32[10]) {
  %d0 = dim %x {axis = 0} : i64
  %0 = alloc %d0 : f32[?,10]
  launch %x, %0 {kernel = @colsum_k0}
  %1 = alloc : f32[10]
  launch %0, %1 {kernel = @colsum_k1}
  return %1
}

kernel @colsum_k0(%in0: f32[?,10], %out0: f32[?,10]) {
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

kernel @colsum_k1(%in0: f32[?,10], %out0: f32[10]) {
  %c0 = constant {value = 0} : i64
  %c10 = constant {value = 10} : i64
  %n0 = dim %in0 {axis = 0} : i64
  parallel_for %c0, %c10 (%j0: i64) {
    %z = constant {value = 0.0} : f32
    store %z, %out0, %j0
    yield
  }
  for %c0, %n0 (%i0: i64) {
    for %c0, %c10 (%i1: i64) {
      %o = load %out0, %i1 : f32
      %v = load %in0, %i0, %i1 : f32
      %s = add %o, %v : f32
      store %s, %out0, %i1
      yield
    }
    yield
  }
  return
}
// -----
// Not fused: a gemm between the launches writes a buffer the second launch
// reads (only dim, alloc and constant may sit between fused launches).
// CHECK-LABEL: func @gemm_between(%x: f32[4,4], %w: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   launch %x, %0 {kernel = @gemm_between_k0}
// CHECK-NEXT:   %1 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %w, %1
// CHECK-NEXT:   %2 = alloc : f32[4,4]
// CHECK-NEXT:   launch %0, %1, %2 {kernel = @gemm_between_k1}
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @gemm_between_k0(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       store %e, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @gemm_between_k1(%in0: f32[4,4], %in1: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %b = load %in1, %i0, %i1 : f32
// CHECK-NEXT:       %s = add %a, %b : f32
// CHECK-NEXT:       store %s, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @gemm_between(%x: f32[4,4], %w: f32[4,4]) -> (f32[4,4]) {
  %0 = alloc : f32[4,4]
  launch %x, %0 {kernel = @gemm_between_k0}
  %1 = alloc : f32[4,4]
  gemm %x, %w, %1
  %2 = alloc : f32[4,4]
  launch %0, %1, %2 {kernel = @gemm_between_k1}
  return %2
}

kernel @gemm_between_k0(%in0: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i0: i64) {
    for %c0, %c4 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %e = exp %a : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}

kernel @gemm_between_k1(%in0: f32[4,4], %in1: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i0: i64) {
    for %c0, %c4 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %b = load %in1, %i0, %i1 : f32
      %s = add %a, %b : f32
      store %s, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
// -----
// Not fused: the launches share no buffer (nothing to gain, and merging
// unrelated work only lengthens the kernel).
// CHECK-LABEL: func @unrelated(%x: f32[8], %y: f32[8]) -> (f32[8], f32[8]) {
// CHECK-NEXT:   %0 = alloc : f32[8]
// CHECK-NEXT:   launch %x, %0 {kernel = @unrelated_k}
// CHECK-NEXT:   %1 = alloc : f32[8]
// CHECK-NEXT:   launch %y, %1 {kernel = @unrelated_k}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @unrelated_k(%in0: f32[8], %out0: f32[8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %e = exp %a : f32
// CHECK-NEXT:     store %e, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @unrelated(%x: f32[8], %y: f32[8]) -> (f32[8], f32[8]) {
  %0 = alloc : f32[8]
  launch %x, %0 {kernel = @unrelated_k}
  %1 = alloc : f32[8]
  launch %y, %1 {kernel = @unrelated_k}
  return %0, %1
}

kernel @unrelated_k(%in0: f32[8], %out0: f32[8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %e = exp %a : f32
    store %e, %out0, %i0
    yield
  }
  return
}
// -----
// Not fused: the second kernel reads the first one's output through a
// reshape (a view of the same memory); aliased buffers are refused even at
// the same index.
// CHECK-LABEL: func @aliased(%x: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   %r = reshape %0 : f32[4,4]
// CHECK-NEXT:   launch %x, %0 {kernel = @aliased_k}
// CHECK-NEXT:   %1 = alloc : f32[4,4]
// CHECK-NEXT:   launch %r, %1 {kernel = @aliased_k}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @aliased_k(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%i1: i64) {
// CHECK-NEXT:       %a = load %in0, %i0, %i1 : f32
// CHECK-NEXT:       %e = exp %a : f32
// CHECK-NEXT:       store %e, %out0, %i0, %i1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @aliased(%x: f32[4,4]) -> (f32[4,4]) {
  %0 = alloc : f32[4,4]
  %r = reshape %0 : f32[4,4]
  launch %x, %0 {kernel = @aliased_k}
  %1 = alloc : f32[4,4]
  launch %r, %1 {kernel = @aliased_k}
  return %1
}

kernel @aliased_k(%in0: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i0: i64) {
    for %c0, %c4 (%i1: i64) {
      %a = load %in0, %i0, %i1 : f32
      %e = exp %a : f32
      store %e, %out0, %i0, %i1
      yield
    }
    yield
  }
  return
}
// -----
// Not fused: a parallel row loop and a sequential one (the sequential loop
// may carry a dependence between rows through memory).
// CHECK-LABEL: func @seq(%x: f32[8]) -> (f32[8]) {
// CHECK-NEXT:   %0 = alloc : f32[8]
// CHECK-NEXT:   launch %x, %0 {kernel = @seq_k0}
// CHECK-NEXT:   %1 = alloc : f32[8]
// CHECK-NEXT:   launch %0, %1 {kernel = @seq_k1}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @seq_k0(%in0: f32[8], %out0: f32[8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     %e = exp %a : f32
// CHECK-NEXT:     store %e, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @seq_k1(%in0: f32[8], %out0: f32[8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   for %c0, %c8 (%i0: i64) {
// CHECK-NEXT:     %a = load %in0, %i0 : f32
// CHECK-NEXT:     store %a, %out0, %i0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @seq(%x: f32[8]) -> (f32[8]) {
  %0 = alloc : f32[8]
  launch %x, %0 {kernel = @seq_k0}
  %1 = alloc : f32[8]
  launch %0, %1 {kernel = @seq_k1}
  return %1
}

kernel @seq_k0(%in0: f32[8], %out0: f32[8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i0: i64) {
    %a = load %in0, %i0 : f32
    %e = exp %a : f32
    store %e, %out0, %i0
    yield
  }
  return
}

kernel @seq_k1(%in0: f32[8], %out0: f32[8]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  for %c0, %c8 (%i0: i64) {
    %a = load %in0, %i0 : f32
    store %a, %out0, %i0
    yield
  }
  return
}
