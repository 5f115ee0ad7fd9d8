// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// Row reduction: kept dims outside (parallel), the reduced dim a `for`
// carrying the accumulator from the identity; one store after it. The
// iteration space (and its bounds) is the input's.
// CHECK-LABEL: func @rowsum(%x: f32[?,100]) -> (f32[?]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?]
// CHECK-NEXT:   launch %x, %1 {kernel = @rowsum_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @rowsum_k0(%in0: f32[?,100], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c100 = constant {value = 100} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = 0.0} : f32
// CHECK-NEXT:     %3 = for %c0, %c100, %2 {combine = "add"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = add %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     store %3, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @rowsum(%x: f32[?,100]) -> (f32[?]) {
  %0 = sum %x {axes = [1]} : f32[?]
  return %0
}
// -----
// Row max with keepdims: the kept size-1 output dim is stored at index %c0;
// float identity -inf.
// CHECK-LABEL: func @rowmax(%x: f32[?,7]) -> (f32[?,1]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,1]
// CHECK-NEXT:   launch %x, %1 {kernel = @rowmax_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @rowmax_k0(%in0: f32[?,7], %out0: f32[?,1]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c7 = constant {value = 7} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = -inf} : f32
// CHECK-NEXT:     %3 = for %c0, %c7, %2 {combine = "maximum"} : f32 (%4: i64, %5: f32) {
// CHECK-NEXT:       %6 = load %in0, %1, %4 : f32
// CHECK-NEXT:       %7 = maximum %5, %6 : f32
// CHECK-NEXT:       yield %7
// CHECK-NEXT:     }
// CHECK-NEXT:     store %3, %out0, %1, %c0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @rowmax(%x: f32[?,7]) -> (f32[?,1]) {
  %0 = max %x {axes = [-1], keepdims = true} : f32[?,1]
  return %0
}
// -----
// Two reduced trailing dims: nested carried `for`s; min identity +inf; prod
// of ints starts at 1.
// CHECK-LABEL: func @suffix2(%x: f64[3,?,4], %y: i32[5,6]) -> (f64[3], i32[5]) {
// CHECK-NEXT:   %0 = alloc : f64[3]
// CHECK-NEXT:   launch %x, %0 {kernel = @suffix2_k0}
// CHECK-NEXT:   %1 = alloc : i32[5]
// CHECK-NEXT:   launch %y, %1 {kernel = @suffix2_k1}
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @suffix2_k0(%in0: f64[3,?,4], %out0: f64[3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 1} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = inf} : f64
// CHECK-NEXT:     %3 = for %c0, %0, %2 {combine = "minimum"} : f64 (%4: i64, %5: f64) {
// CHECK-NEXT:       %6 = for %c0, %c4, %5 {combine = "minimum"} : f64 (%7: i64, %8: f64) {
// CHECK-NEXT:         %9 = load %in0, %1, %4, %7 : f64
// CHECK-NEXT:         %10 = minimum %8, %9 : f64
// CHECK-NEXT:         yield %10
// CHECK-NEXT:       }
// CHECK-NEXT:       yield %6
// CHECK-NEXT:     }
// CHECK-NEXT:     store %3, %out0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// CHECK-LABEL: kernel @suffix2_k1(%in0: i32[5,6], %out0: i32[5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %c5 (%0: i64) {
// CHECK-NEXT:     %1 = constant {value = 1} : i32
// CHECK-NEXT:     %2 = for %c0, %c6, %1 {combine = "mul"} : i32 (%3: i64, %4: i32) {
// CHECK-NEXT:       %5 = load %in0, %0, %3 : i32
// CHECK-NEXT:       %6 = mul %4, %5 : i32
// CHECK-NEXT:       yield %6
// CHECK-NEXT:     }
// CHECK-NEXT:     store %2, %out0, %0
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @suffix2(%x: f64[3,?,4], %y: i32[5,6]) -> (f64[3], i32[5]) {
  %0 = min %x {axes = [1, 2]} : f64[3]
  %1 = prod %y {axes = [1]} : i32[5]
  return %0, %1
}
// -----
// Mean over a static count: multiply by the constant 1/count.
// CHECK-LABEL: func @rowmean(%x: f32[?,8]) -> (f32[?]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?]
// CHECK-NEXT:   launch %x, %1 {kernel = @rowmean_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @rowmean_k0(%in0: f32[?,8], %out0: f32[?]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %1 = constant {value = 0.125} : f32
// CHECK-NEXT:   parallel_for %c0, %0 (%2: i64) {
// CHECK-NEXT:     %3 = constant {value = 0.0} : f32
// CHECK-NEXT:     %4 = for %c0, %c8, %3 {combine = "add"} : f32 (%5: i64, %6: f32) {
// CHECK-NEXT:       %7 = load %in0, %2, %5 : f32
// CHECK-NEXT:       %8 = add %6, %7 : f32
// CHECK-NEXT:       yield %8
// CHECK-NEXT:     }
// CHECK-NEXT:     %9 = mul %4, %1 : f32
// CHECK-NEXT:     store %9, %out0, %2
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @rowmean(%x: f32[?,8]) -> (f32[?]) {
  %0 = mean %x {axes = [1]} : f32[?]
  return %0
}
// -----
// Mean over a dynamic count: count from the bounds (times the static part),
// cast to the dtype at the kernel top, divide.
// CHECK-LABEL: func @dynmean(%x: f32[2,?,?,4]) -> (f32[2]) {
// CHECK-NEXT:   %0 = alloc : f32[2]
// CHECK-NEXT:   launch %x, %0 {kernel = @dynmean_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @dynmean_k0(%in0: f32[2,?,?,4], %out0: f32[2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 1} : i64
// CHECK-NEXT:   %1 = dim %in0 {axis = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %2 = mul %0, %1 : i64
// CHECK-NEXT:   %3 = mul %2, %c4 : i64
// CHECK-NEXT:   %4 = cast %3 : f32
// CHECK-NEXT:   parallel_for %c0, %c2 (%5: i64) {
// CHECK-NEXT:     %6 = constant {value = 0.0} : f32
// CHECK-NEXT:     %7 = for %c0, %0, %6 {combine = "add"} : f32 (%8: i64, %9: f32) {
// CHECK-NEXT:       %10 = for %c0, %1, %9 {combine = "add"} : f32 (%11: i64, %12: f32) {
// CHECK-NEXT:         %13 = for %c0, %c4, %12 {combine = "add"} : f32 (%14: i64, %15: f32) {
// CHECK-NEXT:           %16 = load %in0, %5, %8, %11, %14 : f32
// CHECK-NEXT:           %17 = add %15, %16 : f32
// CHECK-NEXT:           yield %17
// CHECK-NEXT:         }
// CHECK-NEXT:         yield %13
// CHECK-NEXT:       }
// CHECK-NEXT:       yield %10
// CHECK-NEXT:     }
// CHECK-NEXT:     %18 = div %7, %4 : f32
// CHECK-NEXT:     store %18, %out0, %5
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @dynmean(%x: f32[2,?,?,4]) -> (f32[2]) {
  %0 = mean %x {axes = [1, 2, 3]} : f32[2]
  return %0
}
// -----
// Column reduction with keepdims: a nest writing the identity, then all
// input dims in order, all sequential (the outermost is reduced), loading,
// combining and storing the output in memory (contiguous inner loop); mean
// divides by the dynamic count in a last nest.
// CHECK-LABEL: func @colmean(%x: f32[?,8]) -> (f32[1,8]) {
// CHECK-NEXT:   %0 = alloc : f32[1,8]
// CHECK-NEXT:   launch %x, %0 {kernel = @colmean_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @colmean_k0(%in0: f32[?,8], %out0: f32[1,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %1 = cast %0 : f32
// CHECK-NEXT:   parallel_for %c0, %c8 (%2: i64) {
// CHECK-NEXT:     %3 = constant {value = 0.0} : f32
// CHECK-NEXT:     store %3, %out0, %c0, %2
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %0 (%4: i64) {
// CHECK-NEXT:     for %c0, %c8 (%5: i64) {
// CHECK-NEXT:       %6 = load %in0, %4, %5 : f32
// CHECK-NEXT:       %7 = load %out0, %c0, %5 : f32
// CHECK-NEXT:       %8 = add %7, %6 : f32
// CHECK-NEXT:       store %8, %out0, %c0, %5
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   parallel_for %c0, %c8 (%9: i64) {
// CHECK-NEXT:     %10 = load %out0, %c0, %9 : f32
// CHECK-NEXT:     %11 = div %10, %1 : f32
// CHECK-NEXT:     store %11, %out0, %c0, %9
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @colmean(%x: f32[?,8]) -> (f32[1,8]) {
  %0 = mean %x {axes = [0], keepdims = true} : f32[1,8]
  return %0
}
// -----
// A middle axis reduced: general form, but the outermost (kept) axis is a
// parallel_for: its iterations write disjoint outputs.
// CHECK-LABEL: func @middle(%x: f32[?,5,6]) -> (f32[?,6]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,6]
// CHECK-NEXT:   launch %x, %1 {kernel = @middle_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @middle_k0(%in0: f32[?,5,6], %out0: f32[?,6]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   %1 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   parallel_for %c0, %1 (%2: i64) {
// CHECK-NEXT:     for %c0, %c6 (%3: i64) {
// CHECK-NEXT:       %4 = constant {value = 0.0} : f32
// CHECK-NEXT:       store %4, %out0, %2, %3
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   parallel_for %c0, %0 (%5: i64) {
// CHECK-NEXT:     for %c0, %c5 (%6: i64) {
// CHECK-NEXT:       for %c0, %c6 (%7: i64) {
// CHECK-NEXT:         %8 = load %in0, %5, %6, %7 : f32
// CHECK-NEXT:         %9 = load %out0, %5, %7 : f32
// CHECK-NEXT:         %10 = add %9, %8 : f32
// CHECK-NEXT:         store %10, %out0, %5, %7
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @middle(%x: f32[?,5,6]) -> (f32[?,6]) {
  %0 = sum %x {axes = [1]} : f32[?,6]
  return %0
}
// -----
// A leading static size-1 axis has no loop; the first loop is the reduced
// axis 1, so it must stay a sequential `for` (no parallel race on out).
// CHECK-LABEL: func @unit_lead(%x: f32[1,?,3]) -> (f32[1,3]) {
// CHECK-NEXT:   %0 = alloc : f32[1,3]
// CHECK-NEXT:   launch %x, %0 {kernel = @unit_lead_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @unit_lead_k0(%in0: f32[1,?,3], %out0: f32[1,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 1} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   parallel_for %c0, %c3 (%1: i64) {
// CHECK-NEXT:     %2 = constant {value = 0.0} : f32
// CHECK-NEXT:     store %2, %out0, %c0, %1
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %0 (%3: i64) {
// CHECK-NEXT:     for %c0, %c3 (%4: i64) {
// CHECK-NEXT:       %5 = load %in0, %c0, %3, %4 : f32
// CHECK-NEXT:       %6 = load %out0, %c0, %4 : f32
// CHECK-NEXT:       %7 = add %6, %5 : f32
// CHECK-NEXT:       store %7, %out0, %c0, %4
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @unit_lead(%x: f32[1,?,3]) -> (f32[1,3]) {
  %0 = sum %x {axes = [1]} : f32[1,3]
  return %0
}
// -----
// Full reduction of an int tensor with max: int identity, a register
// accumulator (all reduced axes trail the (no) kept axes), no parallel loop.
// CHECK-LABEL: func @full(%x: i32[?]) -> (i32[]) {
// CHECK-NEXT:   %0 = alloc : i32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @full_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @full_k0(%in0: i32[?], %out0: i32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %in0 {axis = 0} : i64
// CHECK-NEXT:   %1 = constant {value = -2147483648} : i32
// CHECK-NEXT:   %2 = for %c0, %0, %1 {combine = "maximum"} : i32 (%3: i64, %4: i32) {
// CHECK-NEXT:     %5 = load %in0, %3 : i32
// CHECK-NEXT:     %6 = maximum %4, %5 : i32
// CHECK-NEXT:     yield %6
// CHECK-NEXT:   }
// CHECK-NEXT:   store %2, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @full(%x: i32[?]) -> (i32[]) {
  %0 = max %x : i32[]
  return %0
}
// -----
// Full mean of a rank-2 tensor: nested carried loops, then 1/count.
// CHECK-LABEL: func @fullmean(%x: f32[4,5]) -> (f32[]) {
// CHECK-NEXT:   %0 = alloc : f32[]
// CHECK-NEXT:   launch %x, %0 {kernel = @fullmean_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @fullmean_k0(%in0: f32[4,5], %out0: f32[]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %0 = constant {value = 0.05} : f32
// CHECK-NEXT:   %1 = constant {value = 0.0} : f32
// CHECK-NEXT:   %2 = for %c0, %c4, %1 {combine = "add"} : f32 (%3: i64, %4: f32) {
// CHECK-NEXT:     %5 = for %c0, %c5, %4 {combine = "add"} : f32 (%6: i64, %7: f32) {
// CHECK-NEXT:       %8 = load %in0, %3, %6 : f32
// CHECK-NEXT:       %9 = add %7, %8 : f32
// CHECK-NEXT:       yield %9
// CHECK-NEXT:     }
// CHECK-NEXT:     yield %5
// CHECK-NEXT:   }
// CHECK-NEXT:   %10 = mul %2, %0 : f32
// CHECK-NEXT:   store %10, %out0
// CHECK-NEXT:   return
// CHECK-NEXT: }
func @fullmean(%x: f32[4,5]) -> (f32[]) {
  %0 = mean %x : f32[]
  return %0
}
