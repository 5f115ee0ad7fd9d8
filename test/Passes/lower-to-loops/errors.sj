// RUN: not %symjit-opt %s --passes=lower-to-loops 2>&1 | FileCheck %s
// A broadcast_to that invents a dynamic dim: nothing in the func knows its
// size at run time, so no buffer can be allocated.
// CHECK: errors.sj:[[@LINE+2]]:{{[0-9]+}}: error: 'broadcast_to' op: lower-to-loops cannot tell the size of dynamic dim 0 of its result
func @f(%r: f32[3]) -> (f32[?,3]) {
  %0 = broadcast_to %r : f32[?,3]
  return %0
}
