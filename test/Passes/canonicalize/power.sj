// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// Power specialization without --fast-math: every rewrite keeps pow's IEEE
// result (docs/fast-math.md). x**0 is 1 (pow(NaN, 0) is 1 too), x**1 is x,
// x**-1 is 1/x, x**2 is x*x.
// CHECK-LABEL: func @small(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %0 = constant {value = 1.0} : f32[4]
// CHECK-NEXT:   %1 = constant {value = 1.0} : f32[]
// CHECK-NEXT:   %2 = div %1, %x : f32[4]
// CHECK-NEXT:   %3 = mul %x, %x : f32[4]
// CHECK-NEXT:   return %0, %x, %2, %3
// CHECK-NEXT: }
func @small(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4]) {
  %c0 = constant {value = 0.0} : f32[]
  %c1 = constant {value = 1.0} : f32[]
  %cm1 = constant {value = -1.0} : f32[]
  %c2 = constant {value = 2.0} : f32[]
  %a = pow %x, %c0 : f32[4]
  %b = pow %x, %c1 : f32[4]
  %c = pow %x, %cm1 : f32[4]
  %d = pow %x, %c2 : f32[4]
  return %a, %b, %c, %d
}
// -----
// Integer powers by repeated squaring, low bits first: x**3 = x * x², x**5
// = x * x⁴, x**16 = four squarings. Negative powers square 1/x, so that
// they overflow and underflow where pow does (power-exec.sj, @neg2).
// -0.0 as an exponent is 0.
// CHECK-LABEL: func @ints(%x: f64[2,3]) -> (f64[2,3], f64[2,3], f64[2,3], f64[2,3], f64[2,3], f64[2,3]) {
// CHECK-NEXT:   %0 = mul %x, %x : f64[2,3]
// CHECK-NEXT:   %1 = mul %x, %0 : f64[2,3]
// CHECK-NEXT:   %2 = mul %x, %x : f64[2,3]
// CHECK-NEXT:   %3 = mul %2, %2 : f64[2,3]
// CHECK-NEXT:   %4 = mul %x, %3 : f64[2,3]
// CHECK-NEXT:   %5 = mul %x, %x : f64[2,3]
// CHECK-NEXT:   %6 = mul %5, %5 : f64[2,3]
// CHECK-NEXT:   %7 = mul %6, %6 : f64[2,3]
// CHECK-NEXT:   %8 = mul %7, %7 : f64[2,3]
// CHECK-NEXT:   %9 = constant {value = 1.0} : f64[]
// CHECK-NEXT:   %10 = div %9, %x : f64[2,3]
// CHECK-NEXT:   %11 = mul %10, %10 : f64[2,3]
// CHECK-NEXT:   %12 = constant {value = 1.0} : f64[]
// CHECK-NEXT:   %13 = div %12, %x : f64[2,3]
// CHECK-NEXT:   %14 = mul %13, %13 : f64[2,3]
// CHECK-NEXT:   %15 = mul %13, %14 : f64[2,3]
// CHECK-NEXT:   %16 = constant {value = 1.0} : f64[2,3]
// CHECK-NEXT:   return %1, %4, %8, %11, %15, %16
// CHECK-NEXT: }
func @ints(%x: f64[2,3]) -> (f64[2,3], f64[2,3], f64[2,3], f64[2,3], f64[2,3], f64[2,3]) {
  %c3 = constant {value = 3.0} : f64[]
  %c5 = constant {value = 5.0} : f64[]
  %c16 = constant {value = 16.0} : f64[]
  %cm2 = constant {value = -2.0} : f64[]
  %cm3 = constant {value = -3.0} : f64[]
  %cmz = constant {value = -0.0} : f64[]
  %a = pow %x, %c3 : f64[2,3]
  %b = pow %x, %c5 : f64[2,3]
  %c = pow %x, %c16 : f64[2,3]
  %d = pow %x, %cm2 : f64[2,3]
  %e = pow %x, %cm3 : f64[2,3]
  %f = pow %x, %cmz : f64[2,3]
  return %a, %b, %c, %d, %e, %f
}
// -----
// x**0.5 and x**-0.5: sqrt and rsqrt of x + 0.0 (turns -0 into +0, as
// pow(-0, ±0.5) = +0 / +inf), and the value pow gives at -inf (+inf / +0,
// where sqrt(-inf) is NaN). With --fast-math: power-fast-math.sj.
// CHECK-LABEL: func @roots(%x: f32[?]) -> (f32[?], f32[?]) {
// CHECK-NEXT:   %0 = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %1 = add %x, %0 : f32[?]
// CHECK-NEXT:   %2 = sqrt %1 : f32[?]
// CHECK-NEXT:   %3 = constant {value = -inf} : f32[]
// CHECK-NEXT:   %4 = eq %x, %3 : bool[?]
// CHECK-NEXT:   %5 = constant {value = inf} : f32[]
// CHECK-NEXT:   %6 = select %4, %5, %2 : f32[?]
// CHECK-NEXT:   %7 = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %8 = add %x, %7 : f32[?]
// CHECK-NEXT:   %9 = rsqrt %8 : f32[?]
// CHECK-NEXT:   %10 = constant {value = -inf} : f32[]
// CHECK-NEXT:   %11 = eq %x, %10 : bool[?]
// CHECK-NEXT:   %12 = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %13 = select %11, %12, %9 : f32[?]
// CHECK-NEXT:   return %6, %13
// CHECK-NEXT: }
func @roots(%x: f32[?]) -> (f32[?], f32[?]) {
  %h = constant {value = 0.5} : f32[]
  %mh = constant {value = -0.5} : f32[]
  %a = pow %x, %h : f32[?]
  %b = pow %x, %mh : f32[?]
  return %a, %b
}
// -----
// Broadcasting: the exponent may widen x (x's power is broadcast to the
// result, static shapes only); a dynamic x**2 is fine (no constant of its
// shape is needed), a dynamic x**0 is not (1 would need one).
// CHECK-LABEL: func @bcast(%x: f32[4], %y: f32[?]) -> (f32[3,4], f32[3,4], f32[?], f32[?]) {
// CHECK-NEXT:   %z = constant {value = 0.0} : f32[]
// CHECK-NEXT:   %0 = mul %x, %x : f32[4]
// CHECK-NEXT:   %1 = broadcast_to %0 : f32[3,4]
// CHECK-NEXT:   %2 = constant {value = 1.0} : f32[3,4]
// CHECK-NEXT:   %3 = mul %y, %y : f32[?]
// CHECK-NEXT:   %d = pow %y, %z : f32[?]
// CHECK-NEXT:   return %1, %2, %3, %d
// CHECK-NEXT: }
func @bcast(%x: f32[4], %y: f32[?]) -> (f32[3,4], f32[3,4], f32[?], f32[?]) {
  %c2 = constant {value = 2.0} : f32[3,4]
  %c0 = constant {value = 0.0} : f32[3,1]
  %c1 = constant {value = 2.0} : f32[]
  %z = constant {value = 0.0} : f32[]
  %a = pow %x, %c2 : f32[3,4]
  %b = pow %x, %c0 : f32[3,4]
  %c = pow %y, %c1 : f32[?]
  %d = pow %y, %z : f32[?]
  return %a, %b, %c, %d
}
// -----
// Not rewritten: a non-constant exponent, 2.5, a dense (non-splat)
// exponent, |n| > 16, NaN and infinite exponents, a constant base (2**x is
// not a power of x).
// CHECK-LABEL: func @keep(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   %c25 = constant {value = 2.5} : f32[]
// CHECK-NEXT:   %dense = constant {value = dense<[2.0, 2.0, 2.0, 3.0]>} : f32[4]
// CHECK-NEXT:   %c17 = constant {value = 17.0} : f32[]
// CHECK-NEXT:   %cm17 = constant {value = -17.0} : f32[]
// CHECK-NEXT:   %nan = constant {value = nan} : f32[]
// CHECK-NEXT:   %inf = constant {value = inf} : f32[]
// CHECK-NEXT:   %two = constant {value = 2.0} : f32[]
// CHECK-NEXT:   %a = pow %x, %y : f32[4]
// CHECK-NEXT:   %b = pow %x, %c25 : f32[4]
// CHECK-NEXT:   %c = pow %x, %dense : f32[4]
// CHECK-NEXT:   %e = pow %x, %c17 : f32[4]
// CHECK-NEXT:   %f = pow %x, %cm17 : f32[4]
// CHECK-NEXT:   %g = pow %x, %nan : f32[4]
// CHECK-NEXT:   %h = pow %x, %inf : f32[4]
// CHECK-NEXT:   %i = pow %two, %x : f32[4]
// CHECK-NEXT:   return %a, %b, %c, %e, %f, %g, %h, %i
// CHECK-NEXT: }
func @keep(%x: f32[4], %y: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
  %c25 = constant {value = 2.5} : f32[]
  %dense = constant {value = dense<[2.0, 2.0, 2.0, 3.0]>} : f32[4]
  %c17 = constant {value = 17.0} : f32[]
  %cm17 = constant {value = -17.0} : f32[]
  %nan = constant {value = nan} : f32[]
  %inf = constant {value = inf} : f32[]
  %two = constant {value = 2.0} : f32[]
  %a = pow %x, %y : f32[4]
  %b = pow %x, %c25 : f32[4]
  %c = pow %x, %dense : f32[4]
  %e = pow %x, %c17 : f32[4]
  %f = pow %x, %cm17 : f32[4]
  %g = pow %x, %nan : f32[4]
  %h = pow %x, %inf : f32[4]
  %i = pow %two, %x : f32[4]
  return %a, %b, %c, %e, %f, %g, %h, %i
}
// -----
// Scalars in fused bodies.
// CHECK-LABEL: func @f(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %r = fused %x : f32[4] (%p: f32) {
// CHECK-NEXT:     %0 = mul %p, %p : f32
// CHECK-NEXT:     %1 = mul %p, %0 : f32
// CHECK-NEXT:     yield %1
// CHECK-NEXT:   }
// CHECK-NEXT:   return %r
// CHECK-NEXT: }
func @f(%x: f32[4]) -> (f32[4]) {
  %r = fused %x : f32[4] (%p: f32) {
    %c = constant {value = 3.0} : f32
    %q = pow %p, %c : f32
    yield %q
  }
  return %r
}
// -----
// f16/bf16: pow computes in f32 and rounds once; an expansion would round
// to the half dtype at every multiply, so only x**2 and x**-1 (one rounding
// each) are expanded. x**3, x**-2 stay.
// CHECK-LABEL: func @half(%x: f16[4], %b: bf16[4]) -> (f16[4], f16[4], f16[4], bf16[4], bf16[4]) {
// CHECK-NEXT:   %c3 = constant {value = 3.0} : f16[]
// CHECK-NEXT:   %cm2 = constant {value = -2.0} : bf16[]
// CHECK-NEXT:   %0 = mul %x, %x : f16[4]
// CHECK-NEXT:   %1 = constant {value = 1.0} : f16[]
// CHECK-NEXT:   %2 = div %1, %x : f16[4]
// CHECK-NEXT:   %e = pow %x, %c3 : f16[4]
// CHECK-NEXT:   %f = pow %b, %cm2 : bf16[4]
// CHECK-NEXT:   %3 = mul %b, %b : bf16[4]
// CHECK-NEXT:   return %0, %2, %e, %f, %3
// CHECK-NEXT: }
func @half(%x: f16[4], %b: bf16[4]) -> (f16[4], f16[4], f16[4], bf16[4], bf16[4]) {
  %c2 = constant {value = 2.0} : f16[]
  %cm1 = constant {value = -1.0} : f16[]
  %c3 = constant {value = 3.0} : f16[]
  %cm2 = constant {value = -2.0} : bf16[]
  %b2 = constant {value = 2.0} : bf16[]
  %a = pow %x, %c2 : f16[4]
  %d = pow %x, %cm1 : f16[4]
  %e = pow %x, %c3 : f16[4]
  %f = pow %b, %cm2 : bf16[4]
  %g = pow %b, %b2 : bf16[4]
  return %a, %d, %e, %f, %g
}
