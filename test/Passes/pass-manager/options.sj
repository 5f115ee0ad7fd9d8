// Pass options in a pipeline: name{key=value key=value}. Bad options are
// reported before anything runs, naming the pass and the option, and the
// tool exits non-zero.
// RUN: not %symjit-opt %s '--passes=dce,fuse-elementwise{max-group-opz=3}' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: pass 'fuse-elementwise' has no option 'max-group-opz' (see --list-passes)
// RUN: not %symjit-opt %s '--passes=fuse-elementwise{max-group-io=65}' 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: error: pass 'fuse-elementwise': option 'max-group-io' = 65 is out of range [2, 64]
// RUN: not %symjit-opt %s '--passes=fuse-elementwise{max-group-ops=0}' 2>&1 | FileCheck %s --check-prefix=RANGE0
// RANGE0: error: pass 'fuse-elementwise': option 'max-group-ops' = 0 is out of range [1, 1048576]
// RUN: not %symjit-opt %s '--passes=fuse-elementwise{max-group-ops=12x}' 2>&1 | FileCheck %s --check-prefix=NOTINT
// NOTINT: error: pass 'fuse-elementwise': option 'max-group-ops' needs an integer, got '12x'
// RUN: not %symjit-opt %s '--passes=fuse-elementwise{max-group-ops=99999999999999999999}' 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: error: pass 'fuse-elementwise': option 'max-group-ops' needs an integer, got '99999999999999999999'
// RUN: not %symjit-opt %s '--passes=fuse-elementwise{max-group-ops}' 2>&1 | FileCheck %s --check-prefix=NOEQ
// NOEQ: error: pass 'fuse-elementwise': option 'max-group-ops' needs '=value'
// RUN: not %symjit-opt %s '--passes=fuse-elementwise{max-group-ops=2' 2>&1 | FileCheck %s --check-prefix=OPEN
// OPEN: error: pass 'fuse-elementwise': option list does not end with '}'
// RUN: not %symjit-opt %s '--passes=dce{x=1}' 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: error: pass 'dce' has no option 'x' (see --list-passes)
// RUN: not %symjit-opt %s '--passes=cse,bogus{a=1}' 2>&1 | FileCheck %s --check-prefix=PASS
// PASS: error: unknown pass 'bogus' (see --list-passes)

// A valid option changes what the pass does: with groups of at most two
// ops the chain of three splits; spaces separate options and a repeated
// option takes its last value.
// RUN: %symjit-opt %s '--passes=fuse-elementwise{max-group-ops=5 max-group-ops=2}' | FileCheck %s
// CHECK-LABEL: func @f(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:   %a = fused %x : f32[4] (%0: f32) {
// CHECK-NEXT:     %1 = neg %0 : f32
// CHECK-NEXT:     yield %1
// CHECK-NEXT:   }
// CHECK-NEXT:   %c = fused %a : f32[4] (%2: f32) {
// CHECK-NEXT:     %3 = exp %2 : f32
// CHECK-NEXT:     %4 = neg %3 : f32
// CHECK-NEXT:     yield %4
// CHECK-NEXT:   }
// CHECK-NEXT:   return %c
// CHECK-NEXT: }
func @f(%x: f32[4]) -> (f32[4]) {
  %a = neg %x : f32[4]
  %b = exp %a : f32[4]
  %c = neg %b : f32[4]
  return %c
}
