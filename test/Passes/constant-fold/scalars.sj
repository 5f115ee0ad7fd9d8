// RUN: %symjit-opt %s --passes=constant-fold --split-input-file | FileCheck %s
// Scalar constants in kernel bodies fold; ints wrap to their width; casts fold.
// CHECK-LABEL: kernel @k(%out0: i32[2], %out1: f32[2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   %0 = constant {value = -2147483648} : i32
// CHECK-NEXT:   store %0, %out0, %c0
// CHECK-NEXT:   %1 = constant {value = nan} : f32
// CHECK-NEXT:   store %1, %out1, %c1
// CHECK-NEXT:   %2 = constant {value = 1} : i32
// CHECK-NEXT:   store %2, %out0, %c1
// CHECK-NEXT:   return
// CHECK-NEXT: }
kernel @k(%out0: i32[2], %out1: f32[2]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %big = constant {value = 2147483647} : i32
  %one = constant {value = 1} : i32
  %w = add %big, %one : i32
  store %w, %out0, %c0
  %f = cast %w : f32
  %g = sqrt %f : f32
  store %g, %out1, %c1
  %sel = constant {value = 1} : bool
  %s = select %sel, %one, %big : i32
  store %s, %out0, %c1
  return
}
