// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | %symjit-opt --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=WHY
// RUN: %symjit-opt %examples/logsumexp.sj -O | FileCheck %s --check-prefix=EX
// A full max reduction followed by the sum of exp(v - max) over the same v
// (logsumexp's two passes) cannot fuse at the outer loop, but the two
// kernels are concatenated into one, the second's load of the max replaced
// by the first loop's result, so that codegen runs both in one pass over
// memory (docs/loop-fusion.md, "Max then sum of exp"). Not for any other
// pair of reductions: a term that is not exactly exp(v - max), another v,
// a min, no exp.
// WHY:      online-pair.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @scaled_k0 and @scaled_k1 not merged: a reduction's results are ready only after its loop
// WHY-NEXT: online-pair.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @other_k0 and @other_k1 not merged: a reduction's results are ready only after its loop
// WHY-NEXT: online-pair.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @minimum_k0 and @minimum_k1 not merged: a reduction's results are ready only after its loop
// WHY-NEXT: online-pair.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @noexp_k0 and @noexp_k1 not merged: a reduction's results are ready only after its loop
// WHY-NEXT: online-pair.sj:{{[0-9]+}}:3: remark: [loop-fusion] launches of @transposed_k0 and @transposed_k1 not merged: a reduction's results are ready only after its loop
// WHY-NOT:  remark
// CHECK-LABEL: func @lse(%x: f32[?]) -> (f32[]) {
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @lse_f0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @lse_f0(%in0: f32[?], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = constant {value = -inf} : f32
// CHECK-NEXT:   %2 = constant {value = 0.0} : f32
// CHECK-NEXT:   %3 = for %c0, %0, %1 {combine = "maximum"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:     %6 = load %in0, %4 : f32
// CHECK-NEXT:     %7 = maximum %5, %6 : f32
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   %8 = for %c0, %0, %2 {combine = "add"} : f32 (%9: i64, %10: f32) {
// CHECK-NEXT:     %11 = load %in0, %9 : f32
// CHECK-NEXT:     %12 = sub %11, %3 : f32
// CHECK-NEXT:     %13 = exp %12 : f32
// CHECK-NEXT:     %14 = add %10, %13 : f32
// CHECK-NEXT:     yield %14
// CHECK-NEXT:   }
// CHECK-NEXT:   store %8, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @scaled(
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @scaled_k0}
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @scaled_k1}
// CHECK-LABEL: func @other(
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @other_k0}
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %y, %0, %1 {kernel = @other_k1}
// CHECK-LABEL: func @minimum(
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @minimum_k0}
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @minimum_k1}
// CHECK-LABEL: func @noexp(
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @noexp_k0}
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @noexp_k1}
// A full reduction of a matrix (a nest of two reduction loops) joins the
// same way; reading v transposed in the sum does not (another v).
// CHECK-LABEL: func @lse2(%x: f32[?,?]) -> (f32[], f32[]) {
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @lse2_f0}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @lse2_f0(%in0: f32[?,?], %out0: f32[], %out1: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = dim %in0 {axis = 1} : i64
// CHECK-NEXT:   %2 = constant {value = -inf} : f32
// CHECK-NEXT:   %3 = constant {value = 0.0} : f32
// CHECK-NEXT:   %4 = for %c0, %0, %2 {combine = "maximum"} : f32 (%5: i64, %6: f32) {
// CHECK-NEXT:     %7 = for %c0, %1, %6 {combine = "maximum"} : f32 (%8: i64, %9: f32) {
// CHECK-NEXT:       %10 = load %in0, %5, %8 : f32
// CHECK-NEXT:       %11 = maximum %9, %10 : f32
// CHECK-NEXT:       yield %11
// CHECK-NEXT:     }
// CHECK-NEXT:     yield %7
// CHECK-NEXT:   }
// CHECK-NEXT:   store %4, %out0
// CHECK-NEXT:   %12 = for %c0, %0, %3 {combine = "add"} : f32 (%13: i64, %14: f32) {
// CHECK-NEXT:     %15 = for %c0, %1, %14 {combine = "add"} : f32 (%16: i64, %17: f32) {
// CHECK-NEXT:       %18 = load %in0, %13, %16 : f32
// CHECK-NEXT:       %19 = sub %18, %4 : f32
// CHECK-NEXT:       %20 = exp %19 : f32
// CHECK-NEXT:       %21 = add %17, %20 : f32
// CHECK-NEXT:       yield %21
// CHECK-NEXT:     }
// CHECK-NEXT:     yield %15
// CHECK-NEXT:   }
// CHECK-NEXT:   store %12, %out1
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @transposed(
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @transposed_k0}
// CHECK-NEXT:   %1 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0, %1 {kernel = @transposed_k1}

// The example as -O compiles it: the max is still stored (the final
// `log + max` kernel reads it), after the sum-of-exp nest merged into the
// sum and the max kernel joined them.
// EX-LABEL: func @logsumexp(%x: f32[?]) -> (f32[]) {
// EX-NEXT:   %0 = alloc : f32[]
// EX-NEXT:   %1 = alloc : f32[]
// EX-NEXT:   launch %x, %0, %1 {kernel = @logsumexp_f1}
// EX-NEXT:   %2 = alloc : f32[]
// EX-NEXT:   launch %1, %0, %2 {kernel = @logsumexp_k3}
// EX-NEXT:   return %2
// EX-NEXT: }
// EX-LABEL: kernel @logsumexp_f1(%in0: f32[?], %out0: f32[], %out1: f32[]) {
// EX:         %3 = for %c0, %0, %1 {combine = "maximum"} : f32 (%4: i64, %5: f32) {
// EX:         }
// EX-NEXT:    store %3, %out0
// EX-NEXT:    %8 = for %c0, %0, %2 {combine = "add"} : f32 (%9: i64, %10: f32) {
// EX-NEXT:      %11 = load %in0, %9 : f32
// EX-NEXT:      %12 = sub %11, %3 : f32
// EX-NEXT:      %13 = exp %12 : f32
// EX-NEXT:      %14 = add %10, %13 : f32
// EX-NEXT:      yield %14
// EX-NEXT:    }
// EX-NEXT:    store %8, %out1
// EX-NEXT:    return
// EX-NEXT:  }

func @lse(%x: f32[?]) -> (f32[]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @lse_k0}
  %1 = alloc : f32[]
  launch %x, %0, %1 {kernel = @lse_k1}
  return %1
}

