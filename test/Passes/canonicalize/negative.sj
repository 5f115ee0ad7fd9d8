// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// Without --fast-math, float x - x, x / x and x * 0 stay: NaN - NaN is NaN,
// inf - inf is NaN, 0 / 0 is NaN, inf * 0 is NaN and -1 * 0 is -0.
// CHECK-LABEL: func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %a = sub %x, %x : f32[4]
// CHECK-NEXT:   %b = div %x, %x : f32[4]
// CHECK-NEXT:   %c = mul %x, %z : f32[4]
// CHECK-NEXT:   %d = mul %z, %x : f32[4]
// CHECK-NEXT:   return %a, %b, %c, %d
// CHECK-NEXT: }
func @floats(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
  %z = constant {value = 0.0} : f32[]
  %a = sub %x, %x : f32[4]
  %b = div %x, %x : f32[4]
  %c = mul %x, %z : f32[4]
  %d = mul %z, %x : f32[4]
  return %a, %b, %c, %d
}
// -----
// Signed zeros: x + (+0.0) is +0.0 for x = -0.0, and x - (-0.0) likewise,
// so neither is x without --fast-math.
// CHECK-LABEL: func @zeros(%x: f64[4]) -> (f64[4], f64[4], f64[4]) {
// CHECK-NEXT:   %pz = constant {value = 0.0} : f64[]
// CHECK-NEXT:   %nz = constant {value = -0.0} : f64[]
// CHECK-NEXT:   %a = add %x, %pz : f64[4]
// CHECK-NEXT:   %b = add %pz, %x : f64[4]
// CHECK-NEXT:   %c = sub %x, %nz : f64[4]
// CHECK-NEXT:   return %a, %b, %c
// CHECK-NEXT: }
func @zeros(%x: f64[4]) -> (f64[4], f64[4], f64[4]) {
  %pz = constant {value = 0.0} : f64[]
  %nz = constant {value = -0.0} : f64[]
  %a = add %x, %pz : f64[4]
  %b = add %pz, %x : f64[4]
  %c = sub %x, %nz : f64[4]
  return %a, %b, %c
}
// -----
// x * 1 and x + 0 where the constant broadcasts x to a larger shape are not x.
// CHECK-LABEL: func @bcast(%x: f32[4], %i: i32[4]) -> (f32[3,4], i32[2,4]) {
// CHECK-NEXT:   %one = constant {value = 1.0} : f32[3,4]
// CHECK-NEXT:   %a = mul %x, %one : f32[3,4]
// CHECK-NEXT:   %z = constant {value = 0} : i32[2,1]
// CHECK-NEXT:   %b = add %i, %z : i32[2,4]
// CHECK-NEXT:   return %a, %b
// CHECK-NEXT: }
func @bcast(%x: f32[4], %i: i32[4]) -> (f32[3,4], i32[2,4]) {
  %one = constant {value = 1.0} : f32[3,4]
  %a = mul %x, %one : f32[3,4]
  %z = constant {value = 0} : i32[2,1]
  %b = add %i, %z : i32[2,4]
  return %a, %b
}
// -----
// Integer x / x is not 1: 0 / 0 is 0 in symjit. Dynamic shapes cannot become
// constants. A dense constant is not a splat. 0 - x is not neg x for floats
// (0 - 0 is +0, neg 0 is -0), and NaN or -1 are not identities (x / -1 is
// neg x, mul-neg-one, not x).
// CHECK-LABEL: func @keep(%x: i32[4], %y: i32[?], %w: f32[2]) -> (i32[4], i32[?], f32[2], f32[2], f32[2], f32[2]) {
// CHECK-NEXT:   %a = div %x, %x : i32[4]
// CHECK-NEXT:   %b = sub %y, %y : i32[?]
// CHECK-NEXT:   %d = constant {value = dense<[1.0, 1.0]>} : f32[2]
// CHECK-NEXT:   %c = mul %w, %d : f32[2]
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %e = sub %z, %w : f32[2]
// CHECK-NEXT:   %nan = constant {value = nan} : f32[]
// CHECK-NEXT:   %f = mul %w, %nan : f32[2]
// CHECK-NEXT:   %0 = neg %w : f32[2]
// CHECK-NEXT:   return %a, %b, %c, %e, %f, %0
// CHECK-NEXT: }
func @keep(%x: i32[4], %y: i32[?], %w: f32[2]) -> (i32[4], i32[?], f32[2], f32[2], f32[2], f32[2]) {
  %a = div %x, %x : i32[4]
  %b = sub %y, %y : i32[?]
  %d = constant {value = dense<[1.0, 1.0]>} : f32[2]
  %c = mul %w, %d : f32[2]
  %z = constant {value = 0.0} : f32[]
  %e = sub %z, %w : f32[2]
  %nan = constant {value = nan} : f32[]
  %f = mul %w, %nan : f32[2]
  %m1 = constant {value = -1.0} : f32[]
  %g = div %w, %m1 : f32[2]
  return %a, %b, %c, %e, %f, %g
}
// -----
// Lossy first casts: f64 -> f32 rounds, i32 -> f32 rounds above 2^24,
// i32 -> i8 wraps, f32 -> i32 truncates, i8 -> bool loses the value.
// CHECK-LABEL: func @casts(%d: f64[4], %i: i32[4], %x: f32[4], %b: i8[4]) -> (f64[4], i32[4], i32[4], f32[4], i8[4]) {
// CHECK-NEXT:   %d1 = cast %d : f32[4]
// CHECK-NEXT:   %d2 = cast %d1 : f64[4]
// CHECK-NEXT:   %i1 = cast %i : f32[4]
// CHECK-NEXT:   %i2 = cast %i1 : i32[4]
// CHECK-NEXT:   %j1 = cast %i : i8[4]
// CHECK-NEXT:   %j2 = cast %j1 : i32[4]
// CHECK-NEXT:   %x1 = cast %x : i32[4]
// CHECK-NEXT:   %x2 = cast %x1 : f32[4]
// CHECK-NEXT:   %b1 = cast %b : bool[4]
// CHECK-NEXT:   %b2 = cast %b1 : i8[4]
// CHECK-NEXT:   return %d2, %i2, %j2, %x2, %b2
// CHECK-NEXT: }
func @casts(%d: f64[4], %i: i32[4], %x: f32[4], %b: i8[4]) -> (f64[4], i32[4], i32[4], f32[4], i8[4]) {
  %d1 = cast %d : f32[4]
  %d2 = cast %d1 : f64[4]
  %i1 = cast %i : f32[4]
  %i2 = cast %i1 : i32[4]
  %j1 = cast %i : i8[4]
  %j2 = cast %j1 : i32[4]
  %x1 = cast %x : i32[4]
  %x2 = cast %x1 : f32[4]
  %b1 = cast %b : bool[4]
  %b2 = cast %b1 : i8[4]
  return %d2, %i2, %j2, %x2, %b2
}
// -----
// transpose(transpose) folds, but the inner transpose stays while used; a
// reshape of a transpose is not a reshape chain.
// CHECK-LABEL: func @shapes(%x: f32[2,3]) -> (f32[3,2], f32[2,3], f32[6]) {
// CHECK-NEXT:   %t1 = transpose %x {perm = [1, 0]} : f32[3,2]
// CHECK-NEXT:   %r = reshape %t1 : f32[6]
// CHECK-NEXT:   return %t1, %x, %r
// CHECK-NEXT: }
func @shapes(%x: f32[2,3]) -> (f32[3,2], f32[2,3], f32[6]) {
  %t1 = transpose %x {perm = [1, 0]} : f32[3,2]
  %t2 = transpose %t1 {perm = [1, 0]} : f32[2,3]
  %r = reshape %t1 : f32[6]
  return %t1, %t2, %r
}
