// The size limits, as pass options, and their refusals.
// RUN: %symjit-opt %s '--passes=fuse-elementwise{max-group-ops=2}' --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=OPS
// RUN: %symjit-opt %s '--passes=fuse-elementwise{max-group-io=3}' --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=IO
// With the defaults everything is one group and nothing is said:
// RUN: %symjit-opt %s --passes=fuse-elementwise --debug-fusion 2>&1 >/dev/null | count 0

// Groups of two, grown from the end: {%d, %c}, then {%b, %a}.
// OPS:      limits.sj:[[@LINE+8]]:8: remark: [fuse-elementwise] '%b' (mul) not fused into the group of '%d': the group already has max-group-ops ops
// OPS-NOT:  remark
// Three parameters: %d's group takes %c (inputs %b, %z, result %d), then
// %b would add %y: four.
// IO:       limits.sj:[[@LINE+4]]:8: remark: [fuse-elementwise] '%b' (mul) not fused into the group of '%d': the group would need more than max-group-io inputs and results
// IO-NOT:   remark
func @chain(%x: f32[4], %y: f32[4], %z: f32[4]) -> (f32[4]) {
  %a = neg %x : f32[4]
  %b = mul %a, %y : f32[4]
  %c = add %b, %z : f32[4]
  %d = exp %c : f32[4]
  return %d
}