kernel @lse_k0(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = -inf} : f32
  %2 = for %c0, %0, %1 {combine = "maximum"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = maximum %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}

kernel @lse_k1(%in0: f32[?], %in1: f32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 {combine = "add"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = load %in1 : f32
    %7 = sub %5, %6 : f32
    %8 = exp %7 : f32
    %9 = add %4, %8 : f32
    yield %9
  }
  store %2, %out0
  return
}

// -----

func @scaled(%x: f32[?]) -> (f32[]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @scaled_k0}
  %1 = alloc : f32[]
  launch %x, %0, %1 {kernel = @scaled_k1}
  return %1
}

kernel @scaled_k0(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = -inf} : f32
  %2 = for %c0, %0, %1 {combine = "maximum"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = maximum %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}

kernel @scaled_k1(%in0: f32[?], %in1: f32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 {combine = "add"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = load %in1 : f32
    %7 = sub %5, %6 : f32
    %10 = exp %7 : f32
    %8 = add %10, %10 : f32
    %9 = add %4, %8 : f32
    yield %9
  }
  store %2, %out0
  return
}

// -----

func @other(%x: f32[?], %y: f32[?]) -> (f32[]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @other_k0}
  %1 = alloc : f32[]
  launch %x, %y, %0, %1 {kernel = @other_k1}
  return %1
}

kernel @other_k0(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = -inf} : f32
  %2 = for %c0, %0, %1 {combine = "maximum"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = maximum %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}

kernel @other_k1(%in0: f32[?], %in1: f32[?], %in2: f32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 {combine = "add"} : f32 (%3: i64, %4: f32) {
    %5 = load %in1, %3 : f32
    %6 = load %in2 : f32
    %7 = sub %5, %6 : f32
    %8 = exp %7 : f32
    %9 = add %4, %8 : f32
    yield %9
  }
  store %2, %out0
  return
}

// -----

func @minimum(%x: f32[?]) -> (f32[]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @minimum_k0}
  %1 = alloc : f32[]
  launch %x, %0, %1 {kernel = @minimum_k1}
  return %1
}

