// RUN: %symjit-opt %s --passes=gemm-epilogue --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=gemm-epilogue --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// REMARK: negative.sj:58:3: remark: [gemm-epilogue] not fused: the next launch does not read the gemm's output
// REMARK: negative.sj:103:3: remark: [gemm-epilogue] not fused: the row index is used other than as a first index
// REMARK: negative.sj:144:3: remark: [gemm-epilogue] not fused: it writes a buffer the gemm reads
// REMARK: negative.sj:189:3: remark: [gemm-epilogue] not fused: the row index is used other than as a first index
// REMARK: negative.sj:220:3: remark: [gemm-epilogue] not fused: the kernel has other launches
// REMARK: negative.sj:262:3: remark: [gemm-epilogue] not fused: a gemm batched over more than one dim
// REMARK: negative.sj:301:3: remark: [gemm-epilogue] not fused: the launch reads the gemm's output other than by its rows
// REMARK: negative.sj:358:3: remark: [gemm-epilogue] not fused: the row index is used other than as a first index
// Where gemm-epilogue must not fire: the IR stays as it is and a remark
// says why.
// A launch between the gemm and its consumer (it might write what the
// consumer reads).
// CHECK-LABEL: kernel @k(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     for %c0, %c4 (%j: i64) {
// CHECK-NEXT:       %v = load %in0, %i, %j : f32
// CHECK-NEXT:       store %v, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @other(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @between(%x: f32[4,4], %y: f32[4]) -> (f32[4,4], f32[4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   %1 = alloc : f32[4]
// CHECK-NEXT:   launch %y, %1 {kernel = @other}
// CHECK-NEXT:   %2 = alloc : f32[4,4]
// CHECK-NEXT:   launch %0, %2 {kernel = @k}
// CHECK-NEXT:   return %2, %1
// CHECK-NEXT: }
kernel @k(%in0: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i: i64) {
    for %c0, %c4 (%j: i64) {
      %v = load %in0, %i, %j : f32
      store %v, %out0, %i, %j
      yield
    }
    yield
  }
  return
}
kernel @other(%in0: f32[4], %out0: f32[4]) {
  return
}
func @between(%x: f32[4,4], %y: f32[4]) -> (f32[4,4], f32[4]) {
  %0 = alloc : f32[4,4]
  gemm %x, %x, %0
  %1 = alloc : f32[4]
  launch %y, %1 {kernel = @other}
  %2 = alloc : f32[4,4]
  launch %0, %2 {kernel = @k}
  return %2, %1
}
// -----
// The consumer reads the gemm's output transposed (row i of the output
// needs column i of the gemm's).
// CHECK-LABEL: kernel @t(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     for %c0, %c4 (%j: i64) {
// CHECK-NEXT:       %v = load %in0, %j, %i : f32
// CHECK-NEXT:       store %v, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @transposed(%x: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   %1 = alloc : f32[4,4]
// CHECK-NEXT:   launch %0, %1 {kernel = @t}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
kernel @t(%in0: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i: i64) {
    for %c0, %c4 (%j: i64) {
      %v = load %in0, %j, %i : f32
      store %v, %out0, %i, %j
      yield
    }
    yield
  }
  return
}
func @transposed(%x: f32[4,4]) -> (f32[4,4]) {
  %0 = alloc : f32[4,4]
  gemm %x, %x, %0
  %1 = alloc : f32[4,4]
  launch %0, %1 {kernel = @t}
  return %1
}
// -----
// The epilogue would write the gemm's operand, which other panels still read.
// CHECK-LABEL: kernel @w(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     for %c0, %c4 (%j: i64) {
// CHECK-NEXT:       %v = load %in0, %i, %j : f32
// CHECK-NEXT:       store %v, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @clobber(%x: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   launch %0, %x {kernel = @w}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
kernel @w(%in0: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i: i64) {
    for %c0, %c4 (%j: i64) {
      %v = load %in0, %i, %j : f32
      store %v, %out0, %i, %j
      yield
    }
    yield
  }
  return
}
func @clobber(%x: f32[4,4]) -> (f32[4,4]) {
  %0 = alloc : f32[4,4]
  gemm %x, %x, %0
  launch %0, %x {kernel = @w}
  return %0
}
// -----
// A store at a row other than i (a shift) would cross panels.
// CHECK-LABEL: kernel @s(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %i1 = add %i, %c1 : i64
// CHECK-NEXT:     for %c0, %c4 (%j: i64) {
// CHECK-NEXT:       %v = load %in0, %i, %j : f32
// CHECK-NEXT:       store %v, %out0, %i1, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @shift(%x: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   %1 = alloc : f32[4,4]
// CHECK-NEXT:   launch %0, %1 {kernel = @s}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
kernel @s(%in0: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i: i64) {
    %i1 = add %i, %c1 : i64
    for %c0, %c4 (%j: i64) {
      %v = load %in0, %i, %j : f32
      store %v, %out0, %i1, %j
      yield
    }
    yield
  }
  return
}
func @shift(%x: f32[4,4]) -> (f32[4,4]) {
  %0 = alloc : f32[4,4]
  gemm %x, %x, %0
  %1 = alloc : f32[4,4]
  launch %0, %1 {kernel = @s}
  return %1
}
// -----
// A kernel launched twice is not rewritten for one of them.
// CHECK-LABEL: func @twice(%x: f32[4,4]) -> (f32[4,4], f32[4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   %1 = alloc : f32[4,4]
// CHECK-NEXT:   launch %0, %1 {kernel = @k2}
// CHECK-NEXT:   %2 = alloc : f32[4,4]
// CHECK-NEXT:   launch %1, %2 {kernel = @k2}
// CHECK-NEXT:   return %1, %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @k2(%in0: f32[4,4], %out0: f32[4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     for %c0, %c4 (%j: i64) {
// CHECK-NEXT:       %v = load %in0, %i, %j : f32
// CHECK-NEXT:       store %v, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @twice(%x: f32[4,4]) -> (f32[4,4], f32[4,4]) {
  %0 = alloc : f32[4,4]
  gemm %x, %x, %0
  %1 = alloc : f32[4,4]
  launch %0, %1 {kernel = @k2}
  %2 = alloc : f32[4,4]
  launch %1, %2 {kernel = @k2}
  return %1, %2
}
kernel @k2(%in0: f32[4,4], %out0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i: i64) {
    for %c0, %c4 (%j: i64) {
      %v = load %in0, %i, %j : f32
      store %v, %out0, %i, %j
      yield
    }
    yield
  }
  return
}
// -----
// A gemm batched over two dims (rank 4) takes no epilogue (rank 3: one
// per row of its dim 0, epilogue.sj).
// CHECK-LABEL: func @batched(%x: f32[2,2,4,4]) -> (f32[2,2,4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[2,2,4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   %1 = alloc : f32[2,2,4,4]
// CHECK-NEXT:   launch %0, %1 {kernel = @b4}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @b4(%in0: f32[2,2,4,4], %out0: f32[2,2,4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%i: i64) {
// CHECK-NEXT:     %v = load %in0, %i, %c0, %c0, %c0 : f32
// CHECK-NEXT:     store %v, %out0, %i, %c0, %c0, %c0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @batched(%x: f32[2,2,4,4]) -> (f32[2,2,4,4]) {
  %0 = alloc : f32[2,2,4,4]
  gemm %x, %x, %0
  %1 = alloc : f32[2,2,4,4]
  launch %0, %1 {kernel = @b4}
  return %1
}
kernel @b4(%in0: f32[2,2,4,4], %out0: f32[2,2,4,4]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  parallel_for %c0, %c2 (%i: i64) {
    %v = load %in0, %i, %c0, %c0, %c0 : f32
    store %v, %out0, %i, %c0, %c0, %c0
    yield
  }
  return
}
// -----
// A rank-3 gemm whose output is read through a view with other rows
// ([2, 4, 4] as [8, 4]): the epilogue would run per image on rows that
// are not that image's.
// CHECK-LABEL: func @otherrows(%x: f32[2,4,4]) -> (f32[8,4]) {
// CHECK-NEXT:   %0 = alloc : f32[2,4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   %1 = reshape %0 : f32[8,4]
// CHECK-NEXT:   %2 = alloc : f32[8,4]
// CHECK-NEXT:   launch %1, %2 {kernel = @r8}
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @r8(%in0: f32[8,4], %out0: f32[8,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %c8 (%i: i64) {
// CHECK-NEXT:     %v = load %in0, %i, %c0 : f32
// CHECK-NEXT:     store %v, %out0, %i, %c0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @otherrows(%x: f32[2,4,4]) -> (f32[8,4]) {
  %0 = alloc : f32[2,4,4]
  gemm %x, %x, %0
  %1 = reshape %0 : f32[8,4]
  %2 = alloc : f32[8,4]
  launch %1, %2 {kernel = @r8}
  return %2
}
kernel @r8(%in0: f32[8,4], %out0: f32[8,4]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %c8 (%i: i64) {
    %v = load %in0, %i, %c0 : f32
    store %v, %out0, %i, %c0
    yield
  }
  return
}
// -----
// A column reduction (over the rows) needs every panel.
// CHECK-LABEL: kernel @colsum(%in0: f32[4,4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c4 (%j: i64) {
// CHECK-NEXT:     %z = constant {value = 0.0} : f32
// CHECK-NEXT:     %s = for %c0, %c4, %z {combine = "add"} : f32 (%i: i64, %acc: f32) {
// CHECK-NEXT:       %v = load %in0, %i, %j : f32
// CHECK-NEXT:       %n = add %acc, %v : f32
// CHECK-NEXT:       yield %n
// CHECK-NEXT:     }
// CHECK-NEXT:     store %s, %out0, %j
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @columns(%x: f32[4,4]) -> (f32[4]) {
// CHECK-NEXT:   %0 = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %x, %0
// CHECK-NEXT:   %1 = alloc : f32[4]
// CHECK-NEXT:   launch %0, %1 {kernel = @colsum}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
kernel @colsum(%in0: f32[4,4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%j: i64) {
    %z = constant {value = 0.0} : f32
    %s = for %c0, %c4, %z {combine = "add"} : f32 (%i: i64, %acc: f32) {
      %v = load %in0, %i, %j : f32
      %n = add %acc, %v : f32
      yield %n
    }
    store %s, %out0, %j
    yield
  }
  return
}
func @columns(%x: f32[4,4]) -> (f32[4]) {
  %0 = alloc : f32[4,4]
  gemm %x, %x, %0
  %1 = alloc : f32[4]
  launch %0, %1 {kernel = @colsum}
  return %1
}
