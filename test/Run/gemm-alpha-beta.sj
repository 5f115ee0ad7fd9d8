// gemm with alpha, beta and transposes, through gemm-combine and
// lower-to-loops, against the reference evaluator (--check runs the -O path
// and the unfused path): every transpose pair, f32 and f64, dynamic rows
// (1, 16-row panel edges, several panels on the pool), zero-size M, N and K,
// the in-place accumulation (z is an intermediate) and the copied one (z is
// an input), batched operands.
// RUN: %symjit-run %s --check --func tt --shape x=7x9 --shape y=6x7 --shape z=9x6 | FileCheck %s
// RUN: %symjit-run %s --check --func tt --shape x=300x257 --shape y=129x300 --shape z=257x129 | FileCheck %s
// RUN: %symjit-run %s --check --func tt --shape x=0x9 --shape y=6x0 --shape z=9x6 | FileCheck %s
// RUN: %symjit-run %s --check --func tn --shape x=5x1 --shape y=5x3 --shape z=1x3 | FileCheck %s
// RUN: %symjit-run %s --check --func tn --shape x=5x0 --shape y=5x3 --shape z=0x3 | FileCheck %s
// RUN: %symjit-run %s --check --func nt --shape x=33x20 --shape y=17x20 --shape z=33x17 | FileCheck %s
// RUN: %symjit-run %s --check --func nt --shape x=33x20 --shape y=0x20 --shape z=33x0 | FileCheck %s
// RUN: %symjit-run %s --check --func nn64 --shape x=513x70 --shape y=70x40 --shape z=513x40 | FileCheck %s
// RUN: %symjit-run %s --check --func nn64 --shape x=16x0 --shape y=0x40 --shape z=16x40 | FileCheck %s
// RUN: %symjit-run %s --check --func inplace --shape a=200x30 --shape c=200x11 | FileCheck %s
// RUN: %symjit-run %s --check --func inplace --shape a=0x30 --shape c=0x11 | FileCheck %s
// RUN: %symjit-run %s --check --func batched --shape x=3x10x4 --shape y=4x6 --shape z=3x10x6 | FileCheck %s
// RUN: %symjit-run %s --check --func batched --shape x=3x10x0 --shape y=0x6 --shape z=3x10x6 | FileCheck %s
// A z whose rows differ from the product's at run time is an error before
// anything runs, on both paths, as the add was.
// RUN: not %symjit-run %s --check --func nn64 --shape x=5x3 --shape y=3x4 --shape z=6x4 2>&1 | FileCheck %s --check-prefix=BAD
// CHECK: check: @{{[a-z0-9]+}} passed
// BAD: check: @nn64 refused consistently
func @tt(%x: f32[?,?], %y: f32[?,?], %z: f32[?,?]) -> (f32[?,?]) {
  %t = transpose %x {perm = [1, 0]} : f32[?,?]
  %u = transpose %y {perm = [1, 0]} : f32[?,?]
  %0 = matmul %t, %u : f32[?,?]
  %a = constant {value = -0.5} : f32[]
  %1 = mul %a, %0 : f32[?,?]
  %b = constant {value = 3.0} : f32[]
  %2 = mul %b, %z : f32[?,?]
  %3 = add %1, %2 : f32[?,?]
  return %3
}
func @tn(%x: f32[?,?], %y: f32[?,3], %z: f32[?,3]) -> (f32[?,3]) {
  %t = transpose %x {perm = [1, 0]} : f32[?,?]
  %0 = matmul %t, %y : f32[?,3]
  %3 = sub %z, %0 : f32[?,3]
  return %3
}
func @nt(%x: f32[?,20], %y: f32[?,20], %z: f32[?,?]) -> (f32[?,?]) {
  %u = transpose %y {perm = [1, 0]} : f32[20,?]
  %0 = matmul %x, %u : f32[?,?]
  %a = constant {value = 2.0} : f32[]
  %1 = mul %0, %a : f32[?,?]
  %3 = sub %1, %z : f32[?,?]
  return %3
}
func @nn64(%x: f64[?,?], %y: f64[?,?], %z: f64[?,?]) -> (f64[?,?]) {
  %0 = matmul %x, %y : f64[?,?]
  %a = constant {value = 1.25} : f64[]
  %1 = mul %a, %0 : f64[?,?]
  %b = constant {value = -0.75} : f64[]
  %2 = mul %z, %b : f64[?,?]
  %3 = add %2, %1 : f64[?,?]
  return %3
}
// dot(A,B) + dot(C,D): the second gemm accumulates into the first's output.
func @inplace(%a: f32[?,30], %b: f32[30,11], %c: f32[?,11], %d: f32[11,11]) -> (f32[?,11]) {
  %0 = matmul %a, %b : f32[?,11]
  %1 = matmul %c, %d : f32[?,11]
  %2 = add %0, %1 : f32[?,11]
  return %2
}
func @batched(%x: f32[3,10,?], %y: f32[?,6], %z: f32[3,10,6]) -> (f32[3,10,6]) {
  %0 = matmul %x, %y : f32[3,10,6]
  %a = constant {value = 0.5} : f32[]
  %1 = mul %a, %0 : f32[3,10,6]
  %2 = add %z, %1 : f32[3,10,6]
  return %2
}
