// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// Shape ops and matmul (2-D, batched, broadcast batch).
func @s(%x: f32[2,3,4], %a: f32[?,5,6], %b: f32[6,7], %c: f32[3,1,5,5]) -> (f32[6,4], f32[4,2,3], f32[5,2,3,4], f32[?,5,7], f32[3,?,5,7]) {
  %0 = reshape %x : f32[6,4]
  %1 = transpose %x {perm = [2, 0, 1]} : f32[4,2,3]
  %2 = broadcast_to %x : f32[5,2,3,4]
  %3 = matmul %a, %b : f32[?,5,7]
  %4 = matmul %c, %3 : f32[3,?,5,7]
  return %0, %1, %2, %3, %4
}
