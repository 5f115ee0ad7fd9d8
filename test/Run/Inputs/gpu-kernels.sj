// Programs for the device tests (test/Run/device-*.test): an elementwise
// kernel (W1 of the benchmarks), rows of log_softmax, a full reduction.
func @w1(%a: f32[?], %b: f32[?], %c: f32[?], %d: f32[?]) -> (f32[?]) {
  %0 = mul %a, %b : f32[?]
  %1 = exp %c : f32[?]
  %2 = mul %1, %d : f32[?]
  %3 = add %0, %2 : f32[?]
  return %3
}

func @rows(%x: f32[?,?]) -> (f32[?,?]) {
  %0 = log_softmax %x {axis = 1} : f32[?,?]
  return %0
}

func @total(%x: f32[?]) -> (f32[]) {
  %0 = sum %x : f32[]
  return %0
}
