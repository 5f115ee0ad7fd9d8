// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// Exact identities: x*1, 1*x, x+0, 0+x, x-0, x/1, neg(neg x).
// CHECK-LABEL: func @ids(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
// CHECK-NEXT:   return %x, %x, %x, %x, %x, %x, %x
// CHECK-NEXT: }
func @ids(%x: f32[4]) -> (f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4]) {
  %one = constant {value = 1.0} : f32[]
  %zero = constant {value = 0.0} : f32[]
  %a = mul %x, %one : f32[4]
  %b = mul %one, %x : f32[4]
  %c = add %x, %zero : f32[4]
  %d = add %zero, %x : f32[4]
  %e = sub %x, %zero : f32[4]
  %f = div %x, %one : f32[4]
  %n = neg %x : f32[4]
  %g = neg %n : f32[4]
  return %a, %b, %c, %d, %e, %f, %g
}
// -----
// Integers: x - x -> 0 and x * 0 -> 0 are exact.
// CHECK-LABEL: func @ints(%x: i32[4]) -> (i32[4], i32[4]) {
// CHECK-NEXT:   %0 = constant {value = 0} : i32[4]
// CHECK-NEXT:   %1 = constant {value = 0} : i32[4]
// CHECK-NEXT:   return %0, %1
// CHECK-NEXT: }
func @ints(%x: i32[4]) -> (i32[4], i32[4]) {
  %z = constant {value = 0} : i32[]
  %a = sub %x, %x : i32[4]
  %b = mul %x, %z : i32[4]
  return %a, %b
}
// -----
// Shape chains: transpose(transpose) composes, an identity perm disappears,
// reshape(reshape) keeps the outer, same-type reshape/broadcast/cast vanish,
// broadcast of a splat constant is a constant.
// CHECK-LABEL: func @shapes(%x: f32[2,3,4]) -> (f32[4,2,3], f32[2,3,4], f32[24], f32[2,3,4], f32[5,3]) {
// CHECK-NEXT:   %t1 = transpose %x {perm = [1, 2, 0]} : f32[3,4,2]
// CHECK-NEXT:   %t2 = transpose %x {perm = [2, 0, 1]} : f32[4,2,3]
// CHECK-NEXT:   %r1 = reshape %x : f32[6,4]
// CHECK-NEXT:   %r2 = reshape %x : f32[24]
// CHECK-NEXT:   %0 = constant {value = 1.5} : f32[5,3]
// CHECK-NEXT:   return %t2, %x, %r2, %x, %0
// CHECK-NEXT: }
func @shapes(%x: f32[2,3,4]) -> (f32[4,2,3], f32[2,3,4], f32[24], f32[2,3,4], f32[5,3]) {
  %t1 = transpose %x {perm = [1, 2, 0]} : f32[3,4,2]
  %t2 = transpose %t1 {perm = [1, 2, 0]} : f32[4,2,3]
  %t3 = transpose %x {perm = [0, 1, 2]} : f32[2,3,4]
  %r1 = reshape %x : f32[6,4]
  %r2 = reshape %r1 : f32[24]
  %r3 = reshape %x : f32[2,3,4]
  %b = broadcast_to %r3 : f32[2,3,4]
  %cst = constant {value = 1.5} : f32[]
  %bc = broadcast_to %cst : f32[5,3]
  return %t2, %t3, %r2, %b, %bc
}
