// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// The softmax family: axis (negative too), any rank >= 1, dynamic dims;
// softmax_xent's result has the labels' shape (a `?` of the labels takes
// the logits' static size), labels of any integer dtype, rank-0 labels.
func @s(%x: f32[2,?,4], %y: f64[7], %z: f32[0,3]) -> (f32[2,?,4], f32[2,?,4], f64[7], f32[0,3]) {
  %0 = softmax %x {axis = 1} : f32[2,?,4]
  %1 = log_softmax %x {axis = -1} : f32[2,?,4]
  %2 = softmax %y {axis = 0} : f64[7]
  %3 = log_softmax %z {axis = 1} : f32[0,3]
  return %0, %1, %2, %3
}

func @x(%x: f32[?,10], %y: i32[?], %a: f64[2,5,?], %b: i8[?,?], %c: f32[4], %d: i64[], %e: f32[0,2], %f: i32[0]) -> (f32[?], f64[2,?], f32[], f32[0]) {
  %0 = softmax_xent %x, %y {axis = 1} : f32[?]
  %1 = softmax_xent %a, %b {axis = -2} : f64[2,?]
  %2 = softmax_xent %c, %d {axis = 0} : f32[]
  %3 = softmax_xent %e, %f {axis = 1} : f32[0]
  return %0, %1, %2, %3
}
