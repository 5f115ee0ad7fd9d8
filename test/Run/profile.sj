// symjit-run --profile: one row per launch and gemm with the calls counted
// (1 call + 1 warm-up + 3 --bench calls = 5), the op's line, GFLOP/s for the
// gemm only, then the peak live memory. Times vary: not checked.
// RUN: %symjit-run %s --profile --bench 3 --shape x=16x4 2>&1 >/dev/null | FileCheck %s
// CHECK: profile of @f: 5 calls, {{.*}} ms in all, {{.*}} ms per call; kernels and gemm {{.*}}%
// CHECK-NEXT:   step  kind    kernel                      calls   total ms   share   MB moved     GB/s  GFLOP/s  where
// CHECK-NEXT: {{^ +[0-9]+}} launch @f_k0 5 {{[0-9.]+ [0-9.]+%}} 0.003 {{[0-9.]+}} - profile.sj:[[@LINE+11]]
// CHECK-NEXT: {{^ +[0-9]+}} gemm (BLAS) 5 {{[0-9.]+ [0-9.]+%}} 0.003 {{[0-9.]+ [0-9.]+}} profile.sj:[[@LINE+11]]
// CHECK-NEXT: {{^ +[0-9]+}} launch @f_k1 5 {{[0-9.]+ [0-9.]+%}} 0.001 {{[0-9.]+}} - profile.sj:[[@LINE+11]]
// 16x4 f32 intermediates: exp's and matmul's results live at the gemm (the
// column sum is no row-wise epilogue, so it stays a launch of its own).
// CHECK-NEXT: peak memory: 512 bytes of buffers live at once (intermediates and results, largest call)
// CHECK-NEXT: held between calls: 512 bytes of intermediate buffers (2 buffers)
// Off without the flag.
// RUN: %symjit-run %s --shape x=16x4 2>&1 | FileCheck %s --check-prefix=OFF
// OFF-NOT: profile
func @f(%x: f32[?,4], %w: f32[4,4]) -> (f32[4]) {
  %e = exp %x : f32[?,4]
  %d = matmul %e, %w : f32[?,4]
  %s = sum %d {axes = [0]} : f32[4]
  return %s
}
