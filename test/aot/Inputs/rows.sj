// Exported by test/aot (symjit-aot --name rows): two dynamic dims, two
// outputs, exp (a libmvec call in the object) and a row reduction.
//   e[i,j] = exp(a[i,j] - m[i]) * s,  t[i] = sum_j e[i,j],  m = max over j
func @softmax_parts(%a: f32[?,?], %s: f64[]) -> (f32[?,?], f32[?]) {
  %m = max %a {axes = [1], keepdims = true} : f32[?,1]
  %d = sub %a, %m : f32[?,?]
  %e = exp %d : f32[?,?]
  %s32 = cast %s : f32[]
  %es = mul %e, %s32 : f32[?,?]
  %t = sum %es {axes = [1]} : f32[?]
  return %es, %t
}