kernel @minimum_k0(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = inf} : f32
  %2 = for %c0, %0, %1 {combine = "minimum"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = minimum %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}

kernel @minimum_k1(%in0: f32[?], %in1: f32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 {combine = "add"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = load %in1 : f32
    %7 = sub %5, %6 : f32
    %8 = exp %7 : f32
    %9 = add %4, %8 : f32
    yield %9
  }
  store %2, %out0
  return
}

// -----

func @noexp(%x: f32[?]) -> (f32[]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @noexp_k0}
  %1 = alloc : f32[]
  launch %x, %0, %1 {kernel = @noexp_k1}
  return %1
}

kernel @noexp_k0(%in0: f32[?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = -inf} : f32
  %2 = for %c0, %0, %1 {combine = "maximum"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = maximum %4, %5 : f32
    yield %6
  }
  store %2, %out0
  return
}

kernel @noexp_k1(%in0: f32[?], %in1: f32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = constant {value = 0.0} : f32
  %2 = for %c0, %0, %1 {combine = "add"} : f32 (%3: i64, %4: f32) {
    %5 = load %in0, %3 : f32
    %6 = load %in1 : f32
    %8 = sub %5, %6 : f32
    %9 = add %4, %8 : f32
    yield %9
  }
  store %2, %out0
  return
}

// -----

func @lse2(%x: f32[?,?]) -> (f32[], f32[]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @lse2_k0}
  %1 = alloc : f32[]
  launch %x, %0, %1 {kernel = @lse2_k1}
  return %0, %1
}

kernel @lse2_k0(%in0: f32[?,?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = dim %in0 {axis = 1} : i64
  %2 = constant {value = -inf} : f32
  %3 = for %c0, %0, %2 {combine = "maximum"} : f32 (%4: i64, %5: f32) {
    %6 = for %c0, %1, %5 {combine = "maximum"} : f32 (%7: i64, %8: f32) {
      %9 = load %in0, %4, %7 : f32
      %10 = maximum %8, %9 : f32
      yield %10
    }
    yield %6
  }
  store %3, %out0
  return
}

kernel @lse2_k1(%in0: f32[?,?], %in1: f32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = dim %in0 {axis = 1} : i64
  %2 = constant {value = 0.0} : f32
  %3 = for %c0, %0, %2 {combine = "add"} : f32 (%4: i64, %5: f32) {
    %6 = for %c0, %1, %5 {combine = "add"} : f32 (%7: i64, %8: f32) {
      %9 = load %in0, %4, %7 : f32
      %10 = load %in1 : f32
      %11 = sub %9, %10 : f32
      %12 = exp %11 : f32
      %13 = add %8, %12 : f32
      yield %13
    }
    yield %6
  }
  store %3, %out0
  return
}

// -----

func @transposed(%x: f32[?,?]) -> (f32[]) {
  %0 = alloc : f32[]
  launch %x, %0 {kernel = @transposed_k0}
  %1 = alloc : f32[]
  launch %x, %0, %1 {kernel = @transposed_k1}
  return %1
}

kernel @transposed_k0(%in0: f32[?,?], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = dim %in0 {axis = 1} : i64
  %2 = constant {value = -inf} : f32
  %3 = for %c0, %0, %2 {combine = "maximum"} : f32 (%4: i64, %5: f32) {
    %6 = for %c0, %0, %5 {combine = "maximum"} : f32 (%7: i64, %8: f32) {
      %9 = load %in0, %4, %7 : f32
      %10 = maximum %8, %9 : f32
      yield %10
    }
    yield %6
  }
  store %3, %out0
  return
}

kernel @transposed_k1(%in0: f32[?,?], %in1: f32[], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in0 {axis = 0} : i64
  %1 = dim %in0 {axis = 1} : i64
  %2 = constant {value = 0.0} : f32
  %3 = for %c0, %0, %2 {combine = "add"} : f32 (%4: i64, %5: f32) {
    %6 = for %c0, %0, %5 {combine = "add"} : f32 (%7: i64, %8: f32) {
      %9 = load %in0, %7, %4 : f32
      %10 = load %in1 : f32
      %11 = sub %9, %10 : f32
      %12 = exp %11 : f32
      %13 = add %8, %12 : f32
      yield %13
    }
    yield %6
  }
  store %3, %out0
  return
}
