// RUN: %symjit-opt %s --passes=dce --split-input-file | FileCheck %s
// Dead ops inside loop bodies go, transitively (loads are pure); the carried
// value chain feeding the store stays. Loops are not pure, so they stay even
// when their body becomes empty or their results are unused.
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %z = constant {value = 0.0} : f32
// CHECK-NEXT:   %acc = for %c0, %c4, %z : f32 (%i: i64, %a0: f32) {
// CHECK-NEXT:     %w = load %in0, %i : f32
// CHECK-NEXT:     %s = add %a0, %w : f32
// CHECK-NEXT:     yield %s
// CHECK-NEXT:   }
// CHECK-NEXT:   store %acc, %out0
// CHECK-NEXT:   parallel_for %c0, %c4 (%j: i64) {
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   %unused = for %c0, %c4, %z : f32 (%k: i64, %b0: f32) {
// CHECK-NEXT:     yield %b0
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k(%in0: f32[4], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %z = constant {value = 0.0} : f32
  %dz = exp %z : f32
  %acc = for %c0, %c4, %z : f32 (%i: i64, %a0: f32) {
    %w = load %in0, %i : f32
    %dead1 = load %in0, %c0 : f32
    %dead2 = mul %dead1, %w : f32
    %s = add %a0, %w : f32
    yield %s
  }
  store %acc, %out0
  parallel_for %c0, %c4 (%j: i64) {
    %u = load %in0, %j : f32
    %v = sqrt %u : f32
    yield
  }
  %unused = for %c0, %c4, %z : f32 (%k: i64, %b0: f32) {
    yield %b0
  }
  return
}
// -----
// An unused fused op is pure: it goes with its body. Dead scalar ops inside a
// used fused body go; the body's arguments stay (they match the operands).
// CHECK-LABEL: func @f(%x: f32[4], %y: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %r = fused %x, %y : f32[4] (%a: f32, %b: f32) {
// CHECK-NEXT:     %m = mul %a, %a : f32
// CHECK-NEXT:     yield %m
// CHECK-NEXT:   }
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
func @f(%x: f32[4], %y: f32[4]) -> (f32[4]) {
  %dead = fused %x : f32[4] (%p: f32) {
    %e = exp %p : f32
    yield %e
  }
  %r = fused %x, %y : f32[4] (%a: f32, %b: f32) {
    %t = tanh %a : f32
    %m = mul %a, %a : f32
    yield %m
  }
  return %r
}
// -----
// Unused allocs and dims are pure and go; an alloc written by a launch stays.
// CHECK-LABEL: kernel @w(%out0: f32[?]) {
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @g(%x: f32[?]) -> (f32[?]) {
// CHECK-NEXT:   %n = dim %x {axis = 0} : i64
// CHECK-NEXT:   %b = alloc %n : f32[?]
// CHECK-NEXT:   launch %b {kernel = @w}
// CHECK-NEXT:   return %x
// CHECK-NEXT: }
kernel @w(%out0: f32[?]) {
  return
}

func @g(%x: f32[?]) -> (f32[?]) {
  %n = dim %x {axis = 0} : i64
  %a = alloc %n : f32[?]
  %b = alloc %n : f32[?]
  launch %b {kernel = @w}
  %n2 = dim %x {axis = 0} : i64
  return %x
}
