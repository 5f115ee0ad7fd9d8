// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s
// Lexical and syntax errors: each chunk fails with file:line:col.
// CHECK: {{.*}}errors-syntax.sj:19:24: error: unexpected character '#'
// CHECK: {{.*}}errors-syntax.sj:24:29: error: unexpected character '.'
// CHECK: {{.*}}errors-syntax.sj:29:26: error: malformed number
// CHECK: {{.*}}errors-syntax.sj:34:26: error: unterminated string
// CHECK: {{.*}}errors-syntax.sj:39:8: error: unknown op 'frobnicate'
// CHECK: {{.*}}errors-syntax.sj:44:12: error: use of undefined value %y
// CHECK: {{.*}}errors-syntax.sj:49:3: error: redefinition of value %x
// CHECK: {{.*}}errors-syntax.sj:53:13: error: expected a type (f16 bf16 f32 f64 i8 i32 i64 bool), got 'f33'
// CHECK: {{.*}}errors-syntax.sj:57:33: error: tensor rank exceeds the maximum of 8
// CHECK: {{.*}}errors-syntax.sj:61:17: error: dimension -3 is negative
// CHECK: {{.*}}errors-syntax.sj:66:12: error: 'neg' op has 2 result names but 1 type
// CHECK: {{.*}}errors-syntax.sj:71:26: error: integer 99999999999999999999 does not fit in 64 bits
// CHECK: {{.*}}errors-syntax.sj:76:26: error: duplicate attribute 'axis'
// CHECK: {{.*}}errors-syntax.sj:80:1: error: expected 'func' or 'kernel' at module level, got '%0'
// CHECK: {{.*}}errors-syntax.sj:84:1: error: expected '}' before end of file
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x : f32[4] #
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = constant {value = 1.5.5} : f32[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = constant {value = 12abc} : f32[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = constant {value = "unterminated} : f32[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = frobnicate %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %y : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %x = neg %x : f32[4]
  return %x
}
// -----
func @f(%x: f33[4]) -> (f32[4]) {
  return %x
}
// -----
func @f(%x: f32[1,2,3,4,5,6,7,8,9]) -> () {
  return
}
// -----
func @f(%x: f32[-3]) -> () {
  return
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0, %1 = neg %x : f32[4]
  return %0
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = constant {value = 99999999999999999999} : i64[]
  return %x
}
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x {axis = 1, axis = 2} : f32[4]
  return %0
}
// -----
%0 = neg %x : f32[4]
// -----
func @f(%x: f32[4]) -> (f32[4]) {
  %0 = neg %x : f32[4]
