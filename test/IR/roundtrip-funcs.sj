// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Funcs and kernels: several results, dynamic dims, arguments returned
// directly or twice, no arguments, no results; module order is kept.
func @many(%x: f32[?,?], %y: f32[?], %n: i64[]) -> (f32[?,?], f32[?,?], f32[?], i64[], f32[?,?]) {
  %0 = add %x, %y : f32[?,?]
  return %0, %x, %y, %n, %0
}

func @none() -> () {
  return
}

kernel @empty() {
  return
}

func @rank8(%x: bool[1,2,3,4,5,6,7,8]) -> (bool[1,2,3,4,5,6,7,8]) {
  return %x
}

func @zero(%x: f16[0,?], %y: bf16[]) -> (f16[0,?], bf16[]) {
  %0 = neg %x : f16[0,?]
  %1 = neg %y : bf16[]
  return %0, %1
}

func @big(%x: i8[9223372036854775743]) -> (i8[9223372036854775743]) {
  return %x
}
