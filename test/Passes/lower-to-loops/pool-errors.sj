// RUN: not %symjit-opt %s --passes=lower-to-loops 2>&1 | FileCheck %s
// A dynamic H or W: the pooled extent would need a function-level size op
// (as slice_len for slices), which does not exist yet; refused by name
// instead of guessed (the verifier and the reference evaluator accept it).
// CHECK: pool-errors.sj:[[@LINE+2]]:{{[0-9]+}}: error: 'max_pool2d' op: lower-to-loops does not support a dynamic H or W (dim 2 of the first operand) yet
func @f(%x: f32[1,1,?,4]) -> (f32[1,1,?,2]) {
  %0 = max_pool2d %x {pad = [0, 0, 0, 0], stride = [2, 2], window = [2, 2]} : f32[1,1,?,2]
  return %0
}
