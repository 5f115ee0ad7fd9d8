// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Reductions: axes (negative too), keepdims, all axes.
func @r(%x: f32[2,?,4]) -> (f32[2,4], f32[2,?], f32[1,?,1], f32[], f32[?], f32[2,?,4]) {
  %0 = sum %x {axes = [1]} : f32[2,4]
  %1 = max %x {axes = [-1]} : f32[2,?]
  %2 = min %x {axes = [0, 2], keepdims = true} : f32[1,?,1]
  %3 = mean %x : f32[]
  %4 = prod %x {axes = [0, 2]} : f32[?]
  return %0, %1, %2, %3, %4, %x
}
