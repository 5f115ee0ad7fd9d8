// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Op verifier errors: each names the op, the rule and the types involved.
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'add' op expects 2 operands, got 1
  %0 = add %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'neg' op expects 1 operand, got 2
  %0 = neg %x, %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'add' op result type f32[5] does not match the inferred type f32[4]
  %0 = add %x, %x : f32[5]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'add' op result type f64[4] does not match the inferred type f32[4]
  %0 = add %x, %x : f64[4]
  return %0
}
// -----
func @f(%x: f32[3], %y: f32[4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'add' op operand shapes are not broadcast-compatible: f32[3] and f32[4]
  %0 = add %x, %y : f32[3]
  return %0
}
// -----
func @f(%x: f32[2,3], %y: f32[3,3]) -> (f32[2,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'maximum' op operand shapes are not broadcast-compatible: f32[2,3] and f32[3,3]
  %0 = maximum %x, %y : f32[2,3]
  return %0
}
// -----
func @f(%x: f32[3], %y: f64[3]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'mul' op operand dtypes differ: f32[3] and f64[3]
  %0 = mul %x, %y : f32[3]
  return %0
}
// -----
func @f(%x: i32[3]) -> (i32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'exp' op operand must be floating point, got i32[3]
  %0 = exp %x : i32[3]
  return %0
}
// -----
func @f(%x: bool[3]) -> (bool[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'neg' op operand must be numeric, got bool[3]
  %0 = neg %x : bool[3]
  return %0
}
// -----
func @f(%x: f32[3], %y: f32[3]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'select' op condition must be bool, got f32[3]
  %0 = select %x, %x, %y : f32[3]
  return %0
}
// -----
func @f(%x: f32[3]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'neg' op result type f32 does not match the inferred type f32[3]
  %0 = neg %x : f32
  return %x
}
// -----
func @f(%x: bool[4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'cast' op result f32[3] must have the shape of the operand bool[4]
  %0 = cast %x : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'sum' op axis 2 is out of range for rank 2
  %0 = sum %x {axes = [2]} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'max' op axis -3 is out of range for rank 2
  %0 = max %x {axes = [-3]} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'sum' op axis 1 appears twice
  %0 = sum %x {axes = [1, -1]} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'sum' op result type f32[3] does not match the inferred type f32[3,1]
  %0 = sum %x {axes = [1], keepdims = true} : f32[3]
  return %0
}
// -----
func @f(%x: i32[3,4]) -> (i32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'mean' op operand must be floating point, got i32[3,4]
  %0 = mean %x {axes = [1]} : i32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[4,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'transpose' op perm is not a permutation of 0..1
  %0 = transpose %x {perm = [0, 0]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[4,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'transpose' op perm has 3 entries but the operand f32[3,4] has rank 2
  %0 = transpose %x {perm = [1, 0, 2]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[5]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'reshape' op element counts differ: f32[3,4] has 12, f32[5] has 5
  %0 = reshape %x : f32[5]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f64[12]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'reshape' op cannot reshape f32[3,4] to f64[12]
  %0 = reshape %x : f64[12]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[2,5,4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'broadcast_to' op cannot broadcast f32[3,4] to f32[2,5,4]
  %0 = broadcast_to %x : f32[2,5,4]
  return %0
}
// -----
func @f(%x: f32[3,4], %w: f32[5,2]) -> (f32[3,2]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'matmul' op contracting dimensions differ: f32[3,4] and f32[5,2]
  %0 = matmul %x, %w : f32[3,2]
  return %0
}
// -----
func @f(%x: f32[3], %w: f32[3,2]) -> (f32[2]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'matmul' op operands must be tensors of rank >= 2, got f32[3] and f32[3,2]
  %0 = matmul %x, %w : f32[2]
  return %0
}
// -----
func @f(%x: f32[2,3,4], %w: f32[3,4,2]) -> (f32[2,3,2]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'matmul' op batch dimensions are not broadcast-compatible: f32[2,3,4] and f32[3,4,2]
  %0 = matmul %x, %w : f32[2,3,2]
  return %0
}
// -----
func @f() -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op dense literal has 2 elements but the type f32[3] needs 3
  %0 = constant {value = dense<[1.0, 2.0]>} : f32[3]
  return %0
}
// -----
func @f() -> (f32) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op a dense literal needs a tensor type, got f32
  %0 = constant {value = dense<[1.0]>} : f32
  return %0
}
// -----
func @f() -> (f32[?]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op type f32[?] has a dynamic dim; constants need a static shape
  %0 = constant {value = 1.0} : f32[?]
  return %0
}
// -----
func @f() -> (i8[2]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op value 300 is not representable in i8
  %0 = constant {value = dense<[1, 300]>} : i8[2]
  return %0
}
// -----
func @f() -> (i32[]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op value 1.5 is not representable in i32
  %0 = constant {value = 1.5} : i32[]
  return %0
}
// -----
func @f() -> (bool[]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op value 2 is not representable in bool
  %0 = constant {value = 2} : bool[]
  return %0
}
// -----
func @f() -> (f32[]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op requires attribute 'value'
  %0 = constant : f32[]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3,4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'transpose' op requires attribute 'perm'
  %0 = transpose %x : f32[3,4]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'sum' op has no attribute 'color'
  %0 = sum %x {axes = [1], color = 2} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'sum' op attribute 'axes' must be of kind ints, got int
  %0 = sum %x {axes = 1} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'sum' op attribute 'keepdims' must be of kind bool, got int
  %0 = sum %x {axes = [1], keepdims = 0} : f32[3]
  return %0
}
// -----
func @f() -> (f32[]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'constant' op attribute 'value' must be of kind num, got str
  %0 = constant {value = "one"} : f32[]
  return %0
}
// -----
kernel @k(%x: f32[4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'dim' op axis 1 is out of range for f32[4]
  %n = dim %x {axis = 1} : i64
  return
}
// -----
kernel @k(%x: f32[4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'dim' op result type i32 does not match the inferred type i64
  %n = dim %x {axis = 0} : i32
  return
}
// -----
kernel @k(%in0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'load' op expects 2 indices for f32[4,4], got 1
  %v = load %in0, %c0 : f32
  return
}
// -----
kernel @k(%in0: f32[4]) {
  %c0 = constant {value = 0} : i32
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'load' op index 0 must be an i64 scalar, got i32
  %v = load %in0, %c0 : f32
  return
}
// -----
kernel @k(%out0: i32[4]) {
  %c0 = constant {value = 0} : i64
  %v = constant {value = 1.0} : f32
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'store' op cannot store f32 into i32[4]
  store %v, %out0, %c0
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %v = constant {value = 1.0} : f32
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'store' op expects 1 index for f32[4], got 0
  store %v, %out0
  return
}
// -----
func @f(%x: f32[?,4]) -> (f32[?,4]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'alloc' op f32[?,4] has 1 dynamic dim but 0 sizes were given
  %0 = alloc : f32[?,4]
  return %0
}
// -----
func @f(%n: i64[]) -> (f32[?]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'alloc' op size 0 must be an i64 scalar, got i64[]
  %0 = alloc %n : f32[?]
  return %0
}
// -----
func @f(%a: f32[3,4], %b: f32[4,5], %c: f32[3,4]) -> () {
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'gemm' op output buffer f32[3,4] does not match the product type f32[3,5]
  gemm %a, %b, %c
  return
}
// -----
func @f(%x: f32[4]) -> () {
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'launch' op refers to unknown kernel @nothere
  launch %x {kernel = @nothere}
  return
}
// -----
func @g(%x: f32[4]) -> () {
  return
}

func @f(%x: f32[4]) -> () {
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'launch' op refers to @g, which is a 'func', not a kernel
  launch %x {kernel = @g}
  return
}
// -----
kernel @k(%in0: f32[4]) {
  return
}

func @f(%x: f64[4]) -> () {
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'launch' op argument 0 has type f64[4] but @k expects f32[4]
  launch %x {kernel = @k}
  return
}
// -----
kernel @k(%in0: f32[4], %out0: f32[4]) {
  return
}

func @f(%x: f32[4]) -> () {
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'launch' op passes 1 argument but @k takes 2
  launch %x {kernel = @k}
  return
}
// -----
kernel @k(%in0: f32[4]) {
  return
}

func @f(%x: f32[4]) -> () {
  // CHECK: errors-verify.sj:[[@LINE+1]]:3: error: 'launch' op requires attribute 'kernel'
  launch %x
  return
}
// -----
func @f(%x: f32[4,3], %i: f32[2]) -> (f32[2,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'take' op indices must be integers, got f32[2]
  %0 = take %x, %i {axis = 0} : f32[2,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[2]) -> (f32[2,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'take' op axis 2 is out of range for f32[4,3]
  %0 = take %x, %i {axis = 2} : f32[2,3]
  return %0
}
// -----
func @f(%x: f32[0,3], %i: i32[2]) -> (f32[2,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'take' op cannot index axis 0 of f32[0,3]: it is empty
  %0 = take %x, %i {axis = 0} : f32[2,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[2]) -> (f32[2]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'take_along_axis' op indices i32[2] must have the rank of f32[4,3] and broadcast with it off axis 1
  %0 = take_along_axis %x, %i {axis = 1} : f32[2]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[5,1]) -> (f32[5,1]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'take_along_axis' op indices i32[5,1] must have the rank of f32[4,3] and broadcast with it off axis 1
  %0 = take_along_axis %x, %i {axis = 1} : f32[5,1]
  return %0
}
// -----
func @f(%g: f32[2,4], %i: i32[2], %x: f32[4,3]) -> (f32[4,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'scatter_add' op updates f32[2,4] do not fit f32[4,3] indexed by i32[2] (expected f32[2,3])
  %0 = scatter_add %g, %i, %x {axis = 0} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[4,3], %i: i32[2]) -> (f32[2,3]) {
  // CHECK: errors-verify.sj:[[@LINE+1]]:8: error: 'take' op result type f32[3,3] does not match the inferred type f32[2,3]
  %0 = take %x, %i {axis = 0} : f32[3,3]
  return %0
}
