// RUN: %symjit-opt %s --passes=cse --split-input-file | FileCheck %s
// Ops in a loop body reuse identical ops of enclosing blocks; ops in two
// sibling loops do not see each other.
// CHECK-LABEL: kernel @k(%in0: f32[?,8], %out0: f32[?,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %n = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   parallel_for %c0, %n (%i: i64) {
// CHECK-NEXT:     for %c0, %c8 (%j: i64) {
// CHECK-NEXT:       %x = load %in0, %i, %j : f32
// CHECK-NEXT:       %t = constant {value = 2.0} : f32
// CHECK-NEXT:       %y = mul %x, %t : f32
// CHECK-NEXT:       store %y, %out0, %i, %j
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     for %c0, %c8 (%j2: i64) {
// CHECK-NEXT:       %t2 = constant {value = 2.0} : f32
// CHECK-NEXT:       %x2 = load %out0, %i, %j2 : f32
// CHECK-NEXT:       %y2 = mul %x2, %t2 : f32
// CHECK-NEXT:       store %y2, %out0, %i, %j2
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k(%in0: f32[?,8], %out0: f32[?,8]) {
  %c0 = constant {value = 0} : i64
  %n = dim %out0 {axis = 0} : i64
  %c8 = constant {value = 8} : i64
  parallel_for %c0, %n (%i: i64) {
    %c0b = constant {value = 0} : i64
    %c8b = constant {value = 8} : i64
    for %c0b, %c8b (%j: i64) {
      %x = load %in0, %i, %j : f32
      %t = constant {value = 2.0} : f32
      %y = mul %x, %t : f32
      store %y, %out0, %i, %j
      yield
    }
    for %c0, %c8 (%j2: i64) {
      %t2 = constant {value = 2.0} : f32
      %x2 = load %out0, %i, %j2 : f32
      %y2 = mul %x2, %t2 : f32
      store %y2, %out0, %i, %j2
      yield
    }
    yield
  }
  return
}
// -----
// An op after a loop cannot reuse one from inside the loop body (out of
// scope there); a loop-carried value and its uses are ordinary operands.
// CHECK-LABEL: kernel @after(%in0: f32[8], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %z = constant {value = 0.0} : f32
// CHECK-NEXT:   %acc = for %c0, %c8, %z : f32 (%i: i64, %a0: f32) {
// CHECK-NEXT:     %h = constant {value = 0.5} : f32
// CHECK-NEXT:     %w = load %in0, %i : f32
// CHECK-NEXT:     %m = mul %w, %h : f32
// CHECK-NEXT:     %s = add %a0, %m : f32
// CHECK-NEXT:     %s2 = add %s, %m : f32
// CHECK-NEXT:     yield %s2
// CHECK-NEXT:   }
// CHECK-NEXT:   %h2 = constant {value = 0.5} : f32
// CHECK-NEXT:   %r = mul %acc, %h2 : f32
// CHECK-NEXT:   %r2 = add %r, %z : f32
// CHECK-NEXT:   store %r2, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @after(%in0: f32[8], %out0: f32[]) {
  %c0 = constant {value = 0} : i64
  %c8 = constant {value = 8} : i64
  %z = constant {value = 0.0} : f32
  %acc = for %c0, %c8, %z : f32 (%i: i64, %a0: f32) {
    %h = constant {value = 0.5} : f32
    %w = load %in0, %i : f32
    %m = mul %w, %h : f32
    %m2 = mul %h, %w : f32
    %s = add %a0, %m : f32
    %s2 = add %s, %m2 : f32
    yield %s2
  }
  %h2 = constant {value = 0.5} : f32
  %r = mul %acc, %h2 : f32
  %z2 = constant {value = 0.0} : f32
  %r2 = add %r, %z2 : f32
  store %r2, %out0
  return
}
// -----
// A fused body is isolated: the scalar constant outside is not usable inside,
// so the one inside stays; identical ops within the body merge.
// CHECK-LABEL: func @iso(%x: f32[4]) -> (f32[4], f32) {
// CHECK-NEXT:   %c = constant {value = 2.0} : f32
// CHECK-NEXT:   %r = fused %x : f32[4] (%a: f32) {
// CHECK-NEXT:     %k = constant {value = 2.0} : f32
// CHECK-NEXT:     %m = mul %a, %k : f32
// CHECK-NEXT:     %s = add %m, %m : f32
// CHECK-NEXT:     yield %s
// CHECK-NEXT:   }
// CHECK-NEXT:   return %r, %c
// CHECK-NEXT: }
func @iso(%x: f32[4]) -> (f32[4], f32) {
  %c = constant {value = 2.0} : f32
  %r = fused %x : f32[4] (%a: f32) {
    %k = constant {value = 2.0} : f32
    %k2 = constant {value = 2.0} : f32
    %m = mul %a, %k : f32
    %m2 = mul %k2, %a : f32
    %s = add %m, %m2 : f32
    yield %s
  }
  return %r, %c
}
// -----
// Two functions never share ops (each is isolated).
// CHECK-LABEL: func @f1(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %c = constant {value = 3.0} : f32[]
// CHECK-NEXT:   %a = mul %x, %c : f32[4]
// CHECK-NEXT:   return %a
// CHECK-NEXT: }
// CHECK-LABEL: func @f2(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %c = constant {value = 3.0} : f32[]
// CHECK-NEXT:   %a = mul %x, %c : f32[4]
// CHECK-NEXT:   return %a
// CHECK-NEXT: }
func @f1(%x: f32[4]) -> (f32[4]) {
  %c = constant {value = 3.0} : f32[]
  %a = mul %x, %c : f32[4]
  return %a
}

func @f2(%x: f32[4]) -> (f32[4]) {
  %c = constant {value = 3.0} : f32[]
  %a = mul %x, %c : f32[4]
  return %a
}
// -----
// Deep nesting: the walk is iterative; an op four loops deep reuses the
// kernel-level one.
// CHECK-LABEL: kernel @deep(%out0: f32[2,2,2,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %one = constant {value = 1.0} : f32
// CHECK-NEXT:   for %c0, %c2 (%i: i64) {
// CHECK-NEXT:     for %c0, %c2 (%j: i64) {
// CHECK-NEXT:       for %c0, %c2 (%k: i64) {
// CHECK-NEXT:         for %c0, %c2 (%l: i64) {
// CHECK-NEXT:           store %one, %out0, %i, %j, %k, %l
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @deep(%out0: f32[2,2,2,2]) {
  %c0 = constant {value = 0} : i64
  %c2 = constant {value = 2} : i64
  %one = constant {value = 1.0} : f32
  for %c0, %c2 (%i: i64) {
    for %c0, %c2 (%j: i64) {
      for %c0, %c2 (%k: i64) {
        for %c0, %c2 (%l: i64) {
          %one2 = constant {value = 1.0} : f32
          store %one2, %out0, %i, %j, %k, %l
          yield
        }
        yield
      }
      yield
    }
    yield
  }
  return
}
