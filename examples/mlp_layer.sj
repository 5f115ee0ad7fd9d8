// One MLP layer and a softmax classifier head: relu(x @ W1 + b1) @ W2 + b2,
// then softmax over the classes. matmul stays a BLAS call; the bias add and
// relu fuse into one kernel, the softmax into reductions plus a fused kernel.
func @mlp(%x: f32[?,784], %W1: f32[784,128], %b1: f32[128], %W2: f32[128,10], %b2: f32[10]) -> (f32[?,10]) {
  %0 = matmul %x, %W1 : f32[?,128]
  %1 = add %0, %b1 : f32[?,128]
  %zero = constant {value = 0.0} : f32[]
  %h = maximum %1, %zero : f32[?,128]
  %2 = matmul %h, %W2 : f32[?,10]
  %logits = add %2, %b2 : f32[?,10]
  %m = max %logits {axes = [1], keepdims = true} : f32[?,1]
  %s = sub %logits, %m : f32[?,10]
  %e = exp %s : f32[?,10]
  %t = sum %e {axes = [1], keepdims = true} : f32[?,1]
  %p = div %e, %t : f32[?,10]
  return %p
}
