// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// logaddexp: broadcasting between ranks, dynamic dims, rank 0, scalars in a
// fused body, every float dtype.
func @f(%a: f64[4,1,5], %b: f64[3,1], %c: f64[], %d: f32[?,3], %h: f16[2], %g: bf16[2]) -> (f64[4,3,5], f64[], f32[?,3], f16[2], bf16[2], f32[?,3]) {
  %0 = logaddexp %a, %b : f64[4,3,5]
  %1 = logaddexp %c, %c : f64[]
  %2 = logaddexp %d, %d : f32[?,3]
  %3 = logaddexp %h, %h : f16[2]
  %4 = logaddexp %g, %g : bf16[2]
  %5 = fused %d : f32[?,3] (%p: f32) {
    %q = logaddexp %p, %p : f32
    yield %q
  }
  return %0, %1, %2, %3, %4, %5
}
