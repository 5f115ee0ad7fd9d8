// RUN: %symjit-opt %s --passes=dce --split-input-file | FileCheck %s
// Unused pure ops are removed, transitively.
// CHECK-LABEL: func @dead(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %c = neg %x : f32[4]
// CHECK-NEXT:   return %c
// CHECK-NEXT: }
func @dead(%x: f32[4]) -> (f32[4]) {
  %a = exp %x : f32[4]
  %b = mul %a, %a : f32[4]
  %c = neg %x : f32[4]
  return %c
}
// -----
// Unused function arguments stay (they are the signature).
// CHECK-LABEL: func @args(%x: f32[4], %unused: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   return %x
// CHECK-NEXT: }
func @args(%x: f32[4], %unused: f32[4]) -> (f32[4]) {
  %c = constant {value = 1.0} : f32[]
  return %x
}
