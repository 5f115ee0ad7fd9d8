// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=WHY
// WHY:      into-reduction.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @kept_k0 and @kept_k1 not merged: the nest's result is used elsewhere
// WHY-NEXT: into-reduction.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @after_k0 and @after_k1 not merged: a reduction's results are ready only after its loop
// WHY-NOT:  remark
// An elementwise nest merges into the full reduction that reads it
// (docs/loop-fusion.md rule 1): the fused loop is the reduction's `for`, the
// nest's body runs first in each iteration, its store is forwarded to the
// reduction's load, and the temporary goes. Codegen then runs the loop in
// parallel chunks. (sum of squared differences, as lower-to-loops emits it)
// CHECK-LABEL: func @sse(%x: f32[?], %y: f32[?]) -> (f32[]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %y, %1 {kernel = @sse_f0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @sse_f0(%in0: f32[?], %in1: f32[?], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = constant {value = 0.0} : f32
// CHECK-NEXT:   %2 = for %c0, %0, %1 : f32 (%3: i64, %4: f32) {
// CHECK-NEXT:     %5 = load %in0, %3 : f32
// CHECK-NEXT:     %6 = load %in1, %3 : f32
// CHECK-NEXT:     %7 = sub %5, %6 : f32
// CHECK-NEXT:     %8 = mul %7, %7 : f32
// CHECK-NEXT:     %9 = add %4, %8 : f32
// CHECK-NEXT:     yield %9
// CHECK-NEXT:   }
// CHECK-NEXT:   store %2, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @sse(%x: f32[?], %y: f32[?]) -> (f32[]) {
  %0 = dim %x {axis = 0} : i64
  %1 = alloc %0 : f32[?]
  launch %x, %y, %1 {kernel = @sse_k0}
  %2 = alloc : f32[]
  launch %1, %2 {kernel = @sse_k1}
  return %2
}

kernel @sse_k0(%in0: f32[?], %in1: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = load %in0, %1 : f32
    %3 = load %in1, %1 : f32
    %4 = sub %2, %3 : f32
    %5 = mul %4, %4 : f32
    store %5, %out0, %1
    yield
  }
  return
}

kernel @sse_k1(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = add %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}
// -----
// Rank 2 with a mean: the inner loops merge too, and the epilogue (the
// scale and the store after the loop) is kept.
// CHECK-LABEL: func @mean2(%x: f32[?,8]) -> (f32[]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %1 {kernel = @mean2_f0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @mean2_f0(%in0: f32[?,8], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %1 = mul %0, %c8 : i64
// CHECK-NEXT:   %2 = cast %1 : f32
// CHECK-NEXT:   %3 = constant {value = 0.0} : f32
// CHECK-NEXT:   %4 = for %c0, %0, %3 : f32 (%5: i64, %6: f32) {
// CHECK-NEXT:     %7 = for %c0, %c8, %6 : f32 (%8: i64, %9: f32) {
// CHECK-NEXT:       %10 = load %in0, %5, %8 : f32
// CHECK-NEXT:       %11 = exp %10 : f32
// CHECK-NEXT:       %12 = add %9, %11 : f32
// CHECK-NEXT:       yield %12
// CHECK-NEXT:     }
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   %13 = div %4, %2 : f32
// CHECK-NEXT:   store %13, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @mean2(%x: f32[?,8]) -> (f32[]) {
  %0 = dim %x {axis = 0} : i64
  %1 = alloc %0 : f32[?,8]
  launch %x, %1 {kernel = @mean2_k0}
  %2 = alloc : f32[]
  launch %1, %2 {kernel = @mean2_k1}
  return %2
}

kernel @mean2_k0(%in0: f32[?,8], %out0: f32[?,8]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c8 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = exp %3 : f32
      store %4, %out0, %1, %2
      yield
    }
    yield
  }
  return
}

kernel @mean2_k1(%in0: f32[?,8], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %c8 = constant {value = 8} : i64
  %1 = mul %0, %c8 : i64
  %2 = cast %1 : f32
  %3 = constant {value = 0.0} : f32
  %4 = for %c0, %0, %3 : f32 (%5: i64, %6: f32) {
    %7 = for %c0, %c8, %6 : f32 (%8: i64, %9: f32) {
      %10 = load %in0, %5, %8 : f32
      %11 = add %9, %10 : f32
      yield %11
    }
    yield %7
  }
  %12 = div %4, %2 : f32
  store %12, %out0
  return
}
// -----
// Negative: the nest's result is also returned, so its store would stay in
// the reduction loop (which could then not run in parallel): not fused.
// CHECK-LABEL: func @kept(%x: f32[?]) -> (f32[], f32[?]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?]
// CHECK-NEXT:   launch %x, %1 {kernel = @kept_k0}
// CHECK-NEXT:   %2 = alloc : f32[]
// CHECK-NEXT:   launch %1, %2 {kernel = @kept_k1}
// CHECK-NEXT:   return %2, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @kept_k0(%in0: f32[?], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = load %in0, %1 : f32
// CHECK-NEXT:     %3 = exp %2 : f32
// CHECK-NEXT:     store %3, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @kept_k1(%in0: f32[?], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = constant {value = 0.0} : f32
// CHECK-NEXT:   %2 = for %c0, %0, %1 : f32 (%3: i64, %4: f32) {
// CHECK-NEXT:     %5 = load %in0, %3 : f32
// CHECK-NEXT:     %6 = add %4, %5 : f32
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   store %2, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @kept(%x: f32[?]) -> (f32[], f32[?]) {
  %0 = dim %x {axis = 0} : i64
  %1 = alloc %0 : f32[?]
  launch %x, %1 {kernel = @kept_k0}
  %2 = alloc : f32[]
  launch %1, %2 {kernel = @kept_k1}
  return %2, %1
}

kernel @kept_k0(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = load %in0, %1 : f32
    %3 = exp %2 : f32
    store %3, %out0, %1
    yield
  }
  return
}

kernel @kept_k1(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = add %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}
// -----
// Negative: a reduction followed by a nest that reads its result is not
// fused (the result is ready only after the reduction's last iteration).
// CHECK-LABEL: func @after(%x: f32[?]) -> (f32[?]) {
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @after_k0}
// CHECK-NEXT:   %1 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %2 = alloc %1 : f32[?]
// CHECK-NEXT:   launch %x, %0, %2 {kernel = @after_k1}
// CHECK-NEXT:   return %2
// CHECK-NEXT: }
// CHECK-LABEL: kernel @after_k0(%in0: f32[?], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = constant {value = 0.0} : f32
// CHECK-NEXT:   %2 = for %c0, %0, %1 : f32 (%3: i64, %4: f32) {
// CHECK-NEXT:     %5 = load %in0, %3 : f32
// CHECK-NEXT:     %6 = add %4, %5 : f32
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   store %2, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @after_k1(%in0: f32[?], %in1: f32[], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = load %in0, %1 : f32
// CHECK-NEXT:     %3 = load %in1 : f32
// CHECK-NEXT:     %4 = sub %2, %3 : f32
// CHECK-NEXT:     store %4, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @after(%x: f32[?]) -> (f32[?]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @after_k0}
  %1 = dim %x {axis = 0} : i64
  %2 = alloc %1 : f32[?]
  launch %x, %0, %2 {kernel = @after_k1}
  return %2
}

kernel @after_k0(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = add %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}

kernel @after_k1(%in0: f32[?], %in1: f32[], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    %2 = load %in0, %1 : f32
    %3 = load %in1 : f32
    %4 = sub %2, %3 : f32
    store %4, %out0, %1
    yield
  }
  return
}
