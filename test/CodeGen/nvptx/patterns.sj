// The PTX of the four kernel shapes (docs/gpu.md): a top-level parallel_for
// as a grid-stride loop (@ew: z = a*b + exp(c)*d, loads of read-only buffers
// through the non-coherent cache, exp from libdevice inlined: no call); a
// row reduction as one block per row (@rowlse: per reduction five
// butterfly shuffles, the warps' totals through shared memory between two
// barriers); a full reduction in two stages (@total: entry $s1 writes one
// part per block, the second entry folds them); f16 storage with f32
// compute (@half); two dependent phases in one block (@phases); short
// constant rows on one thread each (@shortrow). The PTX ISA is LLVM's
// minimum for the architecture.
// REQUIRES: nvptx
// RUN: %symjit-opt %s --target=nvptx --emit-ptx | FileCheck %s
// RUN: %symjit-opt %s --target=nvptx --gpu-arch=sm_90 --emit-ptx | FileCheck %s --check-prefix=SM90
// RUN: %symjit-opt %s --target=nvptx --emit-llvm | FileCheck %s --check-prefix=IR
// No calls and no external functions anywhere (libdevice inlined):
// RUN: %symjit-opt %s --target=nvptx --emit-ptx | FileCheck %s --check-prefix=NOCALL
// NOCALL-NOT: call
// NOCALL-NOT: .extern
// NOCALL-NOT: .func

// Each kernel's launch (gpu_abi.h), as symjit-opt lists it:
// CHECK:      // kernel sjk_ew: grid-stride, block 256, trips dim(4, 0)
// CHECK-NEXT: // kernel sjk_rowlse: block-per-row, block 256, trips dim(0, 0)
// CHECK-NEXT: // kernel sjk_total: two-stage, block 256, trips dim(0, 0), stage 1 sjk_total$s1
// CHECK-NEXT: // kernel sjk_half: grid-stride, block 256, trips dim(1, 0)
// CHECK-NEXT: // kernel sjk_phases: one-block, block 256, grid 1
// CHECK-NEXT: // kernel sjk_shortrow: grid-stride, block 256, trips dim(0, 0)
// CHECK:      .version 7.0
// CHECK-NEXT: .target sm_80
// CHECK-LABEL: .visible .entry sjk_ew(
// CHECK-COUNT-10: .param .u64 sjk_ew_param_{{[0-9]}}
// CHECK:      .reqntid 256, 1, 1
// CHECK:      mov.u32 %r[[CTA:[0-9]+]], %ctaid.x;
// CHECK:      mul.wide.u32 %rd{{[0-9]+}}, %r[[CTA]], 256;
// CHECK:      mov.u32 %r[[NCTA:[0-9]+]], %nctaid.x;
// CHECK:      mul.wide.u32 %rd[[STRIDE:[0-9]+]], %r[[NCTA]], 256;
// CHECK:      $L__BB0_[[LOOP:[0-9]+]]:
// CHECK-COUNT-4: ld.global.nc.f32
// CHECK:      ex2.approx.ftz.f32
// CHECK:      st.global.f32
// CHECK:      add.s64 %rd[[I:[0-9]+]], %rd[[I]], %rd[[STRIDE]];
// CHECK:      @%p{{[0-9]+}} bra $L__BB0_[[LOOP]];
// CHECK-LABEL: .visible .entry sjk_rowlse(
// CHECK:      .reqntid 256, 1, 1
// CHECK:      .shared .align 8 .b8 smem{{[0-9]+}}[32];
// CHECK:      ld.global.nc.f32
// CHECK:      max.NaN.f32
// CHECK:      shfl.sync.bfly.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, 16, 31, -1;
// CHECK:      shfl.sync.bfly.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, 8, 31, -1;
// CHECK:      shfl.sync.bfly.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, 4, 31, -1;
// CHECK:      shfl.sync.bfly.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, 2, 31, -1;
// CHECK:      shfl.sync.bfly.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, 1, 31, -1;
// CHECK:      st.shared.f32
// CHECK-NEXT: $L__BB1_{{[0-9]+}}:
// CHECK-NEXT: bar.sync 0;
// CHECK-NEXT: ld.shared
// CHECK:      bar.sync 0;
// CHECK:      ex2.approx.ftz.f32
// CHECK:      shfl.sync.bfly.b32 %r{{[0-9]+}}, %r{{[0-9]+}}, 1, 31, -1;
// CHECK:      st.global.f32
// CHECK-LABEL: .visible .entry sjk_total$s1(
// CHECK:      mov.u32 %r{{[0-9]+}}, %ctaid.x;
// CHECK:      shfl.sync.bfly.b32
// CHECK:      bar.sync 0;
// CHECK:      st.global.f32
// CHECK-LABEL: .visible .entry sjk_total(
// CHECK:      ld.param.u64 %rd{{[0-9]+}}, [sjk_total_param_4];
// CHECK:      ld.global.f32
// CHECK:      shfl.sync.bfly.b32
// CHECK:      st.global.f32
// CHECK-LABEL: .visible .entry sjk_half(
// CHECK:      ld.global.nc.u16
// CHECK:      cvt.f32.f16
// CHECK:      cvt.rn.f16.f32
// CHECK:      st.global.b16
// CHECK-LABEL: .visible .entry sjk_phases(
// CHECK:      mov.u32 %r{{[0-9]+}}, %tid.x;
// CHECK:      st.global.f32
// CHECK:      bar.sync 0;
// CHECK:      ld.global.f32
// CHECK:      st.global.f32
// CHECK-LABEL: .visible .entry sjk_shortrow(
// CHECK-NOT:  bar.sync
// CHECK-NOT:  shfl
// CHECK:      ret;

