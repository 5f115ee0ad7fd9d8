// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// Multiplicative canonical form without --fast-math: only the rewrites
// that give the same IEEE result for every input (docs/fast-math.md).
// x * -1, -1 * x and x / -1 are neg x (ints too: INT_MIN / -1 is INT_MIN,
// which is neg INT_MIN).
// CHECK-LABEL: func @negone(%x: f32[4], %i: i32[4], %s: f32[]) -> (f32[4], f32[4], f32[4], i32[4], i32[4], f32[4]) {
// CHECK-NEXT:   %0 = neg %x : f32[4]
// CHECK-NEXT:   %1 = neg %x : f32[4]
// CHECK-NEXT:   %2 = neg %x : f32[4]
// CHECK-NEXT:   %3 = neg %i : i32[4]
// CHECK-NEXT:   %4 = neg %i : i32[4]
// CHECK-NEXT:   %5 = neg %s : f32[]
// CHECK-NEXT:   %6 = broadcast_to %5 : f32[4]
// CHECK-NEXT:   return %0, %1, %2, %3, %4, %6
// CHECK-NEXT: }
func @negone(%x: f32[4], %i: i32[4], %s: f32[]) -> (f32[4], f32[4], f32[4], i32[4], i32[4], f32[4]) {
  %m1 = constant {value = -1.0} : f32[]
  %im1 = constant {value = -1} : i32[]
  %a = mul %x, %m1 : f32[4]
  %b = mul %m1, %x : f32[4]
  %c = div %x, %m1 : f32[4]
  %d = div %i, %im1 : i32[4]
  %e = mul %im1, %i : i32[4]
  %m14 = constant {value = -1.0} : f32[4]
  %f = mul %s, %m14 : f32[4]
  return %a, %b, %c, %d, %e, %f
}
// -----
// Negations move into constants and cancel in pairs (round-to-nearest is
// symmetric in sign); for ints only in products: (-x) / c is not x / (-c)
// at INT_MIN.
// CHECK-LABEL: func @negs(%x: f32[4], %y: f32[4], %i: i32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], i32[4], i32[4]) {
// CHECK-NEXT:   %i3 = constant {value = 3} : i32[]
// CHECK-NEXT:   %ni = neg %i : i32[4]
// CHECK-NEXT:   %0 = mul %x, %y : f32[4]
// CHECK-NEXT:   %1 = div %x, %y : f32[4]
// CHECK-NEXT:   %2 = constant {value = -3.0} : f32[]
// CHECK-NEXT:   %3 = mul %2, %x : f32[4]
// CHECK-NEXT:   %4 = constant {value = -3.0} : f32[]
// CHECK-NEXT:   %5 = div %x, %4 : f32[4]
// CHECK-NEXT:   %6 = constant {value = -3.0} : f32[]
// CHECK-NEXT:   %7 = div %6, %x : f32[4]
// CHECK-NEXT:   %8 = constant {value = -3} : i32[]
// CHECK-NEXT:   %9 = mul %i, %8 : i32[4]
// CHECK-NEXT:   %g = div %ni, %i3 : i32[4]
// CHECK-NEXT:   return %0, %1, %3, %5, %7, %9, %g
// CHECK-NEXT: }
func @negs(%x: f32[4], %y: f32[4], %i: i32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], i32[4], i32[4]) {
  %c3 = constant {value = 3.0} : f32[]
  %i3 = constant {value = 3} : i32[]
  %nx = neg %x : f32[4]
  %ny = neg %y : f32[4]
  %ni = neg %i : i32[4]
  %a = mul %nx, %ny : f32[4]
  %b = div %nx, %ny : f32[4]
  %c = mul %c3, %nx : f32[4]
  %d = div %nx, %c3 : f32[4]
  %e = div %c3, %nx : f32[4]
  %f = mul %ni, %i3 : i32[4]
  %g = div %ni, %i3 : i32[4]
  return %a, %b, %c, %d, %e, %f, %g
}
// -----
// Division by ±2^k is multiplication by the exact inverse (the same real
// number, rounded once). Not for 3 (1/3 rounds), not where 1/c is not a
// normal number (c = 2^127 in f32: 2^-127 is subnormal), not for ints
// (7 / 2 is 3, 7 * 0.5 is not an int op).
// CHECK-LABEL: func @recip(%x: f32[4], %d: f64[4], %i: i32[4]) -> (f32[4], f32[4], f64[4], f32[4], f32[4], i32[4]) {
// CHECK-NEXT:   %c3 = constant {value = 3.0} : f32[]
// CHECK-NEXT:   %big = constant {value = 1.7014118346046923e+38} : f32[]
// CHECK-NEXT:   %i2 = constant {value = 2} : i32[]
// CHECK-NEXT:   %0 = constant {value = 0.25} : f32[]
// CHECK-NEXT:   %1 = mul %x, %0 : f32[4]
// CHECK-NEXT:   %2 = constant {value = -2.0} : f32[]
// CHECK-NEXT:   %3 = mul %x, %2 : f32[4]
// CHECK-NEXT:   %4 = constant {value = 0.0009765625} : f64[]
// CHECK-NEXT:   %5 = mul %d, %4 : f64[4]
// CHECK-NEXT:   %e = div %x, %c3 : f32[4]
// CHECK-NEXT:   %f = div %x, %big : f32[4]
// CHECK-NEXT:   %g = div %i, %i2 : i32[4]
// CHECK-NEXT:   return %1, %3, %5, %e, %f, %g
// CHECK-NEXT: }
func @recip(%x: f32[4], %d: f64[4], %i: i32[4]) -> (f32[4], f32[4], f64[4], f32[4], f32[4], i32[4]) {
  %c4 = constant {value = 4.0} : f32[]
  %cm05 = constant {value = -0.5} : f32[]
  %c1k = constant {value = 1024.0} : f64[]
  %c3 = constant {value = 3.0} : f32[]
  %big = constant {value = 1.7014118346046923e38} : f32[]
  %i2 = constant {value = 2} : i32[]
  %a = div %x, %c4 : f32[4]
  %b = div %x, %cm05 : f32[4]
  %c = div %d, %c1k : f64[4]
  %e = div %x, %c3 : f32[4]
  %f = div %x, %big : f32[4]
  %g = div %i, %i2 : i32[4]
  return %a, %b, %c, %e, %f, %g
}
// -----
// Constant factors: ints merge always (modulo 2^32: 65536 * 65536 is 0);
// floats when exact: 2 * (3 * x) -> 6 * x (c1 = 2^b, c2 an integer), 3 * (4
// * x) -> 12 * x (c2 = 2^a, |c1| >= 1). Not exact, so kept: 0.5 * (3 * x)
// (3x may overflow where 1.5x does not), 3 * (1.5 * x) (1.5x rounds among
// subnormals), (x * 2) / 4, which becomes (x * 2) * 0.25 (x * 2 overflows
// for |x| > max/2), (x / 3) / 3.
// CHECK-LABEL: func @consts(%x: f32[4], %i: i32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], i32[4], i32[4]) {
// CHECK-NEXT:   %c2 = constant {value = 2.0} : f32[]
// CHECK-NEXT:   %c3 = constant {value = 3.0} : f32[]
// CHECK-NEXT:   %h = constant {value = 0.5} : f32[]
// CHECK-NEXT:   %c15 = constant {value = 1.5} : f32[]
// CHECK-NEXT:   %x3 = mul %c3, %x : f32[4]
// CHECK-NEXT:   %0 = constant {value = 6.0} : f32[]
// CHECK-NEXT:   %1 = mul %x, %0 : f32[4]
// CHECK-NEXT:   %2 = constant {value = 12.0} : f32[]
// CHECK-NEXT:   %3 = mul %x, %2 : f32[4]
// CHECK-NEXT:   %c = mul %h, %x3 : f32[4]
// CHECK-NEXT:   %x15 = mul %x, %c15 : f32[4]
// CHECK-NEXT:   %d = mul %c3, %x15 : f32[4]
// CHECK-NEXT:   %x2 = mul %x, %c2 : f32[4]
// CHECK-NEXT:   %4 = constant {value = 0.25} : f32[]
// CHECK-NEXT:   %5 = mul %x2, %4 : f32[4]
// CHECK-NEXT:   %xd3 = div %x, %c3 : f32[4]
// CHECK-NEXT:   %f = div %xd3, %c3 : f32[4]
// CHECK-NEXT:   %6 = constant {value = 35} : i32[]
// CHECK-NEXT:   %7 = mul %i, %6 : i32[4]
// CHECK-NEXT:   %8 = constant {value = 0} : i32[4]
// CHECK-NEXT:   return %1, %3, %c, %d, %5, %f, %7, %8
// CHECK-NEXT: }
func @consts(%x: f32[4], %i: i32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], i32[4], i32[4]) {
  %c2 = constant {value = 2.0} : f32[]
  %c3 = constant {value = 3.0} : f32[]
  %c4 = constant {value = 4.0} : f32[]
  %h = constant {value = 0.5} : f32[]
  %c15 = constant {value = 1.5} : f32[]
  %i5 = constant {value = 5} : i32[]
  %i7 = constant {value = 7} : i32[]
  %i64k = constant {value = 65536} : i32[]
  %x3 = mul %c3, %x : f32[4]
  %a = mul %c2, %x3 : f32[4]
  %x4 = mul %x, %c4 : f32[4]
  %b = mul %c3, %x4 : f32[4]
  %c = mul %h, %x3 : f32[4]
  %x15 = mul %x, %c15 : f32[4]
  %d = mul %c3, %x15 : f32[4]
  %x2 = mul %x, %c2 : f32[4]
  %e = div %x2, %c4 : f32[4]
  %xd3 = div %x, %c3 : f32[4]
  %f = div %xd3, %c3 : f32[4]
  %i5x = mul %i, %i5 : i32[4]
  %g = mul %i7, %i5x : i32[4]
  %ik = mul %i, %i64k : i32[4]
  %k = mul %ik, %i64k : i32[4]
  return %a, %b, %c, %d, %e, %f, %g, %k
}
// -----
// Constant merges keep the result type: splat constants of any shape
// broadcast into the merged constant's type.
// CHECK-LABEL: func @bconsts(%x: f32[4]) -> (f32[3,4]) {
// CHECK-NEXT:   %0 = constant {value = 6.0} : f32[3,1]
// CHECK-NEXT:   %1 = mul %x, %0 : f32[3,4]
// CHECK-NEXT:   return %1
// CHECK-NEXT: }
func @bconsts(%x: f32[4]) -> (f32[3,4]) {
  %c2 = constant {value = 2.0} : f32[3,1]
  %c3 = constant {value = 3.0} : f32[]
  %x3 = mul %x, %c3 : f32[4]
  %a = mul %x3, %c2 : f32[3,4]
  return %a
}
// -----
// Common factors never cancel without --fast-math (x = 0 or inf gives NaN,
// x * y may overflow): mul-fast-math.sj.
// CHECK-LABEL: func @nocancel(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4]) {
// CHECK-NEXT:   %xy = mul %x, %y : f32[4]
// CHECK-NEXT:   %a = div %xy, %x : f32[4]
// CHECK-NEXT:   %xdy = div %x, %y : f32[4]
// CHECK-NEXT:   %b = div %xdy, %x : f32[4]
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @nocancel(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4]) {
  %xy = mul %x, %y : f32[4]
  %a = div %xy, %x : f32[4]
  %xdy = div %x, %y : f32[4]
  %b = div %xdy, %x : f32[4]
  return %a, %b
}
