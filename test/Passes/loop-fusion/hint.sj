// RUN: %symjit-opt %s --passes=loop-fusion --split-input-file | FileCheck %s
// When loop-fusion merges two inner loops, a `loop.*` hint (decision 0042)
// of the earlier one survives on the merged loop: it holds the earlier
// loop's body too, and LLVM still checks that vectorizing is legal. A hint
// the later loop has itself wins (second case).
// CHECK-LABEL: kernel @f_f0(%in0: f32[?,12], %out0: f32[?,12]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c12 = constant {value = 12} : i64
// CHECK-NEXT:   parallel_for %c0, %n (%i: i64) {
// CHECK-NEXT:     for %c0, %c12 {loop.vectorize = 0} (%j: i64) {
// CHECK-NEXT:       %x = load %in0, %i, %j : f32
// CHECK-NEXT:       %y = tanh %x : f32
// CHECK-NEXT:       %y_1 = add %y, %y : f32
// CHECK-NEXT:       store %y_1, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k0(%in0: f32[?,12], %out0: f32[?,12]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %c12 = constant {value = 12} : i64
  parallel_for %c0, %n (%i: i64) {
    for %c0, %c12 {loop.vectorize = 0} (%j: i64) {
      %x = load %in0, %i, %j : f32
      %y = tanh %x : f32
      store %y, %out0, %i, %j
      yield
    }
    yield
  }
  return
}

kernel @k1(%in0: f32[?,12], %out0: f32[?,12]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %c12 = constant {value = 12} : i64
  parallel_for %c0, %n (%i: i64) {
    for %c0, %c12 (%j: i64) {
      %x = load %in0, %i, %j : f32
      %y = add %x, %x : f32
      store %y, %out0, %i, %j
      yield
    }
    yield
  }
  return
}

func @f(%a: f32[?,12]) -> (f32[?,12]) {
  %n = dim %a {axis = 0} : i64
  %t = alloc %n : f32[?,12]
  launch %a, %t {kernel = @k0}
  %u = alloc %n : f32[?,12]
  launch %t, %u {kernel = @k1}
  return %u
}
// -----
// CHECK-LABEL: kernel @g_f0(
// CHECK:     for %c0, %c12 {loop.vectorize = 8} (%j: i64) {
// CHECK-NOT: loop.vectorize
// CHECK-LABEL: func @g(
kernel @h0(%in0: f32[?,12], %out0: f32[?,12]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %c12 = constant {value = 12} : i64
  parallel_for %c0, %n (%i: i64) {
    for %c0, %c12 {loop.vectorize = 4} (%j: i64) {
      %x = load %in0, %i, %j : f32
      %y = tanh %x : f32
      store %y, %out0, %i, %j
      yield
    }
    yield
  }
  return
}

kernel @h1(%in0: f32[?,12], %out0: f32[?,12]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %c12 = constant {value = 12} : i64
  parallel_for %c0, %n (%i: i64) {
    for %c0, %c12 {loop.vectorize = 8} (%j: i64) {
      %x = load %in0, %i, %j : f32
      %y = add %x, %x : f32
      store %y, %out0, %i, %j
      yield
    }
    yield
  }
  return
}

func @g(%a: f32[?,12]) -> (f32[?,12]) {
  %n = dim %a {axis = 0} : i64
  %t = alloc %n : f32[?,12]
  launch %a, %t {kernel = @h0}
  %u = alloc %n : f32[?,12]
  launch %t, %u {kernel = @h1}
  return %u
}
