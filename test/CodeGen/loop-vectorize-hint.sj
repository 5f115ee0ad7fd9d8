// {loop.vectorize = W} on a `for` (decision 0042) becomes the loop's
// llvm.loop metadata: llvm.loop.vectorize.enable, plus
// llvm.loop.vectorize.width W when W > 0; a loop without it gets no
// llvm.loop node (MD).
// The hint lets LLVM vectorize the 12-iteration OW loop of LeNet's max-pool
// gradient (the direct form of decision 0040, lowered here from @mpg), which
// needs run-time checks that LLVM's cost model refuses for so short a loop:
// @nohint_k0, the same kernel without the hint (the lowering's output with
// the attribute removed), stays scalar (VEC).
// A hinted loop LLVM cannot vectorize (@d_k0: each iteration reads what the
// one before stored) makes LLVM warn "loop not vectorized"; codegen drops
// LLVM's warnings, the library does not print (VEC-NOT: warning).
// REQUIRES: avx2
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s --check-prefix=MD
// RUN: %symjit-opt %s --passes=lower-to-loops --emit-llvm 2>&1 | FileCheck %s --check-prefix=VEC

// MD-LABEL: define internal void @sjk_h_k0.impl(
// MD: br label %loop, !llvm.loop ![[$A:[0-9]+]]
// MD-LABEL: define internal void @sjk_w_k0.impl(
// MD: br label %loop, !llvm.loop ![[$B:[0-9]+]]
// MD-LABEL: define internal void @sjk_nohint_k0.impl.par0.impl(
// MD-NOT: !llvm.loop
// MD-LABEL: define internal void @sjk_d_k0.impl(
// MD: br label %loop, !llvm.loop ![[$A2:[0-9]+]]
// MD: ![[$A]] = distinct !{![[$A]], ![[E:[0-9]+]]}
// MD-NEXT: ![[E]] = !{!"llvm.loop.vectorize.enable", i1 true}
// MD-NEXT: ![[$B]] = distinct !{![[$B]], ![[E]], ![[W:[0-9]+]]}
// MD-NEXT: ![[W]] = !{!"llvm.loop.vectorize.width", i32 4}
// MD-NEXT: ![[$A2]] = distinct !{![[$A2]], ![[E]]}
// MD-NOT: !{{[0-9]+}} =

// VEC-NOT: warning
// VEC-LABEL: define internal void @sjk_nohint_k0.impl.par0(
// VEC-NOT: x float>
// VEC-NOT: llvm.loop
// VEC-LABEL: define void @sjk_nohint_k0(
// VEC-LABEL: define internal void @sjk_mpg_k0.impl.par0(
// VEC: x float>
// VEC: llvm.loop ![[$P:[0-9]+]]
// VEC-LABEL: define void @sjk_mpg_k0(
// VEC: ![[$P]] = distinct !{![[$P]], ![[Q:[0-9]+]]
// VEC: ![[Q]] = !{!"llvm.loop.isvectorized", i32 1}

