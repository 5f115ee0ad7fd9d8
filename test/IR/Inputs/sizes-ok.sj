// Types at the edge of the size rule that must verify (test/IR/errors-sizes.sj).
func @f(%a: i8[4611686018427387904], %b: i8[0,4611686018427387904], %c: f32[?,1152921504606846976], %d: f64[0,0,1048576], %e: i8[9223372036854775743]) -> (i8[4611686018427387904]) {
  return %a
}
