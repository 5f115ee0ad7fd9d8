// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=fuse-elementwise --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// A chain becomes one fused op placed where its last member was; operands
// in first-use order of the body; the rank-0 splat constant is copied into
// the body as a scalar at its first use (the tensor constant stays for dce).
// CHECK-LABEL: func @chain(%a: f32[?], %b: f32[?], %c: f32[?], %d: f32[?]) -> (f32[?]) {
// CHECK-NEXT:   %k = constant {value = 0.5} : f32[]
// CHECK-NEXT:   %0 = fused %a, %b, %c, %d : f32[?] (%1: f32, %2: f32, %3: f32, %4: f32) {
// CHECK-NEXT:     %5 = mul %1, %2 : f32
// CHECK-NEXT:     %6 = exp %3 : f32
// CHECK-NEXT:     %7 = mul %6, %4 : f32
// CHECK-NEXT:     %8 = add %5, %7 : f32
// CHECK-NEXT:     %9 = constant {value = 0.5} : f32
// CHECK-NEXT:     %10 = mul %8, %9 : f32
// CHECK-NEXT:     yield %10
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @chain(%a: f32[?], %b: f32[?], %c: f32[?], %d: f32[?]) -> (f32[?]) {
  %0 = mul %a, %b : f32[?]
  %1 = exp %c : f32[?]
  %2 = mul %1, %d : f32[?]
  %3 = add %0, %2 : f32[?]
  %k = constant {value = 0.5} : f32[]
  %4 = mul %3, %k : f32[?]
  return %4
}
// -----
// A shaped splat constant and an int splat are copied too; a dense constant
// becomes an operand.
// CHECK-LABEL: func @consts(%x: i32[2,3]) -> (i32[2,3]) {
// CHECK-NEXT:   %two = constant {value = 2} : i32[2,3]
// CHECK-NEXT:   %d = constant {value = dense<[1, 2, 3]>} : i32[3]
// CHECK-NEXT:   %0 = fused %x, %d : i32[2,3] (%1: i32, %2: i32) {
// CHECK-NEXT:     %3 = constant {value = 2} : i32
// CHECK-NEXT:     %4 = mul %1, %3 : i32
// CHECK-NEXT:     %5 = add %4, %2 : i32
// CHECK-NEXT:     %6 = sub %5, %3 : i32
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @consts(%x: i32[2,3]) -> (i32[2,3]) {
  %two = constant {value = 2} : i32[2,3]
  %d = constant {value = dense<[1, 2, 3]>} : i32[3]
  %0 = mul %x, %two : i32[2,3]
  %1 = add %0, %d : i32[2,3]
  %2 = sub %1, %two : i32[2,3]
  return %2
}
// -----
// A lone elementwise op still becomes a 1-op fused op, so lower-to-loops and
// later passes see one form.
// CHECK-LABEL: func @single(%x: f64[7]) -> (f64[7]) {
// CHECK-NEXT:   %0 = fused %x : f64[7] (%1: f64) {
// CHECK-NEXT:     %2 = sqrt %1 : f64
// CHECK-NEXT:     yield %2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @single(%x: f64[7]) -> (f64[7]) {
  %0 = sqrt %x : f64[7]
  return %0
}
// -----
// Rank-0 tensors fuse like any other iteration space.
// CHECK-LABEL: func @rank0(%x: f32[], %y: f32[]) -> (f32[]) {
// CHECK-NEXT:   %0 = fused %x, %y : f32[] (%1: f32, %2: f32) {
// CHECK-NEXT:     %3 = mul %1, %2 : f32
// CHECK-NEXT:     %4 = tanh %3 : f32
// CHECK-NEXT:     yield %4
// CHECK-NEXT:   }
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
func @rank0(%x: f32[], %y: f32[]) -> (f32[]) {
  %0 = mul %x, %y : f32[]
  %1 = tanh %0 : f32[]
  return %1
}
// -----
// Mixed dtypes: comparisons and select and cast fuse in one body; results
// may have different dtypes over the same shape.
// CHECK-LABEL: func @dtypes(%x: f32[5], %y: i32[5]) -> (bool[5], f32[5]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %p, %r = fused %x, %y : bool[5], f32[5] (%0: f32, %1: i32) {
// CHECK-NEXT:     %2 = constant {value = 0.0} : f32
// CHECK-NEXT:     %3 = gt %0, %2 : bool
// CHECK-NEXT:     %4 = neg %0 : f32
// CHECK-NEXT:     %5 = select %3, %0, %4 : f32
// CHECK-NEXT:     %6 = cast %1 : f32
// CHECK-NEXT:     %7 = add %5, %6 : f32
// CHECK-NEXT:     yield %3, %7
// CHECK-NEXT:   }
// CHECK-NEXT:   return %p, %r
// CHECK-NEXT: }
func @dtypes(%x: f32[5], %y: i32[5]) -> (bool[5], f32[5]) {
  %z = constant {value = 0.0} : f32[]
  %p = gt %x, %z : bool[5]
  %n = neg %x : f32[5]
  %s = select %p, %x, %n : f32[5]
  %c = cast %y : f32[5]
  %r = add %s, %c : f32[5]
  return %p, %r
}