kernel @h_k0(%in0: f32[12], %out0: f32[24]) {
  %c0 = constant {value = 0} : i64
  %c12 = constant {value = 12} : i64
  %c2 = constant {value = 2} : i64
  %c1 = constant {value = 1} : i64
  for %c0, %c12 {loop.vectorize = 0} (%i: i64) {
    %x = load %in0, %i : f32
    %j = mul %i, %c2 : i64
    %k = add %j, %c1 : i64
    %z = constant {value = 0.0} : f32
    store %x, %out0, %j
    store %z, %out0, %k
    yield
  }
  return
}
kernel @w_k0(%in0: f32[12], %out0: f32[12]) {
  %c0 = constant {value = 0} : i64
  %c12 = constant {value = 12} : i64
  for %c0, %c12 {loop.vectorize = 4} (%i: i64) {
    %x = load %in0, %i : f32
    %y = mul %x, %x : f32
    store %y, %out0, %i
    yield
  }
  return
}
kernel @nohint_k0(%in0: f32[?,20,24,24], %in1: f32[?,20,12,12], %out0: f32[?,20,24,24]) {
  %c0 = constant {value = 0} : i64
  %0 = dim %in1 {axis = 0} : i64
  %c20 = constant {value = 20} : i64
  %c12 = constant {value = 12} : i64
  %c24 = constant {value = 24} : i64
  %c2 = constant {value = 2} : i64
  %c1 = constant {value = 1} : i64
  parallel_for %c0, %0 (%1: i64) {
    for %c0, %c20 (%2: i64) {
      for %c0, %c12 (%3: i64) {
        for %c0, %c12 (%4: i64) {
          %5 = mul %3, %c2 : i64
          %6 = mul %4, %c2 : i64
          %7 = load %in1, %1, %2, %3, %4 : f32
          %8 = constant {value = -inf} : f32
          %9 = constant {value = 0.0} : f32
          %10 = clamp %5, %c24 : i64
          %11 = clamp %6, %c24 : i64
          %12 = load %in0, %1, %2, %10, %11 : f32
          %13 = ne %12, %12 : bool
          %14 = eq %8, %8 : bool
          %15 = gt %12, %8 : bool
          %16 = select %13, %14, %15 : bool
          %17 = select %16, %12, %8 : f32
          %18 = add %6, %c1 : i64
          %19 = clamp %5, %c24 : i64
          %20 = clamp %18, %c24 : i64
          %21 = load %in0, %1, %2, %19, %20 : f32
          %22 = ne %21, %21 : bool
          %23 = eq %17, %17 : bool
          %24 = gt %21, %17 : bool
          %25 = select %22, %23, %24 : bool
          %26 = select %25, %21, %17 : f32
          %27 = add %5, %c1 : i64
          %28 = clamp %27, %c24 : i64
          %29 = clamp %6, %c24 : i64
          %30 = load %in0, %1, %2, %28, %29 : f32
          %31 = ne %30, %30 : bool
          %32 = eq %26, %26 : bool
          %33 = gt %30, %26 : bool
          %34 = select %31, %32, %33 : bool
          %35 = select %34, %30, %26 : f32
          %36 = add %5, %c1 : i64
          %37 = add %6, %c1 : i64
          %38 = clamp %36, %c24 : i64
          %39 = clamp %37, %c24 : i64
          %40 = load %in0, %1, %2, %38, %39 : f32
          %41 = ne %40, %40 : bool
          %42 = eq %35, %35 : bool
          %43 = gt %40, %35 : bool
          %44 = select %41, %42, %43 : bool
          %45 = select %44, %40, %35 : f32
          %46 = select %44, %7, %9 : f32
          %47 = select %34, %7, %9 : f32
          %48 = select %44, %9, %47 : f32
          %49 = select %34, %34, %44 : bool
          %50 = select %25, %7, %9 : f32
          %51 = select %49, %9, %50 : f32
          %52 = select %25, %25, %49 : bool
          %53 = select %52, %9, %7 : f32
          store %53, %out0, %1, %2, %10, %11
          store %51, %out0, %1, %2, %19, %20
          store %48, %out0, %1, %2, %28, %29
          store %46, %out0, %1, %2, %38, %39
          yield
        }
        yield
      }
      yield
    }
    yield
  }
  return
}
kernel @d_k0(%in0: f32[?], %out0: f32[?]) {
  %c0 = constant {value = 0} : i64
  %c1 = constant {value = 1} : i64
  %n = dim %in0 {axis = 0} : i64
  %m = sub %n, %c1 : i64
  for %c0, %m {loop.vectorize = 0} (%i: i64) {
    %k = clamp %i, %n : i64
    %x = load %out0, %k : f32
    %y = mul %x, %x : f32
    %j = add %i, %c1 : i64
    %l = clamp %j, %n : i64
    store %y, %out0, %l
    yield
  }
  return
}
func @mpg(%x: f32[?,20,24,24], %g: f32[?,20,12,12]) -> (f32[?,20,24,24]) {
  %0 = max_pool2d_grad %x, %g {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[?,20,24,24]
  return %0
}
