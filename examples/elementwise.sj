// z = a*b + exp(c)*d over vectors of any length: fusion turns the four ops
// into one kernel that reads each input once and writes z once.
func @f(%a: f32[?], %b: f32[?], %c: f32[?], %d: f32[?]) -> (f32[?]) {
  %0 = mul %a, %b : f32[?]
  %1 = exp %c : f32[?]
  %2 = mul %1, %d : f32[?]
  %3 = add %0, %2 : f32[?]
  return %3
}
