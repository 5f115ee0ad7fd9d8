// Row-wise log_softmax of logits [batch, 1000]: the per-row max and
// log-sum-exp are small keepdims reductions broadcast back over the row.
func @log_softmax(%x: f32[?,1000]) -> (f32[?,1000]) {
  %m = max %x {axes = [1], keepdims = true} : f32[?,1]
  %s = sub %x, %m : f32[?,1000]
  %e = exp %s : f32[?,1000]
  %t = sum %e {axes = [1], keepdims = true} : f32[?,1]
  %l = log %t : f32[?,1]
  %r = sub %s, %l : f32[?,1000]
  return %r
}
