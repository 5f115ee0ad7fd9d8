// Binary ops with numpy broadcasting (row, column, scalar, rank-0), fused
// and unfused, against the double-precision reference.
// RUN: %symjit-run %s --check --func bcast --shape x=5x7 --shape r=7 --shape c=5x1 | FileCheck %s
// RUN: %symjit-run %s --check --func powdiv --range 0.5,2 --shape x=33x17 --shape y=17 | FileCheck %s --check-prefix=POW
// RUN: %symjit-run %s --check --func ints --shape a=64 --shape b=64 | FileCheck %s --check-prefix=INT
// CHECK: check: @bcast passed
// POW: check: @powdiv passed
// INT: check: @ints passed
func @bcast(%x: f32[?,?], %r: f32[?], %c: f32[?,1], %s: f32[]) -> (f32[?,?], f32[?,?], f32[?,?], f32[?,?], f32[?,?]) {
  %0 = add %x, %r : f32[?,?]
  %1 = sub %x, %c : f32[?,?]
  %2 = mul %x, %s : f32[?,?]
  %3 = maximum %0, %1 : f32[?,?]
  %4 = minimum %2, %c : f32[?,?]
  return %0, %1, %2, %3, %4
}

func @powdiv(%x: f32[?,17], %y: f32[17]) -> (f32[?,17], f32[?,17]) {
  %0 = pow %x, %y : f32[?,17]
  %1 = div %x, %y : f32[?,17]
  return %0, %1
}

func @ints(%a: i32[?], %b: i32[?]) -> (i32[?], i32[?], i32[?], i32[?], i32[?]) {
  %0 = add %a, %b : i32[?]
  %1 = sub %a, %b : i32[?]
  %2 = mul %a, %b : i32[?]
  %3 = div %a, %b : i32[?]
  %4 = maximum %a, %b : i32[?]
  return %0, %1, %2, %3, %4
}
