// RUN: %symjit-opt %s --passes=cse --split-input-file | FileCheck %s
// Non-commutative ops with swapped operands are different.
// CHECK-LABEL: func @sub(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], bool[4], bool[4], f32[4], f32[4]) {
// CHECK-NEXT:   %a = sub %x, %y : f32[4]
// CHECK-NEXT:   %b = sub %y, %x : f32[4]
// CHECK-NEXT:   %c = lt %x, %y : bool[4]
// CHECK-NEXT:   %d = lt %y, %x : bool[4]
// CHECK-NEXT:   %e = div %x, %y : f32[4]
// CHECK-NEXT:   %f = div %y, %x : f32[4]
// CHECK-NEXT:   return %a, %b, %c, %d, %e, %f
// CHECK-NEXT: }
func @sub(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], bool[4], bool[4], f32[4], f32[4]) {
  %a = sub %x, %y : f32[4]
  %b = sub %y, %x : f32[4]
  %c = lt %x, %y : bool[4]
  %d = lt %y, %x : bool[4]
  %e = div %x, %y : f32[4]
  %f = div %y, %x : f32[4]
  return %a, %b, %c, %d, %e, %f
}
// -----
// Same value, different types; and +0.0 / -0.0 are different constants.
// CHECK-LABEL: func @types(%x: f32[4]) -> (f32[], f64[], f32[4], f32[], f32[]) {
// CHECK-NEXT:   %a = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %b = constant {value = 1.0} : f64[]
// CHECK-NEXT:   %c = constant {value = 1.0} : f32[4]
// CHECK-NEXT:   %p = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %n = constant {value = -0.0} : f32[]
// CHECK-NEXT:   return %a, %b, %c, %p, %n
// CHECK-NEXT: }
func @types(%x: f32[4]) -> (f32[], f64[], f32[4], f32[], f32[]) {
  %a = constant {value = 1.0} : f32[]
  %b = constant {value = 1.0} : f64[]
  %c = constant {value = 1.0} : f32[4]
  %p = constant {value = 0.0} : f32[]
  %n = constant {value = -0.0} : f32[]
  return %a, %b, %c, %p, %n
}
// -----
// Each alloc is a distinct buffer and loads read memory that stores change:
// neither is merged (loads never are, even without a store in between).
// Stores and launches have effects and stay.
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     store %a, %out0, %i
// CHECK-NEXT:     %b = load %out0, %i : f32
// CHECK-NEXT:     %d = load %out0, %i : f32
// CHECK-NEXT:     %s = add %b, %d : f32
// CHECK-NEXT:     store %s, %out0, %i
// CHECK-NEXT:     store %s, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @f(%x: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %a = alloc : f32[4]
// CHECK-NEXT:   %b = alloc : f32[4]
// CHECK-NEXT:   launch %x, %a {kernel = @k}
// CHECK-NEXT:   launch %x, %b {kernel = @k}
// CHECK-NEXT:   launch %x, %b {kernel = @k}
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
kernel @k(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : f32
    store %a, %out0, %i
    %b = load %out0, %i : f32
    %d = load %out0, %i : f32
    %s = add %b, %d : f32
    store %s, %out0, %i
    store %s, %out0, %i
    yield
  }
  return
}

func @f(%x: f32[4]) -> (f32[4], f32[4]) {
  %a = alloc : f32[4]
  %b = alloc : f32[4]
  launch %x, %a {kernel = @k}
  launch %x, %b {kernel = @k}
  launch %x, %b {kernel = @k}
  return %a, %b
}
// -----
// Ops with regions (fused, loops) are not candidates, even when identical.
// CHECK-LABEL: func @fused(%x: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %a = fused %x : f32[4] (%p: f32) {
// CHECK-NEXT:     %e = exp %p : f32
// CHECK-NEXT:     yield %e
// CHECK-NEXT:   }
// CHECK-NEXT:   %b = fused %x : f32[4] (%q: f32) {
// CHECK-NEXT:     %e2 = exp %q : f32
// CHECK-NEXT:     yield %e2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @fused(%x: f32[4]) -> (f32[4], f32[4]) {
  %a = fused %x : f32[4] (%p: f32) {
    %e = exp %p : f32
    yield %e
  }
  %b = fused %x : f32[4] (%q: f32) {
    %e2 = exp %q : f32
    yield %e2
  }
  return %a, %b
}
// -----
// gemm writes its third operand: two identical gemms both stay.
// CHECK-LABEL: func @gemm(%x: f32[4,4]) -> (f32[4,4]) {
// CHECK-NEXT:   %m = alloc : f32[4,4]
// CHECK-NEXT:   gemm %x, %x, %m
// CHECK-NEXT:   gemm %x, %x, %m
// CHECK-NEXT:   return %m
// CHECK-NEXT: }
func @gemm(%x: f32[4,4]) -> (f32[4,4]) {
  %m = alloc : f32[4,4]
  gemm %x, %x, %m
  gemm %x, %x, %m
  return %m
}
