// Conversions into f16/bf16 round once, exactly, with no conversion libcall
// (__truncdfbf2, __truncsfbf2: the JIT may not find them): f64 rounds to odd
// at f32 first, i64 keeps 24 significant bits plus a sticky bit, and
// f32 -> bf16 is integer round-to-nearest-even. test/unit/dtypes.c runs
// every pair against a reference rounding.
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s --implicit-check-not=__trunc --implicit-check-not=__extend

// f64 -> bf16: nearest f32, then one ulp toward x when that rounded the
// wrong way for an odd last bit; then bits + 0x7fff + lsb, top half.
// CHECK-LABEL: define internal void @sjk_d2b.impl(
// CHECK: fptrunc double %[[X:.*]] to float
// CHECK: fcmp one double
// CHECK: call double @llvm.fabs.f64(
// CHECK: bitcast float %{{.*}} to i32
// CHECK: add i32 %{{.*}}, 32767
// CHECK: lshr i32 %{{.*}}, 16
// CHECK: trunc i32 %{{.*}} to i16
// CHECK: bitcast i16 %{{.*}} to bfloat
// CHECK-NOT: fptrunc {{.*}} to bfloat
// CHECK-LABEL: define void @sjk_d2b(
kernel @d2b(%in0: f64[4], %out0: bf16[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : f64
    %b = cast %a : bf16
    store %b, %out0, %i
    yield
  }
  return
}

// i64 -> f16: 24 significant bits with a sticky bit convert to f32 exactly,
// then one rounding to f16.
// CHECK-LABEL: define internal void @sjk_i2h.impl(
// CHECK: call i64 @llvm.ctlz.i64(
// CHECK: uitofp i64 %{{.*}} to float
// CHECK: fptrunc float %{{.*}} to half
// CHECK-LABEL: define void @sjk_i2h(
kernel @i2h(%in0: i64[4], %out0: f16[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %a = load %in0, %i : i64
    %b = cast %a : f16
    store %b, %out0, %i
    yield
  }
  return
}
