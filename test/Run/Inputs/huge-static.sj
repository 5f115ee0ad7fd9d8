// test/Run/sizes.sj: a static type beyond the size rule (2^64 bytes).
func @big(%x: f32[4611686018427387904,1]) -> (f32[4611686018427387904,1]) {
  %0 = neg %x : f32[4611686018427387904,1]
  return %0
}
