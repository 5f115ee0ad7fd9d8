// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// The loop.vectorize hint (decision 0042) prints and reads back as it is:
// on a plain loop and beside a reduction's combine (any W the verifier
// accepts; test/IR/errors-loop-hint.sj has the ones it refuses).
kernel @k(%in0: f32[?,8], %out0: f32[?,8], %out1: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %n (%i: i64) {
    for %c0, %c8 {loop.vectorize = 0} (%j: i64) {
      %x = load %in0, %i, %j : f32
      store %x, %out0, %i, %j
      yield
    }
    %z = constant {value = 0.0} : f32
    %s = for %c0, %c8, %z {combine = "add", loop.vectorize = 16} : f32 (%j2: i64, %acc: f32) {
      %x2 = load %in0, %i, %j2 : f32
      %a2 = add %acc, %x2 : f32
      yield %a2
    }
    store %s, %out1, %i
    yield
  }
  return
}
