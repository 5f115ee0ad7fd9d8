// symjit-run prints integers exactly (not through a float format: 2^63-2 is
// not 9.22337e+18), bools as numpy does, and floats in the shortest form
// that reads back as the same value of their dtype.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/i64.npy '<i8' 5 -9223372036854775808,-9223372036854775807,9223372036854775806,9223372036854775807,9007199254740993
// RUN: %symjit-run %s --func i64 --input x=%t/i64.npy | FileCheck %s --check-prefix=I64
// I64:      i64.out0: i64[5] =
// I64-NEXT: [-9223372036854775808, -9223372036854775807, 9223372036854775806, 9223372036854775807, 9007199254740993]
// I64-NEXT: i64.out1: i64[5] =
// I64-NEXT: [9223372036854775807, -9223372036854775808, 9223372036854775805, 9223372036854775806, 9007199254740992]
// I64-NEXT: i64.out2: i64[] =
// I64-NEXT: -9223372036854775808
// RUN: %python %S/Inputs/write_npy.py %t/i8.npy '|i1' 4 -128,127,0,-1
// RUN: %python %S/Inputs/write_npy.py %t/i32.npy '<i4' 2x2 -2147483648,2147483647,16777217,-16777217
// RUN: %symjit-run %s --func small --input x=%t/i8.npy --input y=%t/i32.npy | FileCheck %s --check-prefix=SMALL
// SMALL:      small.out0: i8[4] =
// SMALL-NEXT: [-128, 127, 0, -1]
// SMALL-NEXT: small.out1: i32[2,2] =
// SMALL-NEXT: {{\[}}[-2147483648, 2147483647],
// SMALL-NEXT:  [16777217, -16777217]]
// SMALL-NEXT: small.out2: bool[4] =
// SMALL-NEXT: [True, False, False, True]
// RUN: %python %S/Inputs/write_npy.py %t/f32.npy '<f4' 8 0.1,-0.0,1e-45,3.4028234663852886e38,16777217,nan,-inf,0.3333333432674408
// RUN: %python %S/Inputs/write_npy.py %t/b.npy '<f8' 4 0.1,5e-324,1.7976931348623157e308,-0.5
// RUN: %python %S/Inputs/write_npy.py %t/c.npy '<f8' 4 0.2,0,1.7976931348623157e308,0.25
// RUN: %python %S/Inputs/write_npy.py %t/f16.npy '<f2' 4 0.1,65504,6e-08,-2.5
// RUN: %symjit-run %s --func floats --input a=%t/f32.npy --input b=%t/b.npy --input c=%t/c.npy --input h=%t/f16.npy | FileCheck %s --check-prefix=FLOAT
// FLOAT:      floats.out0: f32[8] =
// FLOAT-NEXT: [0.1, -0, 1e-45, 3.4028235e+38, 16777216, nan, -inf, 0.33333334]
// FLOAT-NEXT: floats.out1: f64[4] =
// FLOAT-NEXT: [0.30000000000000004, 5e-324, inf, -0.25]
// FLOAT-NEXT: floats.out2: f16[4] =
// FLOAT-NEXT: [0.1, 65504, 6e-08, -2.5]
// An empty tensor prints as [] however long its other dims (walking 2^40
// empty rows would print for hours):
// RUN: %symjit-run %s --func empty | FileCheck %s --check-prefix=EMPTY
// EMPTY:      empty.out0: f32[1099511627776,1048576,0] =
// EMPTY-NEXT: []
// EMPTY-NEXT: empty.out1: i32[0] =
// EMPTY-NEXT: []
func @empty(%x: f32[1099511627776,1048576,0], %y: i32[0]) -> (f32[1099511627776,1048576,0], i32[0]) {
  %0 = neg %x : f32[1099511627776,1048576,0]
  return %0, %y
}

func @i64(%x: i64[?]) -> (i64[?], i64[?], i64[]) {
  %c = constant {value = 1} : i64[]
  %0 = sub %x, %c : i64[?]
  %1 = min %x {axes = [0]} : i64[]
  return %x, %0, %1
}

func @small(%x: i8[?], %y: i32[?,?]) -> (i8[?], i32[?,?], bool[?]) {
  %z = constant {value = 0} : i8[]
  %0 = lt %x, %z : bool[?]
  return %x, %y, %0
}

func @floats(%a: f32[?], %b: f64[?], %c: f64[?], %h: f16[?]) -> (f32[?], f64[?], f16[?]) {
  %0 = add %b, %c : f64[?]
  return %a, %0, %h
}
