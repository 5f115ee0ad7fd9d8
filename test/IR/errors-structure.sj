// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Structural errors: terminators, regions, isolation, symbols, results.
// CHECK: errors-structure.sj:[[@LINE+1]]:21: error: @f declares 2 results but returns 1
func @f(%x: f32[4]) -> (f32[4], f32[4]) {
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[3]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:3: error: 'return' value 0 has type f32[4] but @f declares f32[3]
  return %x
}
// -----
// CHECK: errors-structure.sj:[[@LINE+1]]:1: error: 'func' op @f must end with 'return'
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x : f32[4]
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x : f32[4]
  // CHECK: errors-structure.sj:[[@LINE+1]]:3: error: 'return' op must be the last op of @f
  return %0
  %1 = neg %x : f32[4]
}
// -----
// CHECK: errors-structure.sj:[[@LINE+1]]:1: error: 'kernel' op @k: a kernel returns nothing; it writes its buffer arguments
kernel @k(%x: f32[4]) {
  return %x
}
// -----
// CHECK: errors-structure.sj:[[@LINE+1]]:1: error: 'func' op @f must end with 'return'
func @f(%x: f32[4]) -> (f32[4]) {
  yield %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = fused %x : f32[4] (%a: f32) {
    %e = exp %a : f32
    // CHECK: errors-structure.sj:[[@LINE+1]]:5: error: 'yield' op yields 2 values but the parent 'fused' has 1 result
    yield %e, %e
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'fused' op body must end with 'yield'
  %0 = fused %x : f32[4] (%a: f32) {
    %e = exp %a : f32
    return %e
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'fused' op body must end with 'yield'
  %0 = fused %x : f32[4] (%a: f32) {
    %e = exp %a : f32
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = fused %x : f32[4] (%a: f32) {
    %e = cast %a : i32
    // CHECK: errors-structure.sj:[[@LINE+1]]:5: error: 'yield' op value 0 has type i32 but 'fused' expects f32
    yield %e
  }
  return %0
}
// -----
func @f(%x: f32[4], %y: f32[4]) -> (f32[4]) {
  %0 = fused %x : f32[4] (%a: f32) {
    // CHECK: errors-structure.sj:[[@LINE+1]]:10: error: 'add' op operand 1 %y is defined outside the enclosing 'fused' (its body is isolated: pass the value as an operand)
    %e = add %a, %y : f32
    yield %e
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = fused %x : f32[4] (%a: f32) {
    // CHECK: errors-structure.sj:[[@LINE+1]]:10: error: 'sum' op operand 0 %x is defined outside the enclosing 'fused' (its body is isolated: pass the value as an operand)
    %e = sum %x : f32[]
    yield %a
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'fused' op body has 2 arguments for 1 operands
  %0 = fused %x : f32[4] (%a: f32, %b: f32) {
    yield %a
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'fused' op body argument 0 must be a f32 scalar, got f64
  %0 = fused %x : f32[4] (%a: f64) {
    %e = cast %a : f32
    yield %e
  }
  return %0
}
// -----
func @f(%x: f32[5]) -> (f32[4]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'fused' op operand 0 of type f32[5] does not broadcast to f32[4]
  %0 = fused %x : f32[4] (%a: f32) {
    yield %a
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4], f32[5]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:12: error: 'fused' op result 1 has type f32[5]; all results must be tensors of shape f32[4]
  %0, %1 = fused %x : f32[4], f32[5] (%a: f32) {
    yield %a, %a
  }
  return %0, %1
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  // CHECK: errors-structure.sj:[[@LINE+1]]:3: error: 'for' op body must end with 'yield'
  for %c0, %c4 (%i: i64) {
    %v = constant {value = 1.0} : f32
    store %v, %out0, %i
  }
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %z = constant {value = 0.0} : f32
  %s = for %c0, %c4, %z : f32 (%i: i64, %acc: f32) {
    // CHECK: errors-structure.sj:[[@LINE+1]]:5: error: 'yield' op yields 0 values but the parent 'for' has 1 result
    yield
  }
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %z = constant {value = 0.0} : f32
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'for' op carried value 0: initial f32, argument f32 and result f64 must agree
  %s = for %c0, %c4, %z : f64 (%i: i64, %acc: f32) {
    yield %acc
  }
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  %z = constant {value = 0.0} : f32
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'for' op body must have 2 arguments (induction variable first), got 1
  %s = for %c0, %c4, %z : f32 (%i: i64) {
    yield %z
  }
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i32
  %c4 = constant {value = 4} : i64
  // CHECK: errors-structure.sj:[[@LINE+1]]:3: error: 'parallel_for' op bound 0 must be an i64 scalar, got i32
  parallel_for %c0, %c4 (%i: i64) {
    yield
  }
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  // CHECK: errors-structure.sj:[[@LINE+1]]:3: error: 'parallel_for' op induction variable must be i64
  parallel_for %c0, %c4 (%i: i32) {
    yield
  }
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  parallel_for %c0, %c4 (%i: i64) {
    %v = constant {value = 1.0} : f32
    yield
  }
  // CHECK: errors-structure.sj:[[@LINE+1]]:3: error: 'store' op operand 0 %v is defined in a region that does not enclose this op
  store %v, %out0, %c0
  return
}
// -----
kernel @k(%out0: f32[4]) {
  %c0 = constant {value = 0} : i64
  %c4 = constant {value = 4} : i64
  // CHECK: errors-structure.sj:[[@LINE+1]]:3: error: 'parallel_for' op body must end with 'yield'
  parallel_for %c0, %c4 (%i: i64) {
    return
  }
  return
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-structure.sj:[[@LINE+1]]:8: error: 'neg' op has 0 regions, got 1
  %0 = neg %x : f32[4] (%a: f32) {
    yield %a
  }
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  return %x
}

// CHECK: errors-structure.sj:[[@LINE+1]]:1: error: redefinition of symbol @f
func @f(%x: f32[4]) -> (f32[4]) {
  return %x
}
// -----
kernel @f(%x: f32[4]) {
  return
}

// CHECK: errors-structure.sj:[[@LINE+1]]:1: error: redefinition of symbol @f
func @f(%x: f32[4]) -> (f32[4]) {
  return %x
}
