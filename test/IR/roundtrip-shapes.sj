// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Shape ops and matmul (2-D, batched, broadcast batch).
func @s(%x: f32[2,3,4], %a: f32[?,5,6], %b: f32[6,7], %c: f32[3,1,5,5]) -> (f32[6,4], f32[4,2,3], f32[5,2,3,4], f32[?,5,7], f32[3,?,5,7]) {
  %0 = reshape %x : f32[6,4]
  %1 = transpose %x {perm = [2, 0, 1]} : f32[4,2,3]
  %2 = broadcast_to %x : f32[5,2,3,4]
  %3 = matmul %a, %b : f32[?,5,7]
  %4 = matmul %c, %3 : f32[3,?,5,7]
  return %0, %1, %2, %3, %4
}

func @matmul2d(%x: f64[?,784], %w: f64[784,10], %v: f64[10,?]) -> (f64[?,10], f64[?,?]) {
  %0 = matmul %x, %w : f64[?,10]
  %1 = matmul %0, %v : f64[?,?]
  return %0, %1
}

func @dynamic(%x: f32[?,4], %s: f32[], %r: f32[1,?]) -> (f32[?], f32[2,?,2], f32[4,?], f32[], f32[3,1,?], f32[1,1]) {
  %0 = reshape %x : f32[?]
  %1 = reshape %0 : f32[2,?,2]
  %2 = transpose %x {perm = [1, 0]} : f32[4,?]
  %3 = reshape %s : f32[]
  %4 = broadcast_to %r : f32[3,1,?]
  %5 = broadcast_to %s : f32[1,1]
  return %0, %1, %2, %3, %4, %5
}

func @idx(%x: f32[?,6,3], %i: i32[?,2], %j: i64[], %y: i8[?,1,3]) -> (f32[?,2,6,3], f32[?,3], f32[?,1,3], f32[?,6,3], f32[?,6,3]) {
  %0 = take %x, %i {axis = 0} : f32[?,2,6,3]
  %1 = take %x, %j {axis = -2} : f32[?,3]
  %2 = take_along_axis %x, %y {axis = 1} : f32[?,1,3]
  %3 = scatter_add %0, %i, %x {axis = 0} : f32[?,6,3]
  %4 = scatter_add_along_axis %2, %y, %x {axis = 1} : f32[?,6,3]
  return %0, %1, %2, %3, %4
}
