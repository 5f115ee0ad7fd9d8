// Exported by test/aot as e_id, e_mm and e_sc: a function with no kernel
// (returns its input), a gemm alone (f64, dynamic dims on both sides) and
// rank-0 integers.
func @id(%x: f32[?]) -> (f32[?]) {
  return %x
}
func @mm(%a: f64[?,4], %b: f64[4,?]) -> (f64[?,?]) {
  %0 = matmul %a, %b : f64[?,?]
  return %0
}
func @sc(%a: i32[]) -> (i64[]) {
  %0 = cast %a : i64[]
  return %0
}
