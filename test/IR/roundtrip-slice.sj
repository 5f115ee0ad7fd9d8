// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Basic slicing and updates (docs/decisions/0010-slicing.md): the printed
// form is the parsed one (attributes sorted), static dims get the slice's
// length, dynamic ones stay dynamic; the int64 limits stand for an omitted
// bound; empty and reversed slices.
func @slices(%x: f32[5,?], %e: f32[0,3]) -> (f32[2,?], f32[5,?], f32[0,?], f32[0,2], f32[1,?]) {
  %0 = slice %x {start = [1, 0], step = [2, 1], stop = [5, 9223372036854775807]} : f32[2,?]
  %1 = slice %x {start = [9223372036854775807, -1], step = [-1, -2], stop = [-9223372036854775807, -9223372036854775807]} : f32[5,?]
  %2 = slice %x {start = [3, 0], step = [1, 1], stop = [3, 2]} : f32[0,?]
  %3 = slice %e {start = [0, 1], step = [3, 1], stop = [7, 9]} : f32[0,2]
  %4 = slice %x {start = [-1, 2], step = [1, 1], stop = [9223372036854775807, 4]} : f32[1,?]
  return %0, %1, %2, %3, %4
}

func @updates(%x: f64[4,?], %y: f64[2], %s: f64[], %b: i32[4,6], %i: i64[3,2], %v: i32[4,1,2]) -> (f64[4,?], f64[4,?], i32[4,6], i32[4,6]) {
  %0 = slice_update %x, %y {mode = "add", start = [0, -1], step = [2, -3], stop = [4, -9223372036854775807]} : f64[4,?]
  %1 = slice_update %x, %s {mode = "set", start = [1, 0], step = [1, 1], stop = [2, 9223372036854775807]} : f64[4,?]
  %2 = index_update %b, %i, %v {axis = 1, mode = "add"} : i32[4,6]
  %3 = index_update %b, %i, %v {axis = -1, mode = "set"} : i32[4,6]
  return %0, %1, %2, %3
}

func @index_scalar(%x: f16[?,3], %j: i32[], %y: f16[3]) -> (f16[?,3]) {
  %0 = index_update %x, %j, %y {axis = 0, mode = "set"} : f16[?,3]
  return %0
}

func @len(%x: f32[?]) -> (f32[?]) {
  %0 = dim %x {axis = 0} : i64
  %1 = slice_len %0 {start = -1, step = -2, stop = -9223372036854775807} : i64
  %2 = alloc %1 : f32[?]
  return %2
}
