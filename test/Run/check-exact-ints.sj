// --check compares integer results exactly, as int64 (through double an i64
// above 2^53 would be rounded and off-by-one results would pass), and the
// reference wraps at the dtype's width like the compiled code: add/mul wrap,
// div truncates, x/0 = 0, INT_MIN/-1 = INT_MIN (docs/numerics.md).
// RUN: %symjit-run %s --check --func big --int-range -1000,1000 --dim 64 | FileCheck %s --check-prefix=BIG
// BIG-COUNT-2: i64[64] ok mismatches=0
// BIG: check: @big passed
// (i64 constants beyond 2^53: test/Run/fuzz-i64-constant-precision.sj)
// RUN: %symjit-run %s --check --func wrap --int-range -3e18,3e18 --dim 64 | FileCheck %s --check-prefix=WRAP
// WRAP: check: @wrap passed
// RUN: %symjit-run %s --check --func narrow --int-range -130,130 --dim 64 | FileCheck %s --check-prefix=NARROW
// NARROW: check: @narrow passed
// RUN: %symjit-run %s --check --func divs --int-range -3,3 --dim 64 | FileCheck %s --check-prefix=DIV
// DIV: check: @divs passed
func @big(%x: i64[?]) -> (i64[?], i64[?]) {
  %c = constant {value = 4503599627370496} : i64[]
  %a = mul %x, %c : i64[?]
  %b = mul %a, %a : i64[?]
  return %a, %b
}

func @wrap(%x: i64[?]) -> (i64[?], i64[?], i64[], i64[]) {
  %a = mul %x, %x : i64[?]
  %b = add %x, %x : i64[?]
  %s = sum %x : i64[]
  %p = prod %x : i64[]
  return %a, %b, %s, %p
}

func @narrow(%x: i32[?], %y: i8[?]) -> (i32[?], i8[?], i8[?], i8[], i32[]) {
  %big = constant {value = 2147483600} : i32[]
  %a = add %x, %big : i32[?]
  %b = mul %y, %y : i8[?]
  %c = neg %y : i8[?]
  %s = sum %y : i8[]
  %p = prod %x : i32[]
  return %a, %b, %c, %s, %p
}

func @divs(%x: i32[?], %y: i32[?], %z: i8[?]) -> (i32[?], i32[?], i8[?]) {
  %a = div %x, %y : i32[?]
  %min = constant {value = -2147483648} : i32[]
  %b = div %min, %y : i32[?]
  %m8 = constant {value = -128} : i8[]
  %c = div %m8, %z : i8[?]
  return %a, %b, %c
}
