// RUN: %symjit-opt %s | FileCheck %s
// RUN: %symjit-opt %s | %symjit-opt | FileCheck %s
// Non-canonical input prints canonically: numeric names are renumbered in
// order of definition (block arguments included), other names are kept,
// attributes are sorted, spacing and comments are normalized, and mixed
// int/float dense literals print as floats.

// CHECK-LABEL: func @names(%0: f32[?,3], %x.y$z-1: f32[3]) -> (f32[?,3], f32[?], f32[2]) {
// CHECK-NEXT:    %1 = add %0, %x.y$z-1 : f32[?,3]
// CHECK-NEXT:    %2 = sum %1 {axes = [-1], keepdims = false} : f32[?]
// CHECK-NEXT:    %007a = constant {value = dense<[1.0, 2.5]>} : f32[2]
// CHECK-NEXT:    return %1, %2, %007a
// CHECK-NEXT:  }
func   @names( %17 : f32[ ?, 3 ],%x.y$z-1:f32[3])->(f32[?,3],f32[?],f32[2]){
  %5=add %17,%x.y$z-1:f32[?,3]   // trailing comment
  %3 = sum %5 {keepdims = false, axes = [-1]} : f32[?]

  %007a = constant {value = dense<[1, 2.5]>} : f32[2]
  return %5,%3,%007a
}

// A kernel's loop arguments are numbered too; the order is the order in
// which the printer meets the definitions.
// CHECK-LABEL: kernel @k(%0: f32[4], %1: f32[4]) {
// CHECK-NEXT:    %2 = constant {value = 0} : i64
// CHECK-NEXT:    %3 = constant {value = 4} : i64
// CHECK-NEXT:    parallel_for %2, %3 (%4: i64) {
// CHECK-NEXT:      %5 = load %0, %4 : f32
// CHECK-NEXT:      store %5, %1, %4
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
kernel @k(%9: f32[4], %8: f32[4]) {
  %7 = constant {value = 0} : i64
  %6 = constant {value = 4} : i64
  parallel_for %7, %6 (%5: i64) {
    %4 = load %9, %5 : f32
    store %4, %8, %5
    yield
  }
  return
}
