// Native half arithmetic by option (--gpu-native-f16, sj_compile_options.
// gpu_native_f16; decision 0038): f16 add, sub, mul, neg everywhere, f16
// max/min from sm_80; bf16 neg, abs, max, min from sm_80 and add, sub, mul
// on sm_90, each where LLVM 19's NVPTX selects it (a half op it cannot
// select aborts the process: bf16 maximum below sm_80). exp and the
// division stay in f32 (widen, compute, round once). Without the option,
// f16 already comes out native at -O (LLVM narrows fptrunc(op(fpext a,
// fpext b)) itself, exact for these ops) and bf16 computes in f32.
// ptxas: native-half-ptxas.test.
// REQUIRES: nvptx
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_80 --gpu-native-f16 --emit-ptx | FileCheck %s --check-prefixes=F16-80,BF16-80
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_70 --gpu-native-f16 --emit-ptx | FileCheck %s --check-prefixes=F16-70,BF16-70
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_75 --gpu-native-f16 --emit-ptx | FileCheck %s --check-prefixes=F16-70,BF16-70
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_90 --gpu-native-f16 --emit-ptx | FileCheck %s --check-prefixes=F16-80,BF16-90
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_90 --emit-ptx | FileCheck %s --check-prefixes=F16-80,OFF-90
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_90 --gpu-native-f16 --emit-llvm | FileCheck %s --check-prefix=IR
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_90 --emit-llvm | FileCheck %s --check-prefix=IR-OFF

kernel @h(%a: f16[?], %b: f16[?], %o: f16[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %a {axis = 0} : i64
  parallel_for %c0, %n (%i: i64) {
    %x = load %a, %i : f16
    %y = load %b, %i : f16
    %s = add %x, %y : f16
    %m = mul %s, %x : f16
    %d = sub %m, %y : f16
    %g = neg %d : f16
    %q = maximum %g, %x : f16
    %e = exp %q : f16
    %r = div %e, %y : f16
    store %r, %o, %i
    yield
  }
  return
}

kernel @b(%a: bf16[?], %b: bf16[?], %o: bf16[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %a {axis = 0} : i64
  parallel_for %c0, %n (%i: i64) {
    %x = load %a, %i : bf16
    %y = load %b, %i : bf16
    %s = add %x, %y : bf16
    %m = mul %s, %x : bf16
    %d = sub %m, %y : bf16
    %q = minimum %d, %x : bf16
    %g = abs %q : bf16
    %r = div %g, %y : bf16
    store %r, %o, %i
    yield
  }
  return
}

// F16-80-LABEL: .visible .entry sjk_h(
// F16-80:      ld.global.nc.u16 [[X:%rs[0-9]+]],
// F16-80:      ld.global.nc.u16 [[Y:%rs[0-9]+]],
// F16-80-NEXT: add.rn.f16 [[S:%rs[0-9]+]], [[X]], [[Y]];
// F16-80-NEXT: mul.rn.f16 [[M:%rs[0-9]+]], [[X]], [[S]];
// F16-80-NEXT: sub.rn.f16 [[D:%rs[0-9]+]], [[M]], [[Y]];
// F16-80-NEXT: neg.f16 [[G:%rs[0-9]+]], [[D]];
// F16-80-NEXT: max.NaN.f16 [[Q:%rs[0-9]+]], [[G]], [[X]];
// F16-80-NEXT: cvt.f32.f16 {{%f[0-9]+}}, [[Q]];
// F16-80:      ex2.approx.ftz.f32
// F16-80:      div.rn.f32
// F16-80:      cvt.rn.f16.f32
// F16-80:      st.global.b16

// F16-70-LABEL: .visible .entry sjk_h(
// F16-70:      add.rn.f16
// F16-70-NEXT: mul.rn.f16
// F16-70-NEXT: sub.rn.f16
// F16-70-NEXT: neg.f16
// no max.NaN.f16 below sm_80: LLVM emulates the NaN-propagating maximum
// F16-70-NOT:  max.NaN.f16
// F16-70:      setp.nan.f16
// F16-70:      div.rn.f32

// BF16-80-LABEL: .visible .entry sjk_b(
// BF16-80-NOT: {{(add|mul|sub).rn.bf16}}
// BF16-80:     min.NaN.bf16
// BF16-80:     and.b16 {{%rs[0-9]+}}, {{%rs[0-9]+}}, 32767;
// BF16-80:     div.rn.f32
// BF16-90-LABEL: .visible .entry sjk_b(
// BF16-90:      add.rn.bf16 [[S:%rs[0-9]+]],
// BF16-90-NEXT: mul.rn.bf16 [[M:%rs[0-9]+]], {{%rs[0-9]+}}, [[S]];
// BF16-90-NEXT: sub.rn.bf16 [[D:%rs[0-9]+]], [[M]],
// BF16-90-NEXT: min.NaN.bf16 [[Q:%rs[0-9]+]], [[D]],
// BF16-90-NEXT: and.b16 {{%rs[0-9]+}}, [[Q]], 32767;
// BF16-90:      div.rn.f32
// BF16-70-LABEL: .visible .entry sjk_b(
// BF16-70-NOT: bf16
// BF16-70:     min.f32
// BF16-70-NOT: bf16
// BF16-70:     ret;
// OFF-90-LABEL: .visible .entry sjk_b(
// OFF-90-NOT:  .bf16
// each op in f32, rounded to bf16 in integer code in between
// OFF-90:      add.rn.f32
// OFF-90:      bfe.u32
// OFF-90:      mul.rn.f32
// OFF-90-NOT:  .bf16
// OFF-90:      ret;

// IR-LABEL: define void @sjk_b(
// IR:       fadd bfloat
// IR:       fmul bfloat
// IR:       fsub bfloat
// IR:       call bfloat @llvm.minimum.bf16(
// IR:       call bfloat @llvm.fabs.bf16(
// IR:       fdiv float
// IR-OFF-LABEL: define void @sjk_b(
// IR-OFF-NOT: {{(fadd|fmul|fsub) bfloat|bf16\(}}
// IR-OFF:     fadd float
// IR-OFF-NOT: {{(fadd|fmul|fsub) bfloat|bf16\(}}
// IR-OFF:     ret void
