// RUN: %symjit-opt %s --passes=canonicalize --fast-math --split-input-file | FileCheck %s
// With --fast-math, float x - x -> 0, x / x -> 1, x * 0 -> 0 (static shapes),
// and either signed zero is an additive identity.
// CHECK-LABEL: func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32[4]
// CHECK-NEXT:   %1 = constant {value = 1.0} : f32[4]
// CHECK-NEXT:   %2 = constant {value = 0.0} : f32[4]
// CHECK-NEXT:   %3 = constant {value = 0.0} : f32[4]
// CHECK-NEXT:   return %0, %1, %2, %3, %x, %x, %x
// CHECK-NEXT: }
func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
  %z = constant {value = 0.0} : f32[]
  %nz = constant {value = -0.0} : f32[]
  %a = sub %x, %x : f32[4]
  %b = div %x, %x : f32[4]
  %c = mul %x, %z : f32[4]
  %d = mul %nz, %x : f32[4]
  %e = add %x, %z : f32[4]
  %f = add %z, %x : f32[4]
  %g = sub %x, %nz : f32[4]
  return %a, %b, %c, %d, %e, %f, %g
}
// -----
// Even with --fast-math: a constant needs a static shape, integer x / x stays
// (0 / 0 is 0), and x * 0 keeps the broadcast result type.
// CHECK-LABEL: func @keep(%x: f32[?], %i: i32[4], %y: f32[3]) -> (f32[?], i32[4], f32[2,3]) {
// CHECK-NEXT:   %a = sub %x, %x : f32[?]
// CHECK-NEXT:   %b = div %i, %i : i32[4]
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32[2,3]
// CHECK-NEXT:   return %a, %b, %0
// CHECK-NEXT: }
func @keep(%x: f32[?], %i: i32[4], %y: f32[3]) -> (f32[?], i32[4], f32[2,3]) {
  %a = sub %x, %x : f32[?]
  %b = div %i, %i : i32[4]
  %z = constant {value = 0.0} : f32[2,1]
  %c = mul %y, %z : f32[2,3]
  return %a, %b, %c
}
// -----
// Scalars in kernel bodies.
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   for %c0, %c4 (%i: i64) {
// CHECK-NEXT:     %a = load %in0, %i : f32
// CHECK-NEXT:     store %a, %out0, %i
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : f32
    %one = constant {value = 1.0} : f32
    %b = mul %a, %one : f32
    %c = sub %b, %b : f32
    %d = add %a, %c : f32
    store %d, %out0, %i
    yield
  }
  return
}
// -----
// Scalars in fused bodies.
// CHECK-LABEL: func @f(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %r = fused %x : f32[4] (%p: f32) {
// CHECK-NEXT:     yield %p
// CHECK-NEXT:   }
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
func @f(%x: f32[4]) -> (f32[4]) {
  %r = fused %x : f32[4] (%p: f32) {
    %z = constant {value = 0.0} : f32
    %q = div %p, %p : f32
    %m = mul %q, %z : f32
    %s = add %p, %m : f32
    yield %s
  }
  return %r
}
