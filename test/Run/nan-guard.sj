// symjit-run --nan-guard: the first op that makes a NaN/Inf out of finite
// operands fails the run, named with its line, kernel and element; clean
// inputs run as without the guard; an infinity passed in is not reported
// (the ops only carry it).
// RUN: not %symjit-run %s --nan-guard --range -2,-1 2>&1 | FileCheck %s --check-prefix=LOG
// RUN: %symjit-run %s --nan-guard --range 0.5,2 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %python -c "import struct; open('%t.npy','wb').write(b'\x93NUMPY\x01\x00'+struct.pack('<H',118)+(\"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\".ljust(117)+'\n').encode()+struct.pack('<2f',float('inf'),1.0))"
// RUN: %symjit-run %s --nan-guard --input x=%t.npy --input y=%t.npy 2>&1 | FileCheck %s --check-prefix=INF
// RUN: not %symjit-run %s --func over --nan-guard --range 100,101 2>&1 | FileCheck %s --check-prefix=OVER
// LOG: nan-guard.sj:[[@LINE+2]]:8: error: NaN guard: 'log' produced nan from finite operands at element 0 [0] of its result (f32[8]), in kernel @f_k{{[0-9]+}}
func @f(%x: f32[?], %y: f32[?]) -> (f32[?], f32[]) {
  %l = log %x : f32[?]
  %e = exp %y : f32[?]
  %m = mul %l, %e : f32[?]
  %s = sum %m {axes = [0]} : f32[]
  return %m, %s
}
// CLEAN-NOT: error
// CLEAN: f.out1: f32[] =
// INF: f.out0: f32[2] =
// INF-NEXT: [inf, 0]
// OVER: nan-guard.sj:[[@LINE+2]]:8: error: NaN guard: 'exp' produced inf from finite operands at element 0 [0]
func @over(%x: f32[?]) -> (f32[?]) {
  %e = exp %x : f32[?]
  return %e
}
