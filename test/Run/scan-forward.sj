// A forward scan compiled and run: the state's result keeps the initial
// value in row 0 and the state after step t in row t+1; the output has one
// row per step (docs/decisions/0014-scan.md). h_t = h_{t-1} + x_t, y_t = h_t^2.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/xs.npy '<f4' 5x3 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
// RUN: %python %S/Inputs/write_npy.py %t/h0.npy '<f4' 3 0,1,2
// RUN: %symjit-run %s --func f --input xs=%t/xs.npy --input h0=%t/h0.npy --print | FileCheck %s
// RUN: %symjit-run %s --func f --input xs=%t/xs.npy --input h0=%t/h0.npy --check | FileCheck %s --check-prefix=CHECKED
// CHECKED: check: @f passed
// CHECK:      f.out0: f32[6,3] =
// CHECK-NEXT: {{\[}}[0, 1, 2],
// CHECK-NEXT:  [1, 3, 5],
// CHECK-NEXT:  [5, 8, 11],
// CHECK-NEXT:  [12, 16, 20],
// CHECK-NEXT:  [22, 27, 32],
// CHECK-NEXT:  [35, 41, 47]]
// CHECK-NEXT: f.out1: f32[5,3] =
// CHECK-NEXT: {{\[}}[1, 9, 25],
// CHECK-NEXT:  [25, 64, 121],
// CHECK-NEXT:  [144, 256, 400],
// CHECK-NEXT:  [484, 729, 1024],
// CHECK-NEXT:  [1225, 1681, 2209]]
func @f(%xs: f32[5,3], %h0: f32[3]) -> (f32[6,3], f32[5,3]) {
  %H, %Y = scan %xs, %h0 {nseq = 1, nstate = 1} : f32[6,3], f32[5,3] (%x: f32[3], %h: f32[3]) {
    %h2 = add %h, %x : f32[3]
    %y = mul %h2, %h2 : f32[3]
    yield %h2, %y
  }
  return %H, %Y
}
