// Float-to-int casts saturate and NaN gives 0 (llvm.fptosi.sat; plain
// fptosi would be poison out of range); the reference rounds every result
// to its dtype (f32, f16 and bf16 to nearest even, overflow to inf), so
// f16/bf16 chains are compared with the result the dtype can hold.
// RUN: %symjit-run %s --check --func sat --range -1e20,1e20 --dim 200 | FileCheck %s --check-prefix=SAT
// SAT: check: @sat passed
// RUN: %symjit-run %s --check --func sat --range -300,300 --dim 200 | FileCheck %s --check-prefix=SAT
// RUN: %symjit-run %s --check --func half --range -70000,70000 --dim 200 | FileCheck %s --check-prefix=HALF
// HALF: check: @half passed
// RUN: %symjit-run %s --check --func half --range -3,3 --dim 200 | FileCheck %s --check-prefix=HALF
func @sat(%x: f32[?], %h: f16[?]) -> (i32[?], i8[?], i64[?], bool[?], i32[?], i8[?]) {
  %a = cast %x : i32[?]
  %b = cast %x : i8[?]
  %c = cast %x : i64[?]
  %d = cast %x : bool[?]
  %n = constant {value = nan} : f32[]
  %z = constant {value = 0.0} : f32[]
  %m = gt %x, %z : bool[?]
  %xn = select %m, %n, %x : f32[?]
  %e = cast %xn : i32[?]
  %f = cast %h : i8[?]
  return %a, %b, %c, %d, %e, %f
}

func @half(%x: f32[?]) -> (f16[?], bf16[?], f16[?], bf16[?]) {
  %h = cast %x : f16[?]
  %g = cast %x : bf16[?]
  %h2 = mul %h, %h : f16[?]
  %hs = add %h2, %h : f16[?]
  %g2 = mul %g, %g : bf16[?]
  %gs = sub %g2, %g : bf16[?]
  return %h, %g, %hs, %gs
}
