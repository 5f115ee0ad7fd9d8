// Execution of the dimshuffle rewrites (dimshuffle.sj) against the
// reference evaluator, which runs the functions as written: every output
// element must land where the unrewritten index maps put it. (@bcast
// without its dynamic broadcast_to, which lower-to-loops cannot size.)
// RUN: %symjit-run %s --check --func sink --dim 3 | FileCheck %s --check-prefix=SINK
// SINK: check: @sink passed
// RUN: %symjit-run %s --check --func nosink --dim 3 | FileCheck %s --check-prefix=NOSINK
// NOSINK: check: @nosink passed
// RUN: %symjit-run %s --check --func units --dim 3 | FileCheck %s --check-prefix=UNITS
// UNITS: check: @units passed
// RUN: %symjit-run %s --check --func nounits --dim 3 | FileCheck %s --check-prefix=NOUNITS
// NOUNITS: check: @nounits passed
// RUN: %symjit-run %s --check --func bcast --dim 3 | FileCheck %s --check-prefix=BCAST
// BCAST: check: @bcast passed
// RUN: %symjit-run %s --check --func shared | FileCheck %s --check-prefix=SHARED
// SHARED: check: @shared passed
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

func @nounits(%x: f32[2,3,4]) -> (f32[12,2], f32[4,3,1,2]) {
  %t = transpose %x {perm = [2, 1, 0]} : f32[4,3,2]
  %a = reshape %t : f32[12,2]
  %t2 = transpose %x {perm = [2, 1, 0]} : f32[4,3,2]
  %b = reshape %t2 : f32[4,3,1,2]
  return %a, %b
}

func @bcast(%b: f32[4], %m: f32[3,1]) -> (f32[4,5,3], f32[4,3]) {
  %bb = broadcast_to %b : f32[3,5,4]
  %a = transpose %bb {perm = [2, 1, 0]} : f32[4,5,3]
  %mb = broadcast_to %m : f32[3,4]
  %c = transpose %mb {perm = [1, 0]} : f32[4,3]
  return %a, %c
}

func @shared(%x: f32[3,4], %y: f32[3,4]) -> (f32[4,3], f32[4,3], f32[1,4,3], f32[4,3]) {
  %tx = transpose %x {perm = [1, 0]} : f32[4,3]
  %ty = transpose %y {perm = [1, 0]} : f32[4,3]
  %a = exp %tx : f32[4,3]
  %r = reshape %tx : f32[1,4,3]
  %b = add %tx, %ty : f32[4,3]
  return %a, %tx, %r, %b
}
