// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Every elementwise op, with broadcasting between ranks.
func @unary(%x: f32[?,3]) -> (f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3], f32[?,3]) {
  %0 = neg %x : f32[?,3]
  %1 = abs %x : f32[?,3]
  %2 = sign %x : f32[?,3]
  %3 = exp %x : f32[?,3]
  %4 = log %x : f32[?,3]
  %5 = log1p %x : f32[?,3]
  %6 = expm1 %x : f32[?,3]
  %7 = sqrt %x : f32[?,3]
  %8 = rsqrt %x : f32[?,3]
  %9 = tanh %x : f32[?,3]
  %10 = sigmoid %x : f32[?,3]
  %11 = softplus %x : f32[?,3]
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11
}

func @binary(%a: f64[4,1,5], %b: f64[3,1], %c: f64[]) -> (f64[4,3,5], f64[4,3,5], f64[4,3,5], f64[4,3,5], f64[4,3,5], f64[4,3,5], f64[4,1,5]) {
  %0 = add %a, %b : f64[4,3,5]
  %1 = sub %a, %b : f64[4,3,5]
  %2 = mul %a, %b : f64[4,3,5]
  %3 = div %a, %b : f64[4,3,5]
  %4 = pow %a, %b : f64[4,3,5]
  %5 = maximum %a, %b : f64[4,3,5]
  %6 = minimum %a, %c : f64[4,1,5]
  return %0, %1, %2, %3, %4, %5, %6
}

func @compare(%a: i32[?], %b: i32[]) -> (bool[?], bool[?], bool[?], bool[?], bool[?], bool[?], i32[?], f32[?], i8[?]) {
  %0 = eq %a, %b : bool[?]
  %1 = ne %a, %b : bool[?]
  %2 = lt %a, %b : bool[?]
  %3 = le %a, %b : bool[?]
  %4 = gt %a, %b : bool[?]
  %5 = ge %a, %b : bool[?]
  %6 = select %0, %a, %b : i32[?]
  %7 = cast %a : f32[?]
  %8 = cast %7 : i8[?]
  return %0, %1, %2, %3, %4, %5, %6, %7, %8
}
