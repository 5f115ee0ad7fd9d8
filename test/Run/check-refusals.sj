// --check requires the reference and both compiled paths to agree on
// refusing inputs: dynamic dims that disagree at run time (a `?` never
// stretches, docs/ir.md) are refused by all three, with an error.
// RUN: not %symjit-run %s --check --func f --shape x=1 --shape y=3 2>&1 | FileCheck %s
// (errors go to stderr at once, the report to stdout when it is flushed)
// CHECK: error: reference evaluator: 'add' op: operand shapes do not broadcast at run time
// CHECK: shape mismatch before kernel
// CHECK: check: @f refused consistently
// The same program with agreeing dims passes:
// RUN: %symjit-run %s --check --func f --shape x=3 --shape y=3 | FileCheck %s --check-prefix=OK
// OK: check: @f passed
// A value beyond the reference's limit (2^28 elements) is not checked; the
// run stops with an error instead of allocating it:
// RUN: not %symjit-run %s --check --func big 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: error: reference evaluator: 'broadcast_to' op: result has too many elements for the reference evaluator (limit 2^28)
// BIG: check: @big not checked: beyond the reference evaluator
func @f(%x: f32[?], %y: f32[?]) -> (f32[?]) {
  %0 = add %x, %y : f32[?]
  return %0
}

func @big(%x: f32[]) -> (f32[]) {
  %0 = broadcast_to %x : f32[1099511627776]
  %1 = sum %0 : f32[]
  return %1
}
