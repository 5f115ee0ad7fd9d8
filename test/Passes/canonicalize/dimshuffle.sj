// RUN: %symjit-opt %s --passes=canonicalize --split-input-file | FileCheck %s
// Dimshuffle lifting (passes/canon-shape.c): index maps only, so the same
// with or without --fast-math. An elementwise op whose operands are all
// transposed by the same perm (one-element splats may stand anywhere)
// becomes one transpose of the op (each transpose here has one user):
// ops with attributes (cast) and conditions (select) too, and transposes
// then fold in chains.
// CHECK-LABEL: func @sink(%x: f32[3,4], %y: f32[3,4], %m: bool[3,4]) -> (f32[4,3], f32[4,3], f64[4,3], f32[3,4]) {
// CHECK-NEXT:   %two = constant {value = 2.0} : f32[1,1]
// CHECK-NEXT:   %0 = add %x, %y : f32[3,4]
// CHECK-NEXT:   %1 = transpose %0 {perm = [1, 0]} : f32[4,3]
// CHECK-NEXT:   %2 = select %m, %x, %two : f32[3,4]
// CHECK-NEXT:   %3 = transpose %2 {perm = [1, 0]} : f32[4,3]
// CHECK-NEXT:   %4 = cast %y : f64[3,4]
// CHECK-NEXT:   %5 = transpose %4 {perm = [1, 0]} : f64[4,3]
// CHECK-NEXT:   %6 = exp %x : f32[3,4]
// CHECK-NEXT:   return %1, %3, %5, %6
// CHECK-NEXT: }
func @sink(%x: f32[3,4], %y: f32[3,4], %m: bool[3,4]) -> (f32[4,3], f32[4,3], f64[4,3], f32[3,4]) {
  %tx = transpose %x {perm = [1, 0]} : f32[4,3]
  %ty = transpose %y {perm = [1, 0]} : f32[4,3]
  %tx2 = transpose %x {perm = [1, 0]} : f32[4,3]
  %tm = transpose %m {perm = [1, 0]} : bool[4,3]
  %ty2 = transpose %y {perm = [1, 0]} : f32[4,3]
  %tx3 = transpose %x {perm = [1, 0]} : f32[4,3]
  %two = constant {value = 2.0} : f32[1,1]
  %a = add %tx, %ty : f32[4,3]
  %b = select %tm, %tx2, %two : f32[4,3]
  %c = cast %ty2 : f64[4,3]
  %e = exp %tx3 : f32[4,3]
  %f = transpose %e {perm = [1, 0]} : f32[3,4]
  return %a, %b, %c, %f
}
// -----
// Not sunk: different perms, an operand that is not transposed, an operand
// of lower rank (broadcasting aligns trailing dims, which a transpose
// moves), a splat of more than one element.
// CHECK-LABEL: func @nosink(%x: f32[2,3,4], %y: f32[2,3,4], %z: f32[4,3,2], %b: f32[2], %w: f32[4,3,2]) -> (f32[4,3,2], f32[4,3,2], f32[4,3,2], f32[4,3,2]) {
// CHECK-NEXT:   %tx = transpose %x {perm = [2, 1, 0]} : f32[4,3,2]
// CHECK-NEXT:   %ty = transpose %y {perm = [2, 0, 1]} : f32[4,2,3]
// CHECK-NEXT:   %ty2 = reshape %ty : f32[4,3,2]
// CHECK-NEXT:   %a = add %tx, %ty2 : f32[4,3,2]
// CHECK-NEXT:   %c = add %tx, %z : f32[4,3,2]
// CHECK-NEXT:   %d = add %tx, %b : f32[4,3,2]
// CHECK-NEXT:   %k = constant {value = 2.0} : f32[4,3,2]
// CHECK-NEXT:   %e = mul %tx, %k : f32[4,3,2]
// CHECK-NEXT:   return %a, %c, %d, %e
// CHECK-NEXT: }
func @nosink(%x: f32[2,3,4], %y: f32[2,3,4], %z: f32[4,3,2], %b: f32[2], %w: f32[4,3,2]) -> (f32[4,3,2], f32[4,3,2], f32[4,3,2], f32[4,3,2]) {
  %tx = transpose %x {perm = [2, 1, 0]} : f32[4,3,2]
  %ty = transpose %y {perm = [2, 0, 1]} : f32[4,2,3]
  %ty2 = reshape %ty : f32[4,3,2]
  %a = add %tx, %ty2 : f32[4,3,2]
  %c = add %tx, %z : f32[4,3,2]
  %d = add %tx, %b : f32[4,3,2]
  %k = constant {value = 2.0} : f32[4,3,2]
  %e = mul %tx, %k : f32[4,3,2]
  return %a, %c, %d, %e
}
// -----
// A transpose that moves only unit dims is a reshape; a reshape that only
// adds or drops unit dims of a transpose moves below it (next to x), where
// it may fold with other reshapes and leave the transpose next to its
// users. With dynamic dims neither applies (no reshape to `?` dims is
// built).
// CHECK-LABEL: func @units(%u: f32[3,1,4], %x: f32[2,3], %d: f32[?,1,4]) -> (f32[1,3,4], f32[1,3,2], f32[3,2], f32[1,?,4]) {
// CHECK-NEXT:   %0 = reshape %u : f32[1,3,4]
// CHECK-NEXT:   %1 = reshape %x : f32[2,3,1]
// CHECK-NEXT:   %2 = transpose %1 {perm = [2, 1, 0]} : f32[1,3,2]
// CHECK-NEXT:   %3 = transpose %x {perm = [1, 0]} : f32[3,2]
// CHECK-NEXT:   %e = transpose %d {perm = [1, 0, 2]} : f32[1,?,4]
// CHECK-NEXT:   return %0, %2, %3, %e
// CHECK-NEXT: }
func @units(%u: f32[3,1,4], %x: f32[2,3], %d: f32[?,1,4]) -> (f32[1,3,4], f32[1,3,2], f32[3,2], f32[1,?,4]) {
  %a = transpose %u {perm = [1, 0, 2]} : f32[1,3,4]
  %tx = transpose %x {perm = [1, 0]} : f32[3,2]
  %b = reshape %tx : f32[1,3,2]
  %r = reshape %x : f32[2,1,3]
  %tr = transpose %r {perm = [2, 0, 1]} : f32[3,2,1]
  %c = reshape %tr : f32[3,2]
  %e = transpose %d {perm = [1, 0, 2]} : f32[1,?,4]
  return %a, %b, %c, %e
}
// -----
// Not moved: a reshape that merges or splits non-unit dims (%a); one that
// only adds a unit dim is (%b).
// CHECK-LABEL: func @nounits(%x: f32[2,3,4]) -> (f32[12,2], f32[4,3,1,2]) {
// CHECK-NEXT:   %t = transpose %x {perm = [2, 1, 0]} : f32[4,3,2]
// CHECK-NEXT:   %a = reshape %t : f32[12,2]
// CHECK-NEXT:   %0 = reshape %x : f32[2,3,4,1]
// CHECK-NEXT:   %1 = transpose %0 {perm = [2, 1, 3, 0]} : f32[4,3,1,2]
// CHECK-NEXT:   return %a, %1
// CHECK-NEXT: }
func @nounits(%x: f32[2,3,4]) -> (f32[12,2], f32[4,3,1,2]) {
  %t = transpose %x {perm = [2, 1, 0]} : f32[4,3,2]
  %a = reshape %t : f32[12,2]
  %t2 = transpose %x {perm = [2, 1, 0]} : f32[4,3,2]
  %b = reshape %t2 : f32[4,3,1,2]
  return %a, %b
}
// -----
// A transpose of a broadcast moves onto the smaller operand (its leading
// unit dims made explicit), then chains fold: transposing b[4] into
// [4,1,1] is a reshape.
// CHECK-LABEL: func @bcast(%b: f32[4], %m: f32[3,1], %d: f32[?]) -> (f32[4,5,3], f32[4,3], f32[5,?]) {
// CHECK-NEXT:   %0 = reshape %b : f32[4,1,1]
// CHECK-NEXT:   %1 = broadcast_to %0 : f32[4,5,3]
// CHECK-NEXT:   %2 = reshape %m : f32[1,3]
// CHECK-NEXT:   %3 = broadcast_to %2 : f32[4,3]
// CHECK-NEXT:   %db = broadcast_to %d : f32[?,5]
// CHECK-NEXT:   %e = transpose %db {perm = [1, 0]} : f32[5,?]
// CHECK-NEXT:   return %1, %3, %e
// CHECK-NEXT: }
func @bcast(%b: f32[4], %m: f32[3,1], %d: f32[?]) -> (f32[4,5,3], f32[4,3], f32[5,?]) {
  %bb = broadcast_to %b : f32[3,5,4]
  %a = transpose %bb {perm = [2, 1, 0]} : f32[4,5,3]
  %mb = broadcast_to %m : f32[3,4]
  %c = transpose %mb {perm = [1, 0]} : f32[4,3]
  %db = broadcast_to %d : f32[?,5]
  %e = transpose %db {perm = [1, 0]} : f32[5,?]
  return %a, %c, %e
}
// -----
// A transpose with other users stays, so sinking through an op whose
// transposed operands all have other users, or moving a reshape below a
// shared transpose, would add a transpose: neither applies. Sinking applies
// when one of them dies (%b: %ty is used only there).
// CHECK-LABEL: func @shared(%x: f32[3,4], %y: f32[3,4]) -> (f32[4,3], f32[4,3], f32[1,4,3], f32[4,3]) {
// CHECK-NEXT:   %tx = transpose %x {perm = [1, 0]} : f32[4,3]
// CHECK-NEXT:   %a = exp %tx : f32[4,3]
// CHECK-NEXT:   %r = reshape %tx : f32[1,4,3]
// CHECK-NEXT:   %0 = add %x, %y : f32[3,4]
// CHECK-NEXT:   %1 = transpose %0 {perm = [1, 0]} : f32[4,3]
// CHECK-NEXT:   return %a, %tx, %r, %1
// CHECK-NEXT: }
func @shared(%x: f32[3,4], %y: f32[3,4]) -> (f32[4,3], f32[4,3], f32[1,4,3], f32[4,3]) {
  %tx = transpose %x {perm = [1, 0]} : f32[4,3]
  %ty = transpose %y {perm = [1, 0]} : f32[4,3]
  %a = exp %tx : f32[4,3]
  %r = reshape %tx : f32[1,4,3]
  %b = add %tx, %ty : f32[4,3]
  return %a, %tx, %r, %b
}
