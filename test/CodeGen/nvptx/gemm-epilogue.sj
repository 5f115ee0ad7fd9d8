// A gemm's per-element epilogue fused into its GEMM entry (nvptx_epi.c,
// decision 0038): the entry applies the epilogue kernel's column-loop body,
// emitted by the shared emitter, to each output after the fma loop, in the
// thread that computed it; the epilogue's loads of C take that value (no
// reload), C itself is stored only when something after the gemm reads it.
// An epilogue that is not per element (softmax over C's rows) keeps the
// plain entry and a launch of its own. ptxas: gemm-epilogue-ptxas.test.
// REQUIRES: nvptx
// RUN: %symjit-opt %s -O --target=nvptx --emit-ptx | FileCheck %s
// RUN: %symjit-opt %s -O --target=nvptx --emit-llvm | FileCheck %s --check-prefix=IR

// bias + tanh, static columns; C is read by nothing else
func @g(%a: f32[?,3], %b: f32[3,70], %v: f32[70]) -> (f32[?,70]) {
  %0 = matmul %a, %b : f32[?,70]
  %1 = add %0, %v : f32[?,70]
  %2 = tanh %1 : f32[?,70]
  return %2
}
// dynamic columns (the runtime checks the epilogue's are C's); C returned too
func @l(%a: f32[?,?], %b: f32[?,?], %v: f32[?]) -> (f32[?,?], f32[?,?]) {
  %0 = matmul %a, %b : f32[?,?]
  %1 = add %0, %v : f32[?,?]
  %2 = exp %1 : f32[?,?]
  return %0, %2
}
// a reduction over each row: not per element
func @s(%a: f32[?,3], %b: f32[3,70]) -> (f32[?,70]) {
  %0 = matmul %a, %b : f32[?,70]
  %1 = softmax %0 {axis = 1} : f32[?,70]
  return %1
}

// CHECK:      // gemm sjg_gemm_f32_nn$e0: block 256, tile 64 x 64, epilogue @g_k0 fused
// CHECK-NEXT: // gemm sjg_gemm_f32_nn$e1: block 256, tile 64 x 64, epilogue @l_k0 fused
// CHECK-NEXT: // gemm sjg_gemm_f32_nn: block 256, tile 64 x 64, epilogue @s_f2 launched after it: a loop that carries values or does not start at 0

// The GEMM's 13 parameters, then @g_k0's 3 pointers and 5 dims.
// CHECK-LABEL: .visible .entry sjg_gemm_f32_nn$e0(
// CHECK-COUNT-21: .param
// CHECK-NOT:  .param .
// CHECK:      .reqntid 256, 1, 1
// CHECK-NEXT: .maxnreg 128
// One output's epilogue: the bias through the non-coherent cache, the
// add, libdevice's tanhf (ex2.approx inside), the one store.
// CHECK:      ld.global.nc.f32 [[B:%f[0-9]+]], [%rd{{[0-9]+}}{{.*}}];
// CHECK-NEXT: add.rn.f32 [[X:%f[0-9]+]], [[ACC:%f[0-9]+]], [[B]];
// CHECK-NEXT: abs.f32 {{%f[0-9]+}}, [[X]];
// CHECK:      ex2.approx.ftz.f32
// CHECK:      st.global.f32
// CHECK:      bar.sync 0;
// The fma loop: 16 x 16 per K step.
// CHECK-COUNT-256: fma.rn.f32 %f{{[0-9]+}}, %f{{[0-9]+}}, %f{{[0-9]+}}, %f{{[0-9]+}};
// CHECK:      bar.sync 0;
// 15 more outputs, each one store: C is not stored.
// CHECK-COUNT-15: st.global.f32
// CHECK-NOT:  st.global
// CHECK-LABEL: .visible .entry sjg_gemm_f32_nn$e1(
// CHECK-COUNT-21: .param
// CHECK-NOT:  .param .
// C is stored, and the stored value is what the epilogue adds the bias to.
// CHECK:      st.global.f32 [%rd{{[0-9]+}}{{.*}}], [[C:%f[0-9]+]];
// CHECK-NEXT: ld.global.nc.f32 [[B:%f[0-9]+]], [%rd{{[0-9]+}}{{.*}}];
// CHECK-NEXT: add.rn.f32 {{%f[0-9]+}}, [[C]], [[B]];
// CHECK:      ex2.approx.ftz.f32
// CHECK:      st.global.f32
// CHECK-COUNT-256: fma.rn.f32 %f{{[0-9]+}}, %f{{[0-9]+}}, %f{{[0-9]+}}, %f{{[0-9]+}};
// CHECK-COUNT-30: st.global.f32
// CHECK-NOT:  st.global
// CHECK-LABEL: .visible .entry sjg_gemm_f32_nn(
// CHECK-COUNT-13: .param
// CHECK-NOT:  .param .
// CHECK-NOT:  ex2.approx

// C unread (readnone) and unstored in @g's entry; @l's stores it; the
// epilogue's own C parameter is never read (its loads are the value); the
// bias is noalias readonly (ld.global.nc); the result written only.
// IR:      define void @"sjg_gemm_f32_nn$e0"(ptr addrspace(1) noalias nocapture readonly %0, ptr addrspace(1) noalias nocapture readonly %1, ptr addrspace(1) nocapture readnone %2, ptr addrspace(1) nocapture readonly %3, i64 %4, i64 %5, i64 %6, i64 %7, i64 %8, i64 %9, i64 %10, double %11, double %12, ptr addrspace(1) nocapture readnone %13, ptr addrspace(1) noalias nocapture readonly %14, ptr addrspace(1) nocapture writeonly %15, i64 %16, i64 %17, i64 %18, i64 %19, i64 %20)
// IR:      define void @"sjg_gemm_f32_nn$e1"(ptr addrspace(1) noalias nocapture readonly %0, ptr addrspace(1) noalias nocapture readonly %1, ptr addrspace(1) nocapture writeonly %2, ptr addrspace(1) nocapture readonly %3, i64 %4, i64 %5, i64 %6, i64 %7, i64 %8, i64 %9, i64 %10, double %11, double %12, ptr addrspace(1) nocapture readnone %13, ptr addrspace(1) noalias nocapture readonly %14, ptr addrspace(1) nocapture writeonly %15, i64 %16, i64 %17, i64 %18, i64 %19, i64 %20)
// IR:      define void @sjg_gemm_f32_nn(ptr addrspace(1) noalias nocapture readonly %0, ptr addrspace(1) noalias nocapture readonly %1, ptr addrspace(1) nocapture writeonly %2, ptr addrspace(1) nocapture readonly %3, i64 %4, i64 %5, i64 %6, i64 %7, i64 %8, i64 %9, i64 %10, double %11, double %12)
