// RUN: %symjit-opt %s --passes=cse --split-input-file | FileCheck %s
// Non-commutative ops with swapped operands are different.
// CHECK-LABEL: func @sub(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %a = sub %x, %y : f32[4]
// CHECK-NEXT:   %b = sub %y, %x : f32[4]
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @sub(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4]) {
  %a = sub %x, %y : f32[4]
  %b = sub %y, %x : f32[4]
  return %a, %b
}
// -----
// Each alloc is a distinct buffer and loads read memory that stores change:
// neither is merged. Stores and launches have effects and stay.
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
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: func @f(%x: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %a = alloc : f32[4]
// CHECK-NEXT:   %b = alloc : f32[4]
// CHECK-NEXT:   launch %x, %a {kernel = @k}
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
    yield
  }
  return
}

func @f(%x: f32[4]) -> (f32[4], f32[4]) {
  %a = alloc : f32[4]
  %b = alloc : f32[4]
  launch %x, %a {kernel = @k}
  launch %x, %b {kernel = @k}
  return %a, %b
}
