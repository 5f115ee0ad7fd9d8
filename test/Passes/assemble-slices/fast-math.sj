// RUN: %symjit-opt %s --passes=assemble-slices --fast-math --split-input-file | FileCheck %s

// Under --fast-math the sign of zero may change: no + 0.0.
// CHECK-LABEL: func @gates(%a: f32[2,2], %b: f32[2,2], %c: f32[2,2], %d: f32[2,2]) -> (f32[2,8]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[2,8]
// CHECK-NEXT:    %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,8]
// CHECK-NEXT:    %1 = slice_update %0, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,8]
// CHECK-NEXT:    %2 = slice_update %1, %c {mode = "set", start = [0, 4], step = [1, 1], stop = [2, 6]} : f32[2,8]
// CHECK-NEXT:    %3 = slice_update %2, %d {mode = "set", start = [0, 6], step = [1, 1], stop = [2, 8]} : f32[2,8]
// CHECK-NEXT:    return %3
// CHECK-NEXT:  }
func @gates(%a: f32[2,2], %b: f32[2,2], %c: f32[2,2], %d: f32[2,2]) -> (f32[2,8]) {
  %z = constant {value = 0.0} : f32[2,8]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,8]
  %1 = slice_update %z, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,8]
  %2 = slice_update %z, %c {mode = "set", start = [0, 4], step = [1, 1], stop = [2, 6]} : f32[2,8]
  %3 = slice_update %z, %d {mode = "set", start = [0, 6], step = [1, 1], stop = [2, 8]} : f32[2,8]
  %4 = add %0, %1 : f32[2,8]
  %5 = add %4, %2 : f32[2,8]
  %6 = add %5, %3 : f32[2,8]
  return %6
}
