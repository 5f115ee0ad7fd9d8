// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Kernel level: loops with carried values, nested loops with and without
// carried values, loads (rank 0 too), stores, dims; a lowered func with
// alloc, launch and gemm; multi-output fused ops with scalar bodies.
kernel @k(%in0: f32[?,8], %out0: f32[?], %out1: bool[?,8]) {
  %c0 = constant {value = 0} : i64
  %n = dim %in0 {axis = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %n (%i: i64) {
    %z = constant {value = 0.0} : f32
    %o = constant {value = 1.0} : f32
    %s, %p = for %c0, %c8, %z, %o : f32, f32 (%j: i64, %acc: f32, %pr: f32) {
      %x = load %in0, %i, %j : f32
      %a2 = add %acc, %x : f32
      %p2 = mul %pr, %x : f32
      %g = gt %x, %z : bool
      store %g, %out1, %i, %j
      yield %a2, %p2
    }
    %r = add %s, %p : f32
    store %r, %out0, %i
    yield
  }
  return
}

func @f(%x: f32[?,8], %w: f32[8,8]) -> (f32[?], f32[?,8], f32[?,8], f32[?,8]) {
  %n = dim %x {axis = 0} : i64
  %o = alloc %n : f32[?]
  %b = alloc %n : bool[?,8]
  launch %x, %o, %b {kernel = @k}
  %m = alloc %n : f32[?,8]
  gemm %x, %w, %m
  %u, %v = fused %m, %x : f32[?,8], f32[?,8] (%p: f32, %q: f32) {
    %e = exp %p : f32
    %t = mul %e, %q : f32
    yield %e, %t
  }
  return %o, %m, %u, %v
}

kernel @k2(%in0: f64[], %in1: f64[?,?], %out0: f64[?,?]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %m = dim %in1 {axis = 0} : i64
  %n = dim %in1 {axis = 1} : i64
  %s = load %in0 : f64
  for %c0, %m (%i: i64) {
    %lo = add %i, %c1 : i64
    for %lo, %n (%j: i64) {
      %x = load %in1, %i, %j : f64
      %b0 = lt %x, %s : bool
      %t = select %b0, %x, %s : f64
      store %t, %out0, %i, %j
      yield
    }
    yield
  }
  return
}

func @scalar_body(%x: i32[?], %y: i32[]) -> (bool[?], i32[?]) {
  %c, %d = fused %x, %y : bool[?], i32[?] (%a: i32, %b: i32) {
    %k = constant {value = 3} : i32
    %m = mul %a, %k : i32
    %g = ge %m, %b : bool
    %s = select %g, %m, %b : i32
    yield %g, %s
  }
  return %c, %d
}
