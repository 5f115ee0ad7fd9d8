// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Lexical and syntax errors: each chunk fails with file:line:col at the
// offending token and says what was expected.
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:24: error: unexpected character '#'
  %0 = neg %x : f32[4] #
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:29: error: unexpected character '.'
  %0 = constant {value = 1.5.5} : f32[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:26: error: malformed number
  %0 = constant {value = 12abc} : f32[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:26: error: malformed number
  %0 = constant {value = 0x1F} : f32[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:23: error: unterminated string
  %0 = neg %x {sj.s = "unterminated} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:23: error: unknown escape '\n' in string (use \", \\ or \xNN)
  %0 = neg %x {sj.s = "a\nb"} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:23: error: bad \x escape in string (two hex digits, not 00)
  %0 = neg %x {sj.s = "a\x4g"} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:23: error: bad \x escape in string (two hex digits, not 00)
  %0 = neg %x {sj.s = "a\x00"} : f32[4]
  return %0
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:9: error: expected a name after '%'
func @f(% : f32[4]) -> (f32[4]) {
  return %x
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:6: error: expected a name after '@'
func @(%x: f32[4]) -> (f32[4]) {
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:8: error: unknown op 'frobnicate'
  %0 = frobnicate %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:12: error: use of undefined value %y
  %0 = neg %y : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:3: error: redefinition of value %x
  %x = neg %x : f32[4]
  return %x
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:21: error: redefinition of value %x
func @f(%x: f32[4], %x: f32[4]) -> (f32[4]) {
  return %x
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:13: error: expected a type (f16 bf16 f32 f64 i8 i32 i64 bool), got 'f33'
func @f(%x: f33[4]) -> (f32[4]) {
  return %x
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:33: error: tensor rank exceeds the maximum of 8
func @f(%x: f32[1,2,3,4,5,6,7,8,9]) -> () {
  return
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:17: error: dimension -3 is negative
func @f(%x: f32[-3]) -> () {
  return
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:13: error: tensor type has more than 2^63-1 elements
func @f(%x: f32[4294967296,4294967296]) -> () {
  return
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:19: error: expected an integer, got ')'
func @f(%x: f32[4,) -> () {
  return
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:12: error: 'neg' op has 2 result names but 1 type
  %0, %1 = neg %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:25: error: 'neg' op has 1 result name but more types were given
  %0 = neg %x : f32[4], f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:8: error: 'neg' op has 1 result name but 0 types (operands must start on the op's line)
  %0 = neg
    %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:26: error: integer 99999999999999999999 does not fit in 64 bits
  %0 = constant {value = 99999999999999999999} : i64[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (i64[1]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:33: error: integer 9007199254740993 in a dense literal is not exactly representable (|v| > 2^53)
  %0 = constant {value = dense<[9007199254740993]>} : i64[1]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:26: error: duplicate attribute 'sj.a'
  %0 = neg %x {sj.a = 1, sj.a = 2} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:21: error: expected '=' after the attribute name, got '1'
  %0 = neg %x {sj.a 1} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:27: error: expected an integer, got '2.5'
  %0 = neg %x {sj.a = [1, 2.5]} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:29: error: expected '[' to open the literal, got '1.0'
  %0 = neg %x {sj.a = dense<1.0>} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:23: error: expected a number, got '}'
  %0 = neg %x {sj.a = } : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:16: error: expected an attribute name, got '}'
  %0 = neg %x {} : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:3: error: 'func' is only allowed at module level
  func @g() -> () {
    return
  }
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  // CHECK: errors-syntax.sj:[[@LINE+1]]:34: error: expected ')' to close the argument list, got '{'
  %0 = for %x, %x : f32 (%i: i64 {
    yield
  }
  return %x
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:1: error: expected 'func' or 'kernel' at module level, got '%0'
%0 = neg %x : f32[4]
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:23: error: expected '{' to open the function body, got '->'
kernel @k(%x: f32[4]) -> () {
  return
}
// -----
// CHECK: errors-syntax.sj:[[@LINE+1]]:21: error: expected '{' to open the function body, got '('
func @f(%x: f32[4]) (f32[4]) {
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x : f32[4]
// CHECK: errors-syntax.sj:[[@LINE+1]]:1: error: expected '}' before end of file
