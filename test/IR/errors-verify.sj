// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s
// Verifier errors: each names the op, the rule and the types involved.
// CHECK: {{.*}}errors-verify.sj:31:8: error: 'add' op expects 2 operands, got 1
// CHECK: {{.*}}errors-verify.sj:36:8: error: 'add' op result type f32[5] does not match the inferred type f32[4]
// CHECK: {{.*}}errors-verify.sj:41:8: error: 'add' op operand shapes are not broadcast-compatible: f32[3] and f32[4]
// CHECK: {{.*}}errors-verify.sj:46:8: error: 'mul' op operand dtypes differ: f32[3] and f64[3]
// CHECK: {{.*}}errors-verify.sj:51:8: error: 'exp' op operand must be floating point, got i32[3]
// CHECK: {{.*}}errors-verify.sj:56:8: error: 'sum' op axis 2 is out of range for rank 2
// CHECK: {{.*}}errors-verify.sj:61:8: error: 'transpose' op perm is not a permutation of 0..1
// CHECK: {{.*}}errors-verify.sj:66:8: error: 'reshape' op element counts differ: f32[3,4] has 12, f32[5] has 5
// CHECK: {{.*}}errors-verify.sj:71:8: error: 'constant' op dense literal has 2 elements but the type f32[3] needs 3
// CHECK: {{.*}}errors-verify.sj:76:8: error: 'constant' op type f32[?] has a dynamic dim; constants need a static shape
// CHECK: {{.*}}errors-verify.sj:81:8: error: 'transpose' op requires attribute 'perm'
// CHECK: {{.*}}errors-verify.sj:86:8: error: 'sum' op has no attribute 'color'
// CHECK: {{.*}}errors-verify.sj:91:8: error: 'sum' op attribute 'axes' must be of kind ints
// CHECK: {{.*}}errors-verify.sj:96:8: error: 'matmul' op contracting dimensions differ: f32[3,4] and f32[5,2]
// CHECK: {{.*}}errors-verify.sj:100:21: error: @f declares 2 results but returns 1
// CHECK: {{.*}}errors-verify.sj:104:1: error: 'func' op @f must end with 'return'
// CHECK: {{.*}}errors-verify.sj:111:5: error: 'yield' op yields 2 values but the parent 'fused' has 1 results
// CHECK: {{.*}}errors-verify.sj:118:10: error: 'add' op operand 1 is defined outside the enclosing 'fused'
// CHECK: {{.*}}errors-verify.sj:126:8: error: 'load' op expects 2 indices for f32[4,4], got 1
// CHECK: {{.*}}errors-verify.sj:133:3: error: 'store' op cannot store f32 into i32[4]
// CHECK: {{.*}}errors-verify.sj:140:3: error: 'for' op body must end with 'yield'
// CHECK: {{.*}}errors-verify.sj:148:3: error: 'launch' op refers to unknown kernel @nothere
// CHECK: {{.*}}errors-verify.sj:157:3: error: 'launch' op argument 0 has type f64[4] but @k expects f32[4]
// CHECK: {{.*}}errors-verify.sj:162:8: error: 'alloc' op f32[?,4] has 1 dynamic dims but 0 sizes were given
// CHECK: {{.*}}errors-verify.sj:170:1: error: redefinition of symbol @f
// CHECK: {{.*}}errors-verify.sj:174:1: error: 'func' op @f must end with 'return'
// CHECK: {{.*}}errors-verify.sj:182:8: error: 'cast' op result f32[3] must have the shape of the operand bool[4]
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = add %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = add %x, %x : f32[5]
  return %0
}
// -----
func @f(%x: f32[3], %y: f32[4]) -> (f32[3]) {
  %0 = add %x, %y : f32[3]
  return %0
}
// -----
func @f(%x: f32[3], %y: f64[3]) -> (f32[3]) {
  %0 = mul %x, %y : f32[3]
  return %0
}
// -----
func @f(%x: i32[3]) -> (i32[3]) {
  %0 = exp %x : i32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  %0 = sum %x {axes = [2]} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[4,3]) {
  %0 = transpose %x {perm = [0, 0]} : f32[4,3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[5]) {
  %0 = reshape %x : f32[5]
  return %0
}
// -----
func @f() -> (f32[3]) {
  %0 = constant {value = dense<[1.0, 2.0]>} : f32[3]
  return %0
}
// -----
func @f() -> (f32[?]) {
  %0 = constant {value = 1.0} : f32[?]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3,4]) {
  %0 = transpose %x : f32[3,4]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  %0 = sum %x {axes = [1], color = 2} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4]) -> (f32[3]) {
  %0 = sum %x {axes = 1} : f32[3]
  return %0
}
// -----
func @f(%x: f32[3,4], %w: f32[5,2]) -> (f32[3,2]) {
  %0 = matmul %x, %w : f32[3,2]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4], f32[4]) {
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x : f32[4]
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = fused %x : f32[4] (%a: f32) {
    %e = exp %a : f32
    yield %e, %e
  }
  return %0
}
// -----
func @f(%x: f32[4], %y: f32[4]) -> (f32[4]) {
  %0 = fused %x : f32[4] (%a: f32) {
    %e = add %a, %y : f32
    yield %e
  }
  return %0
}
// -----
kernel @k(%in0: f32[4,4]) {
  %c0 = constant {value = 0} : i64
  %v = load %in0, %c0 : f32
  return
}
// -----
kernel @k(%out0: i32[4]) {
  %c0 = constant {value = 0} : i64
  %v = constant {value = 1.0} : f32
  store %v, %out0, %c0
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  for %c0, %c4 (%i: i64) {
    %v = constant {value = 1.0} : f32
    store %v, %out0, %i
  }
  return
}
// -----
func @f(%x: f32[4]) -> () {
  launch %x {kernel = @nothere}
  return
}
// -----
kernel @k(%in0: f32[4]) {
  return
}

func @f(%x: f64[4]) -> () {
  launch %x {kernel = @k}
  return
}
// -----
func @f(%x: f32[?,4]) -> (f32[?,4]) {
  %0 = alloc : f32[?,4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  return %x
}

func @f(%x: f32[4]) -> (f32[4]) {
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x : f32[4]
  return %0
  %1 = neg %x : f32[4]
}
// -----
func @f(%x: bool[4]) -> (f32[4]) {
  %0 = select %x, %x, %x : bool[4]
  %1 = cast %0 : f32[3]
  return %1
}
