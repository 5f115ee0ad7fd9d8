// log(sum(exp(x))) computed stably: max(x) + log(sum(exp(x - max(x)))).
func @logsumexp(%x: f32[?]) -> (f32[]) {
  %m = max %x : f32[]
  %s = sub %x, %m : f32[?]
  %e = exp %s : f32[?]
  %t = sum %e : f32[]
  %l = log %t : f32[]
  %r = add %l, %m : f32[]
  return %r
}
