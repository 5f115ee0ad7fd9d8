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
