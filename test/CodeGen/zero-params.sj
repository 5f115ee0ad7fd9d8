// Kernels with no parameters and funcs with no parameters compile and run:
// the ABI entry of a kernel with nothing to unpack still takes (ptrs, dims,
// rt), and a call with no inputs passes empty arrays (a zero-parameter
// kernel used to crash --emit-llvm and symjit-run).
// RUN: %symjit-opt %s --emit-llvm | FileCheck %s
// RUN: %symjit-opt %s --emit-llvm --llvm-opt=0 | FileCheck %s --check-prefix=NOOPT
// RUN: %symjit-run %s --func launch_empty --print | FileCheck %s --check-prefix=RUN1
// RUN: %symjit-run %s --func no_params --print | FileCheck %s --check-prefix=RUN2
// RUN: %symjit-run %s --func no_params --check | FileCheck %s --check-prefix=CHK
// RUN: %symjit-run %s --func no_params --passes=lower-to-loops --print | FileCheck %s --check-prefix=RUN3

// CHECK-LABEL: define void @sjk_empty(ptr nocapture readnone %0, ptr nocapture readnone %1, ptr nocapture readnone %2)
// CHECK-NEXT: entry:
// CHECK-NEXT: ret void
// NOOPT-LABEL: define internal void @sjk_empty.impl(ptr noalias %0, ptr %1)
// NOOPT-LABEL: define void @sjk_empty(ptr %0, ptr %1, ptr %2)
// NOOPT-NEXT: entry:
// NOOPT-NEXT: call void @sjk_empty.impl(ptr %1, ptr %2)
// NOOPT-NEXT: ret void
kernel @empty() {
  return
}

// RUN1: launch_empty.out0: f32[] =
// RUN1-NEXT: 1.5
func @launch_empty() -> (f32[]) {
  %c = constant {value = 1.5} : f32[]
  launch {kernel = @empty}
  return %c
}

// RUN2: no_params.out0: f32[3] =
// RUN2-NEXT: [2.5, 2.5, 2.5]
// CHK: check: @no_params passed
// RUN3: no_params.out0: f32[3] =
// RUN3-NEXT: [2.5, 2.5, 2.5]
func @no_params() -> (f32[3]) {
  %c = constant {value = 1.5} : f32[3]
  %o = constant {value = 1.0} : f32[3]
  %d = add %c, %o : f32[3]
  return %d
}