// SM90:      .version 7.8
// SM90-NEXT: .target sm_90

// The ABI: buffers as noalias global pointers (read-only ones readonly),
// then every dim by value; the two-stage entries add the scratch and its
// part count; entries are marked kernels with an exact block size.
// IR-LABEL: define void @sjk_ew(ptr addrspace(1) noalias nocapture readonly %0, ptr addrspace(1) noalias nocapture readonly %1, ptr addrspace(1) noalias nocapture readonly %2, ptr addrspace(1) noalias nocapture readonly %3, ptr addrspace(1) noalias nocapture writeonly %4, i64 %5, i64 %6, i64 %7, i64 %8, i64 %9)
// IR-NOT:   @llvm.exp
// IR-NOT:   @__nv_
// IR-LABEL: define void @"sjk_total$s1"(ptr addrspace(1) noalias nocapture readonly %0, ptr addrspace(1) noalias nocapture readnone %1, i64 %2, ptr addrspace(1) nocapture writeonly %3, i64 %4)
// IR-LABEL: define void @sjk_total(ptr addrspace(1) noalias nocapture readonly %0, ptr addrspace(1) noalias nocapture writeonly %1, i64 %2, ptr addrspace(1) nocapture readonly %3, i64 %4)
// IR: !nvvm.annotations = !{
// IR: !{ptr @sjk_ew, !"kernel", i32 1}
// IR-NEXT: !{ptr @sjk_ew, !"reqntidx", i32 256}

kernel @ew(%a: f32[?], %b: f32[?], %c: f32[?], %d: f32[?], %z: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %z {axis = 0} : i64
  parallel_for %c0, %n (%i: i64) {
    %x = load %a, %i : f32
    %y = load %b, %i : f32
    %u = load %c, %i : f32
    %v = load %d, %i : f32
    %p = mul %x, %y : f32
    %e = exp %u : f32
    %q = mul %e, %v : f32
    %r = add %p, %q : f32
    store %r, %z, %i
    yield
  }
  return
}

kernel @rowlse(%x: f32[?,?], %out: f32[?]) {
  %c0 = constant {value = 0} : i64
  %rows = dim %x {axis = 0} : i64
  %cols = dim %x {axis = 1} : i64
  parallel_for %c0, %rows (%r: i64) {
    %ninf = constant {value = -inf} : f32
    %m = for %c0, %cols, %ninf {combine = "maximum"} : f32 (%j: i64, %a: f32) {
      %v = load %x, %r, %j : f32
      %a2 = maximum %a, %v : f32
      yield %a2
    }
    %zero = constant {value = 0.0} : f32
    %s = for %c0, %cols, %zero {combine = "add"} : f32 (%k: i64, %b: f32) {
      %w = load %x, %r, %k : f32
      %t = sub %w, %m : f32
      %e = exp %t : f32
      %b2 = add %b, %e : f32
      yield %b2
    }
    %l = log %s : f32
    %o = add %m, %l : f32
    store %o, %out, %r
    yield
  }
  return
}

kernel @total(%x: f32[?], %out: f32[]) {
  %c0 = constant {value = 0} : i64
  %n = dim %x {axis = 0} : i64
  %zero = constant {value = 0.0} : f32
  %s = for %c0, %n, %zero {combine = "add"} : f32 (%i: i64, %a: f32) {
    %v = load %x, %i : f32
    %a2 = add %a, %v : f32
    yield %a2
  }
  store %s, %out
  return
}

kernel @half(%a: f16[?], %z: f16[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %z {axis = 0} : i64
  parallel_for %c0, %n (%i: i64) {
    %x = load %a, %i : f16
    %w = cast %x : f32
    %e = tanh %w : f32
    %h = cast %e : f16
    store %h, %z, %i
    yield
  }
  return
}

// Two top-level loops, the second reading what the first stores: one
// block, the phases separated by a barrier.
kernel @phases(%x: f32[?], %y: f32[?], %z: f32[?]) {
  %c0 = constant {value = 0} : i64
  %n = dim %x {axis = 0} : i64
  parallel_for %c0, %n (%i: i64) {
    %v = load %x, %i : f32
    %w = mul %v, %v : f32
    store %w, %y, %i
    yield
  }
  parallel_for %c0, %n (%j: i64) {
    %a = load %y, %j : f32
    %b = add %a, %a : f32
    store %b, %z, %j
    yield
  }
  return
}

// Rows of 5: one thread per row is cheaper than a block.
kernel @shortrow(%x: f32[?,5], %out: f32[?]) {
  %c0 = constant {value = 0} : i64
  %c5 = constant {value = 5} : i64
  %rows = dim %x {axis = 0} : i64
  parallel_for %c0, %rows (%r: i64) {
    %zero = constant {value = 0.0} : f32
    %s = for %c0, %c5, %zero {combine = "add"} : f32 (%k: i64, %b: f32) {
      %w = load %x, %r, %k : f32
      %b2 = add %b, %w : f32
      yield %b2
    }
    store %s, %out, %r
    yield
  }
  return
}
