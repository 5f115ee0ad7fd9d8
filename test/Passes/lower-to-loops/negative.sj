// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// reshape and constants stay in the func: they need no loops (a reshape is
// a view, constants are materialized by codegen).
// CHECK-LABEL: func @keep(%x: f32[2,3]) -> (f32[6], f32[2]) {
// CHECK-NEXT:   %0 = reshape %x : f32[6]
// CHECK-NEXT:   %c = constant {value = dense<[1.0, 2.0]>} : f32[2]
// CHECK-NEXT:   return %0, %c
// CHECK-NEXT: }
func @keep(%x: f32[2,3]) -> (f32[6], f32[2]) {
  %0 = reshape %x : f32[6]
  %c = constant {value = dense<[1.0, 2.0]>} : f32[2]
  return %0, %c
}
// -----
// Kernels already in the module are not touched (the pass runs on funcs).
// CHECK-LABEL: kernel @k(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %a = load %in0, %c0 : f32
// CHECK-NEXT:   store %a, %out0, %c0
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k(%in0: f32[4], %out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %a = load %in0, %c0 : f32
  store %a, %out0, %c0
  return
}
