// Epilogues that are not per element of C keep their own launch after the
// GEMM (nvptx_epi.c, decision 0038); --emit-ptx says why, per gemm. Each
// case breaks one condition of the rule; @ok is the same kernel fused.
// REQUIRES: nvptx
// RUN: %symjit-opt %s --target=nvptx --emit-ptx | FileCheck %s

// CHECK:      // gemm sjg_gemm_f32_nn: block 256, tile 64 x 64, epilogue @k_rev launched after it: a load of C or of a stored buffer not at [row, column]
// CHECK-NEXT: // gemm sjg_gemm_f32_nn again, epilogue @k_st0 launched after it: a store not at [row, column]
// CHECK-NEXT: // gemm sjg_gemm_f32_nn again, epilogue @k_nest launched after it: a loop inside the column loop
// CHECK-NEXT: // gemm sjg_gemm_f32_nn again, epilogue @k_cols launched after it: the column loop does not run over C's columns
// CHECK-NEXT: // gemm sjg_gemm_f32_nn again, epilogue @k_wa launched after it: the epilogue writes an operand of the gemm
// CHECK-NEXT: // gemm sjg_gemm_f32_nn$e5: block 256, tile 64 x 64, epilogue @k_ok fused
// CHECK-NEXT: // gemm sjg_gemm_f32_nn again, epilogue @k_bat launched after it: a batched gemm (its epilogue runs per leading index)
// CHECK-NOT:  // gemm
// CHECK-LABEL: .visible .entry sjg_gemm_f32_nn(
// CHECK-LABEL: .visible .entry sjg_gemm_f32_nn$e5(
// CHECK-NOT:  .visible .entry sjg_gemm_f32_nn(

func @rev(%a: f32[?,3], %b: f32[3,70], %v: f32[70]) -> (f32[?,70]) {
  %0 = dim %a {axis = 0} : i64
  %1 = alloc %0 : f32[?,70]
  %3 = alloc %0 : f32[?,70]
  gemm %a, %b, %1, %1, %v, %3 {epilogue = @k_rev, epilogue_rows = [0, 2]}
  return %3
}
kernel @k_rev(%in0: f32[?,70], %in1: f32[70], %out0: f32[?,70]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c2 = constant {value = 2} : i64
  %c69 = constant {value = 69} : i64
  %c70 = constant {value = 70} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c70 (%2: i64) {
      %j = sub %c69, %2 : i64
      %3 = load %in0, %1, %j : f32
      %4 = load %in1, %2 : f32
      %5 = add %3, %4 : f32
      store %5, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
func @st0(%a: f32[?,3], %b: f32[3,70], %v: f32[70]) -> (f32[?,70]) {
  %0 = dim %a {axis = 0} : i64
  %1 = alloc %0 : f32[?,70]
  %3 = alloc %0 : f32[?,70]
  gemm %a, %b, %1, %1, %v, %3 {epilogue = @k_st0, epilogue_rows = [0, 2]}
  return %3
}
kernel @k_st0(%in0: f32[?,70], %in1: f32[70], %out0: f32[?,70]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c2 = constant {value = 2} : i64
  %c69 = constant {value = 69} : i64
  %c70 = constant {value = 70} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c70 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %2 : f32
      %5 = add %3, %4 : f32
      store %5, %out0, %1, %c0
      yield
    }
    yield
  }
  return
}
func @nest(%a: f32[?,3], %b: f32[3,70], %v: f32[70]) -> (f32[?,70]) {
  %0 = dim %a {axis = 0} : i64
  %1 = alloc %0 : f32[?,70]
  %3 = alloc %0 : f32[?,70]
  gemm %a, %b, %1, %1, %v, %3 {epilogue = @k_nest, epilogue_rows = [0, 2]}
  return %3
}
kernel @k_nest(%in0: f32[?,70], %in1: f32[70], %out0: f32[?,70]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c2 = constant {value = 2} : i64
  %c69 = constant {value = 69} : i64
  %c70 = constant {value = 70} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c70 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %2 : f32
      %5 = add %3, %4 : f32
      for %c0, %c2 (%k: i64) {
        store %5, %out0, %1, %2
        yield
      }
      yield
    }
    yield
  }
  return
}
func @cols(%a: f32[?,3], %b: f32[3,70], %v: f32[70]) -> (f32[?,70]) {
  %0 = dim %a {axis = 0} : i64
  %1 = alloc %0 : f32[?,70]
  %3 = alloc %0 : f32[?,70]
  gemm %a, %b, %1, %1, %v, %3 {epilogue = @k_cols, epilogue_rows = [0, 2]}
  return %3
}
kernel @k_cols(%in0: f32[?,70], %in1: f32[70], %out0: f32[?,70]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c2 = constant {value = 2} : i64
  %c69 = constant {value = 69} : i64
  %c70 = constant {value = 70} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c69 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %2 : f32
      %5 = add %3, %4 : f32
      store %5, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
func @wa(%a: f32[?,70], %b: f32[70,70], %v: f32[70]) -> (f32[?,70]) {
  %0 = dim %a {axis = 0} : i64
  %1 = alloc %0 : f32[?,70]
  gemm %a, %b, %1, %1, %v, %a {epilogue = @k_wa, epilogue_rows = [0, 2]}
  return %1
}
kernel @k_wa(%in0: f32[?,70], %in1: f32[70], %out0: f32[?,70]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %c2 = constant {value = 2} : i64
  %c69 = constant {value = 69} : i64
  %c70 = constant {value = 70} : i64
  %0 = dim %out0 {axis = 0} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c70 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %2 : f32
      %5 = add %3, %4 : f32
      store %5, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
func @ok(%a: f32[?,3], %b: f32[3,70], %v: f32[70]) -> (f32[?,70]) {
  %0 = dim %a {axis = 0} : i64
  %1 = alloc %0 : f32[?,70]
  %3 = alloc %0 : f32[?,70]
  gemm %a, %b, %1, %1, %v, %3 {epilogue = @k_ok, epilogue_rows = [0, 2]}
  return %3
}
kernel @k_ok(%in0: f32[?,70], %in1: f32[70], %out0: f32[?,70]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %out0 {axis = 0} : i64
  %c70 = constant {value = 70} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c70 (%2: i64) {
      %3 = load %in0, %1, %2 : f32
      %4 = load %in1, %2 : f32
      %5 = add %3, %4 : f32
      store %5, %out0, %1, %2
      yield
    }
    yield
  }
  return
}
func @bat(%a: f32[2,5,3], %b: f32[3,70]) -> (f32[2,5,70]) {
  %1 = alloc : f32[2,5,70]
  %3 = alloc : f32[2,5,70]
  gemm %a, %b, %1, %1, %3 {epilogue = @k_bat, epilogue_rows = [0, 1]}
  return %3
}
kernel @k_bat(%in0: f32[2,5,70], %out0: f32[2,5,70]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %c5 = constant {value = 5} : i64
  %c70 = constant {value = 70} : i64
  parallel_for %c0, %c2 (%1: i64) {
    for %c0, %c5 (%2: i64) {
      for %c0, %c70 (%3: i64) {
        %4 = load %in0, %1, %2, %3 : f32
        %5 = tanh %4 : f32
        store %5, %out0, %1, %2, %3
        yield
      }
      yield
    }
    yield
  }
  return
}
