// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s
// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file > %t && %symjit-opt %t --split-input-file | diff %t -
// Pooling (passes/lower-pool.c, docs/lowering.md "Pooling"). A 2x2 stride-2
// max pooling without padding: the window loops run from 0 to the window
// (constant trip counts), two reduction loops marked "maximum" started from
// -inf, computed indices clamped; a dynamic N is a `dim` of the input in the
// func and of the output in the kernel.
func @mp(%x: f32[?,3,4,6]) -> (f32[?,3,2,3]) {
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[?,3,2,3]
  return %0
}
// CHECK-LABEL: func @mp(%x: f32[?,3,4,6]) -> (f32[?,3,2,3]) {
// CHECK-NEXT:   %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:   %1 = alloc %0 : f32[?,3,2,3]
// CHECK-NEXT:   launch %x, %1 {kernel = @mp_k0}
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
// CHECK-LABEL: kernel @mp_k0(%in0: f32[?,3,4,6], %out0: f32[?,3,2,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c6 = constant {value = 6} : i64
// CHECK-NEXT:   parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:     for %c0, %c3 (%2: i64) {
// CHECK-NEXT:       for %c0, %c2 (%3: i64) {
// CHECK-NEXT:         for %c0, %c3 (%4: i64) {
// CHECK-NEXT:           %5 = mul %3, %c2 : i64
// CHECK-NEXT:           %6 = mul %4, %c2 : i64
// CHECK-NEXT:           %7 = constant {value = -inf} : f32
// CHECK-NEXT:           %8 = for %c0, %c2, %7 {combine = "maximum"} : f32 (%9: i64, %10: f32) {
// CHECK-NEXT:             %11 = add %5, %9 : i64
// CHECK-NEXT:             %12 = for %c0, %c2, %10 {combine = "maximum"} : f32 (%13: i64, %14: f32) {
// CHECK-NEXT:               %15 = add %6, %13 : i64
// CHECK-NEXT:               %16 = clamp %11, %c4 : i64
// CHECK-NEXT:               %17 = clamp %15, %c6 : i64
// CHECK-NEXT:               %18 = load %in0, %1, %2, %16, %17 : f32
// CHECK-NEXT:               %19 = maximum %14, %18 : f32
// CHECK-NEXT:               yield %19
// CHECK-NEXT:             }
// CHECK-NEXT:             yield %12
// CHECK-NEXT:           }
// CHECK-NEXT:           store %8, %out0, %1, %2, %3, %4
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// -----
// With padding and ceil_mode the windows are clipped by their loop bounds
// (maximum / minimum of the start); count_pad's divisor is the window
// clipped to the padded input; f16 is loaded into f32 and cast back.
func @ap(%x: f16[2,1,5,5]) -> (f16[2,1,3,3]) {
  %0 = avg_pool2d %x {ceil_mode = true, count_pad = true, pad = [1, 0, 1, 0], stride = [2, 2], window = [2, 2]} : f16[2,1,3,3]
  return %0
}
// CHECK-LABEL: func @ap(%x: f16[2,1,5,5]) -> (f16[2,1,3,3]) {
// CHECK-NEXT:   %0 = alloc : f16[2,1,3,3]
// CHECK-NEXT:   launch %x, %0 {kernel = @ap_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @ap_k0(%in0: f16[2,1,5,5], %out0: f16[2,1,3,3]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c3 (%1: i64) {
// CHECK-NEXT:       for %c0, %c3 (%2: i64) {
// CHECK-NEXT:         %3 = mul %1, %c2 : i64
// CHECK-NEXT:         %4 = sub %3, %c1 : i64
// CHECK-NEXT:         %5 = maximum %4, %c0 : i64
// CHECK-NEXT:         %6 = add %4, %c2 : i64
// CHECK-NEXT:         %7 = minimum %6, %c5 : i64
// CHECK-NEXT:         %8 = mul %2, %c2 : i64
// CHECK-NEXT:         %9 = sub %8, %c1 : i64
// CHECK-NEXT:         %10 = maximum %9, %c0 : i64
// CHECK-NEXT:         %11 = add %9, %c2 : i64
// CHECK-NEXT:         %12 = minimum %11, %c5 : i64
// CHECK-NEXT:         %13 = constant {value = 0.0} : f32
// CHECK-NEXT:         %14 = for %5, %7, %13 {combine = "add"} : f32 (%15: i64, %16: f32) {
// CHECK-NEXT:           %17 = for %10, %12, %16 {combine = "add"} : f32 (%18: i64, %19: f32) {
// CHECK-NEXT:             %20 = clamp %15, %c5 : i64
// CHECK-NEXT:             %21 = clamp %18, %c5 : i64
// CHECK-NEXT:             %22 = load %in0, %0, %c0, %20, %21 : f16
// CHECK-NEXT:             %23 = cast %22 : f32
// CHECK-NEXT:             %24 = add %19, %23 : f32
// CHECK-NEXT:             yield %24
// CHECK-NEXT:           }
// CHECK-NEXT:           yield %17
// CHECK-NEXT:         }
// CHECK-NEXT:         %25 = add %4, %c2 : i64
// CHECK-NEXT:         %26 = minimum %25, %c5 : i64
// CHECK-NEXT:         %27 = sub %26, %4 : i64
// CHECK-NEXT:         %28 = add %9, %c2 : i64
// CHECK-NEXT:         %29 = minimum %28, %c5 : i64
// CHECK-NEXT:         %30 = sub %29, %9 : i64
// CHECK-NEXT:         %31 = mul %27, %30 : i64
// CHECK-NEXT:         %32 = cast %31 : f32
// CHECK-NEXT:         %33 = div %14, %32 : f32
// CHECK-NEXT:         %34 = cast %33 : f16
// CHECK-NEXT:         store %34, %out0, %0, %c0, %1, %2
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// -----
// max_pool2d_grad: per plane, zero it, then per window the first argmax
// (carried best value, row, column; a NaN beats a number) and dx += g there.
func @mg(%x: f32[2,3,4,4], %g: f32[2,3,3,3]) -> (f32[2,3,4,4]) {
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [1, 1], window = [2, 2]} : f32[2,3,4,4]
  return %0
}
// CHECK-LABEL: func @mg(%x: f32[2,3,4,4], %g: f32[2,3,3,3]) -> (f32[2,3,4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[2,3,4,4]
// CHECK-NEXT:   launch %x, %g, %0 {kernel = @mg_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @mg_k0(%in0: f32[2,3,4,4], %in1: f32[2,3,3,3], %out0: f32[2,3,4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c3 (%1: i64) {
// CHECK-NEXT:       for %c0, %c4 (%2: i64) {
// CHECK-NEXT:         for %c0, %c4 (%3: i64) {
// CHECK-NEXT:           %4 = constant {value = 0.0} : f32
// CHECK-NEXT:           store %4, %out0, %0, %1, %2, %3
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       for %c0, %c3 (%5: i64) {
// CHECK-NEXT:         for %c0, %c3 (%6: i64) {
// CHECK-NEXT:           %7 = load %in1, %0, %1, %5, %6 : f32
// CHECK-NEXT:           %8 = constant {value = -inf} : f32
// CHECK-NEXT:           %9, %10, %11 = for %c0, %c2, %8, %5, %6 : f32, i64, i64 (%12: i64, %13: f32, %14: i64, %15: i64) {
// CHECK-NEXT:             %16 = add %5, %12 : i64
// CHECK-NEXT:             %17, %18, %19 = for %c0, %c2, %13, %14, %15 : f32, i64, i64 (%20: i64, %21: f32, %22: i64, %23: i64) {
// CHECK-NEXT:               %24 = add %6, %20 : i64
// CHECK-NEXT:               %25 = clamp %16, %c4 : i64
// CHECK-NEXT:               %26 = clamp %24, %c4 : i64
// CHECK-NEXT:               %27 = load %in0, %0, %1, %25, %26 : f32
// CHECK-NEXT:               %28 = ne %27, %27 : bool
// CHECK-NEXT:               %29 = eq %21, %21 : bool
// CHECK-NEXT:               %30 = gt %27, %21 : bool
// CHECK-NEXT:               %31 = select %28, %29, %30 : bool
// CHECK-NEXT:               %32 = select %31, %27, %21 : f32
// CHECK-NEXT:               %33 = select %31, %16, %22 : i64
// CHECK-NEXT:               %34 = select %31, %24, %23 : i64
// CHECK-NEXT:               yield %32, %33, %34
// CHECK-NEXT:             }
// CHECK-NEXT:             yield %17, %18, %19
// CHECK-NEXT:           }
// CHECK-NEXT:           %35 = clamp %10, %c4 : i64
// CHECK-NEXT:           %36 = clamp %11, %c4 : i64
// CHECK-NEXT:           %37 = load %out0, %0, %1, %35, %36 : f32
// CHECK-NEXT:           %38 = add %37, %7 : f32
// CHECK-NEXT:           store %38, %out0, %0, %1, %35, %36
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// -----
// avg_pool2d_grad with windows that tile the plane: g / 4 stored once per
// element, no zeroing and no read-modify-write.
func @ag(%g: f32[2,3,2,2], %x: f32[2,3,4,4]) -> (f32[2,3,4,4]) {
  %0 = avg_pool2d_grad %g, %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[2,3,4,4]
  return %0
}
// CHECK-LABEL: func @ag(%g: f32[2,3,2,2], %x: f32[2,3,4,4]) -> (f32[2,3,4,4]) {
// CHECK-NEXT:   %0 = alloc : f32[2,3,4,4]
// CHECK-NEXT:   launch %g, %x, %0 {kernel = @ag_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @ag_k0(%in0: f32[2,3,2,2], %in1: f32[2,3,4,4], %out0: f32[2,3,4,4]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c3 = constant {value = 3} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c3 (%1: i64) {
// CHECK-NEXT:       for %c0, %c2 (%2: i64) {
// CHECK-NEXT:         for %c0, %c2 (%3: i64) {
// CHECK-NEXT:           %4 = mul %2, %c2 : i64
// CHECK-NEXT:           %5 = mul %3, %c2 : i64
// CHECK-NEXT:           %6 = load %in0, %0, %1, %2, %3 : f32
// CHECK-NEXT:           %7 = constant {value = 4.0} : f32
// CHECK-NEXT:           %8 = div %6, %7 : f32
// CHECK-NEXT:           for %c0, %c2 (%9: i64) {
// CHECK-NEXT:             %10 = add %4, %9 : i64
// CHECK-NEXT:             for %c0, %c2 (%11: i64) {
// CHECK-NEXT:               %12 = add %5, %11 : i64
// CHECK-NEXT:               %13 = clamp %10, %c4 : i64
// CHECK-NEXT:               %14 = clamp %12, %c4 : i64
// CHECK-NEXT:               store %8, %out0, %0, %1, %13, %14
// CHECK-NEXT:               yield
// CHECK-NEXT:             }
// CHECK-NEXT:             yield
// CHECK-NEXT:           }
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// -----
// Negative: windows that tile the plane but leave a row and a column over
// (5x5 under 2x2 stride 2) still zero the plane first.
func @ag5(%g: f32[1,1,2,2], %x: f32[1,1,5,5]) -> (f32[1,1,5,5]) {
  %0 = avg_pool2d_grad %g, %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,5,5]
  return %0
}
// CHECK-LABEL: func @ag5(%g: f32[1,1,2,2], %x: f32[1,1,5,5]) -> (f32[1,1,5,5]) {
// CHECK-NEXT:   %0 = alloc : f32[1,1,5,5]
// CHECK-NEXT:   launch %g, %x, %0 {kernel = @ag5_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @ag5_k0(%in0: f32[1,1,2,2], %in1: f32[1,1,5,5], %out0: f32[1,1,5,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   for %c0, %c5 (%0: i64) {
// CHECK-NEXT:     for %c0, %c5 (%1: i64) {
// CHECK-NEXT:       %2 = constant {value = 0.0} : f32
// CHECK-NEXT:       store %2, %out0, %c0, %c0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %c2 (%3: i64) {
// CHECK-NEXT:     for %c0, %c2 (%4: i64) {
// CHECK-NEXT:       %5 = mul %3, %c2 : i64
// CHECK-NEXT:       %6 = mul %4, %c2 : i64
// CHECK-NEXT:       %7 = load %in0, %c0, %c0, %3, %4 : f32
// CHECK-NEXT:       %8 = constant {value = 4.0} : f32
// CHECK-NEXT:       %9 = div %7, %8 : f32
// CHECK-NEXT:       for %c0, %c2 (%10: i64) {
// CHECK-NEXT:         %11 = add %5, %10 : i64
// CHECK-NEXT:         for %c0, %c2 (%12: i64) {
// CHECK-NEXT:           %13 = add %6, %12 : i64
// CHECK-NEXT:           %14 = clamp %11, %c5 : i64
// CHECK-NEXT:           %15 = clamp %13, %c5 : i64
// CHECK-NEXT:           store %9, %out0, %c0, %c0, %14, %15
// CHECK-NEXT:           yield
// CHECK-NEXT:         }
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// -----
// max_pool2d_grad, windows that tile the plane (stride = window, no padding;
// decision 0040): per window the take flags of its positions in row-major
// order (greater than the best so far, or the first NaN), and each element
// stored once: g where it takes and no later position does, else 0. The
// plane is zeroed first only for the column no window covers (W = 5). The
// ow loop carries {loop.vectorize = 0} (decision 0042); the zeroing nest
// and every other pooling loop in this file do not.
func @mgt(%x: f32[1,2,4,5], %g: f32[1,2,2,2]) -> (f32[1,2,4,5]) {
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,2,4,5]
  return %0
}
// CHECK-LABEL: func @mgt(%x: f32[1,2,4,5], %g: f32[1,2,2,2]) -> (f32[1,2,4,5]) {
// CHECK-NEXT:   %0 = alloc : f32[1,2,4,5]
// CHECK-NEXT:   launch %x, %g, %0 {kernel = @mgt_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @mgt_k0(%in0: f32[1,2,4,5], %in1: f32[1,2,2,2], %out0: f32[1,2,4,5]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     for %c0, %c4 (%1: i64) {
// CHECK-NEXT:       for %c0, %c5 (%2: i64) {
// CHECK-NEXT:         %3 = constant {value = 0.0} : f32
// CHECK-NEXT:         store %3, %out0, %c0, %0, %1, %2
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     for %c0, %c2 (%4: i64) {
// CHECK-NEXT:       for %c0, %c2 {loop.vectorize = 0} (%5: i64) {
// CHECK-NEXT:         %6 = mul %4, %c2 : i64
// CHECK-NEXT:         %7 = mul %5, %c2 : i64
// CHECK-NEXT:         %8 = load %in1, %c0, %0, %4, %5 : f32
// CHECK-NEXT:         %9 = constant {value = -inf} : f32
// CHECK-NEXT:         %10 = constant {value = 0.0} : f32
// CHECK-NEXT:         %11 = clamp %6, %c4 : i64
// CHECK-NEXT:         %12 = clamp %7, %c5 : i64
// CHECK-NEXT:         %13 = load %in0, %c0, %0, %11, %12 : f32
// CHECK-NEXT:         %14 = ne %13, %13 : bool
// CHECK-NEXT:         %15 = eq %9, %9 : bool
// CHECK-NEXT:         %16 = gt %13, %9 : bool
// CHECK-NEXT:         %17 = select %14, %15, %16 : bool
// CHECK-NEXT:         %18 = select %17, %13, %9 : f32
// CHECK-NEXT:         %19 = add %7, %c1 : i64
// CHECK-NEXT:         %20 = clamp %6, %c4 : i64
// CHECK-NEXT:         %21 = clamp %19, %c5 : i64
// CHECK-NEXT:         %22 = load %in0, %c0, %0, %20, %21 : f32
// CHECK-NEXT:         %23 = ne %22, %22 : bool
// CHECK-NEXT:         %24 = eq %18, %18 : bool
// CHECK-NEXT:         %25 = gt %22, %18 : bool
// CHECK-NEXT:         %26 = select %23, %24, %25 : bool
// CHECK-NEXT:         %27 = select %26, %22, %18 : f32
// CHECK-NEXT:         %28 = add %6, %c1 : i64
// CHECK-NEXT:         %29 = clamp %28, %c4 : i64
// CHECK-NEXT:         %30 = clamp %7, %c5 : i64
// CHECK-NEXT:         %31 = load %in0, %c0, %0, %29, %30 : f32
// CHECK-NEXT:         %32 = ne %31, %31 : bool
// CHECK-NEXT:         %33 = eq %27, %27 : bool
// CHECK-NEXT:         %34 = gt %31, %27 : bool
// CHECK-NEXT:         %35 = select %32, %33, %34 : bool
// CHECK-NEXT:         %36 = select %35, %31, %27 : f32
// CHECK-NEXT:         %37 = add %6, %c1 : i64
// CHECK-NEXT:         %38 = add %7, %c1 : i64
// CHECK-NEXT:         %39 = clamp %37, %c4 : i64
// CHECK-NEXT:         %40 = clamp %38, %c5 : i64
// CHECK-NEXT:         %41 = load %in0, %c0, %0, %39, %40 : f32
// CHECK-NEXT:         %42 = ne %41, %41 : bool
// CHECK-NEXT:         %43 = eq %36, %36 : bool
// CHECK-NEXT:         %44 = gt %41, %36 : bool
// CHECK-NEXT:         %45 = select %42, %43, %44 : bool
// CHECK-NEXT:         %46 = select %45, %41, %36 : f32
// CHECK-NEXT:         %47 = select %45, %8, %10 : f32
// CHECK-NEXT:         %48 = select %35, %8, %10 : f32
// CHECK-NEXT:         %49 = select %45, %10, %48 : f32
// CHECK-NEXT:         %50 = select %35, %35, %45 : bool
// CHECK-NEXT:         %51 = select %26, %8, %10 : f32
// CHECK-NEXT:         %52 = select %50, %10, %51 : f32
// CHECK-NEXT:         %53 = select %26, %26, %50 : bool
// CHECK-NEXT:         %54 = select %53, %10, %8 : f32
// CHECK-NEXT:         store %54, %out0, %c0, %0, %11, %12
// CHECK-NEXT:         store %52, %out0, %c0, %0, %20, %21
// CHECK-NEXT:         store %49, %out0, %c0, %0, %29, %30
// CHECK-NEXT:         store %47, %out0, %c0, %0, %39, %40
// CHECK-NEXT:         yield
// CHECK-NEXT:       }
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// -----
// Not the direct form: a tiling window of 5x4 = 20 positions (more than 16)
// keeps the accumulating loops.
func @mgbig(%x: f32[1,1,5,8], %g: f32[1,1,1,2]) -> (f32[1,1,5,8]) {
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [5, 4], window = [5, 4]} : f32[1,1,5,8]
  return %0
}
// CHECK-LABEL: func @mgbig(%x: f32[1,1,5,8], %g: f32[1,1,1,2]) -> (f32[1,1,5,8]) {
// CHECK-NEXT:   %0 = alloc : f32[1,1,5,8]
// CHECK-NEXT:   launch %x, %g, %0 {kernel = @mgbig_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @mgbig_k0(%in0: f32[1,1,5,8], %in1: f32[1,1,1,2], %out0: f32[1,1,5,8]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c5 = constant {value = 5} : i64
// CHECK-NEXT:   %c8 = constant {value = 8} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   for %c0, %c5 (%0: i64) {
// CHECK-NEXT:     for %c0, %c8 (%1: i64) {
// CHECK-NEXT:       %2 = constant {value = 0.0} : f32
// CHECK-NEXT:       store %2, %out0, %c0, %c0, %0, %1
// CHECK-NEXT:       yield
// CHECK-NEXT:     }
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   for %c0, %c2 (%3: i64) {
// CHECK-NEXT:     %4 = mul %3, %c4 : i64
// CHECK-NEXT:     %5 = load %in1, %c0, %c0, %c0, %3 : f32
// CHECK-NEXT:     %6 = constant {value = -inf} : f32
// CHECK-NEXT:     %7, %8, %9 = for %c0, %c5, %6, %c0, %4 : f32, i64, i64 (%10: i64, %11: f32, %12: i64, %13: i64) {
// CHECK-NEXT:       %14 = add %c0, %10 : i64
// CHECK-NEXT:       %15, %16, %17 = for %c0, %c4, %11, %12, %13 : f32, i64, i64 (%18: i64, %19: f32, %20: i64, %21: i64) {
// CHECK-NEXT:         %22 = add %4, %18 : i64
// CHECK-NEXT:         %23 = clamp %14, %c5 : i64
// CHECK-NEXT:         %24 = clamp %22, %c8 : i64
// CHECK-NEXT:         %25 = load %in0, %c0, %c0, %23, %24 : f32
// CHECK-NEXT:         %26 = ne %25, %25 : bool
// CHECK-NEXT:         %27 = eq %19, %19 : bool
// CHECK-NEXT:         %28 = gt %25, %19 : bool
// CHECK-NEXT:         %29 = select %26, %27, %28 : bool
// CHECK-NEXT:         %30 = select %29, %25, %19 : f32
// CHECK-NEXT:         %31 = select %29, %14, %20 : i64
// CHECK-NEXT:         %32 = select %29, %22, %21 : i64
// CHECK-NEXT:         yield %30, %31, %32
// CHECK-NEXT:       }
// CHECK-NEXT:       yield %15, %16, %17
// CHECK-NEXT:     }
// CHECK-NEXT:     %33 = clamp %8, %c5 : i64
// CHECK-NEXT:     %34 = clamp %9, %c8 : i64
// CHECK-NEXT:     %35 = load %out0, %c0, %c0, %33, %34 : f32
// CHECK-NEXT:     %36 = add %35, %5 : f32
// CHECK-NEXT:     store %36, %out0, %c0, %c0, %33, %34
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
// -----
// The same direct form with OW = 1: the ow loop is a static 1 (no loop), so
// no loop gets the loop.vectorize hint (decision 0042), not the oh loop.
func @mgcol(%x: f32[1,1,4,2], %g: f32[1,1,2,1]) -> (f32[1,1,4,2]) {
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,4,2]
  return %0
}
// CHECK-LABEL: func @mgcol(%x: f32[1,1,4,2], %g: f32[1,1,2,1]) -> (f32[1,1,4,2]) {
// CHECK-NEXT:   %0 = alloc : f32[1,1,4,2]
// CHECK-NEXT:   launch %x, %g, %0 {kernel = @mgcol_k0}
// CHECK-NEXT:   return %0
// CHECK-NEXT: }
// CHECK-LABEL: kernel @mgcol_k0(%in0: f32[1,1,4,2], %in1: f32[1,1,2,1], %out0: f32[1,1,4,2]) {
// CHECK-NEXT:   %c0 = constant {value = 0} : i64
// CHECK-NEXT:   %c2 = constant {value = 2} : i64
// CHECK-NEXT:   %c4 = constant {value = 4} : i64
// CHECK-NEXT:   %c1 = constant {value = 1} : i64
// CHECK-NEXT:   for %c0, %c2 (%0: i64) {
// CHECK-NEXT:     %1 = mul %0, %c2 : i64
// CHECK-NEXT:     %2 = load %in1, %c0, %c0, %0, %c0 : f32
// CHECK-NEXT:     %3 = constant {value = -inf} : f32
// CHECK-NEXT:     %4 = constant {value = 0.0} : f32
// CHECK-NEXT:     %5 = clamp %1, %c4 : i64
// CHECK-NEXT:     %6 = clamp %c0, %c2 : i64
// CHECK-NEXT:     %7 = load %in0, %c0, %c0, %5, %6 : f32
// CHECK-NEXT:     %8 = ne %7, %7 : bool
// CHECK-NEXT:     %9 = eq %3, %3 : bool
// CHECK-NEXT:     %10 = gt %7, %3 : bool
// CHECK-NEXT:     %11 = select %8, %9, %10 : bool
// CHECK-NEXT:     %12 = select %11, %7, %3 : f32
// CHECK-NEXT:     %13 = add %c0, %c1 : i64
// CHECK-NEXT:     %14 = clamp %1, %c4 : i64
// CHECK-NEXT:     %15 = clamp %13, %c2 : i64
// CHECK-NEXT:     %16 = load %in0, %c0, %c0, %14, %15 : f32
// CHECK-NEXT:     %17 = ne %16, %16 : bool
// CHECK-NEXT:     %18 = eq %12, %12 : bool
// CHECK-NEXT:     %19 = gt %16, %12 : bool
// CHECK-NEXT:     %20 = select %17, %18, %19 : bool
// CHECK-NEXT:     %21 = select %20, %16, %12 : f32
// CHECK-NEXT:     %22 = add %1, %c1 : i64
// CHECK-NEXT:     %23 = clamp %22, %c4 : i64
// CHECK-NEXT:     %24 = clamp %c0, %c2 : i64
// CHECK-NEXT:     %25 = load %in0, %c0, %c0, %23, %24 : f32
// CHECK-NEXT:     %26 = ne %25, %25 : bool
// CHECK-NEXT:     %27 = eq %21, %21 : bool
// CHECK-NEXT:     %28 = gt %25, %21 : bool
// CHECK-NEXT:     %29 = select %26, %27, %28 : bool
// CHECK-NEXT:     %30 = select %29, %25, %21 : f32
// CHECK-NEXT:     %31 = add %1, %c1 : i64
// CHECK-NEXT:     %32 = add %c0, %c1 : i64
// CHECK-NEXT:     %33 = clamp %31, %c4 : i64
// CHECK-NEXT:     %34 = clamp %32, %c2 : i64
// CHECK-NEXT:     %35 = load %in0, %c0, %c0, %33, %34 : f32
// CHECK-NEXT:     %36 = ne %35, %35 : bool
// CHECK-NEXT:     %37 = eq %30, %30 : bool
// CHECK-NEXT:     %38 = gt %35, %30 : bool
// CHECK-NEXT:     %39 = select %36, %37, %38 : bool
// CHECK-NEXT:     %40 = select %39, %35, %30 : f32
// CHECK-NEXT:     %41 = select %39, %2, %4 : f32
// CHECK-NEXT:     %42 = select %29, %2, %4 : f32
// CHECK-NEXT:     %43 = select %39, %4, %42 : f32
// CHECK-NEXT:     %44 = select %29, %29, %39 : bool
// CHECK-NEXT:     %45 = select %20, %2, %4 : f32
// CHECK-NEXT:     %46 = select %44, %4, %45 : f32
// CHECK-NEXT:     %47 = select %20, %20, %44 : bool
// CHECK-NEXT:     %48 = select %47, %4, %2 : f32
// CHECK-NEXT:     store %48, %out0, %c0, %c0, %5, %6
// CHECK-NEXT:     store %46, %out0, %c0, %c0, %14, %15
// CHECK-NEXT:     store %43, %out0, %c0, %c0, %23, %24
// CHECK-NEXT:     store %41, %out0, %c0, %c0, %33, %34
// CHECK-NEXT:     yield
// CHECK-NEXT:   }
// CHECK-NEXT:   return
// CHECK-NEXT: }
