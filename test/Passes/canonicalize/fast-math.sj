// RUN: %symjit-opt %s --passes=canonicalize --fast-math --split-input-file | FileCheck %s
// With --fast-math, float x - x -> 0, x / x -> 1, x * 0 -> 0 (static shapes).
// CHECK-LABEL: func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32[4]
// CHECK-NEXT:   %1 = constant {value = 1.0} : f32[4]
// CHECK-NEXT:   %2 = constant {value = 0.0} : f32[4]
// CHECK-NEXT:   return %0, %1, %2
// CHECK-NEXT: }
func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4]) {
  %z = constant {value = 0.0} : f32[]
  %a = sub %x, %x : f32[4]
  %b = div %x, %x : f32[4]
  %c = mul %x, %z : f32[4]
  return %a, %b, %c
}
// -----
// Scalars in kernel bodies are canonicalized too.
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
