// symjit-opt --time-passes: MLIR's execution time report on stderr, one
// line per pipeline entry in order, then the verifier's time and the total.
// The numbers are wall times, so only their format is checked.
// RUN: %symjit-opt %s --passes=canonicalize,cse,dce --time-passes 2>&1 >/dev/null | FileCheck %s
// CHECK:      ===-------------------------------------------------------------------------===
// CHECK-NEXT:                        ... Execution time report ...
// CHECK-NEXT: ===-------------------------------------------------------------------------===
// CHECK-NEXT:   Total Execution Time: {{[0-9]+\.[0-9][0-9][0-9][0-9]}} seconds
// CHECK-EMPTY:
// CHECK-NEXT:   ----Wall Time----  ----Name----
// CHECK-NEXT:   {{ *[0-9]+\.[0-9][0-9][0-9][0-9] \( *[0-9]+\.[0-9]%\)}}  canonicalize
// CHECK-NEXT:   {{ *[0-9]+\.[0-9][0-9][0-9][0-9] \( *[0-9]+\.[0-9]%\)}}  cse
// CHECK-NEXT:   {{ *[0-9]+\.[0-9][0-9][0-9][0-9] \( *[0-9]+\.[0-9]%\)}}  dce
// CHECK-NEXT:   {{ *[0-9]+\.[0-9][0-9][0-9][0-9] \( *[0-9]+\.[0-9]%\)}}  (verify-each)
// CHECK-NEXT:   {{ *[0-9]+\.[0-9][0-9][0-9][0-9] \(100\.0%\)}}  Total
// CHECK-NOT:  {{.}}

// All three reports together come in a fixed order: remarks, statistics,
// times; the module on stdout is the same as without them.
// RUN: %symjit-opt %s --passes=dce --time-passes --pass-statistics --debug-fusion 2>&1 >/dev/null | FileCheck %s --check-prefix=ALL
// ALL:      ... Pass statistics report ...
// ALL:      dce
// ALL-NEXT:   (S) 1 ops-erased - unused pure ops erased
// ALL-NEXT: ===
// ALL-NEXT: ... Execution time report ...
// RUN: %symjit-opt %s --passes=dce --time-passes --pass-statistics --debug-fusion 2>/dev/null > %t.with
// RUN: %symjit-opt %s --passes=dce > %t.without
// RUN: diff %t.with %t.without
func @f(%x: f32[4]) -> (f32[4]) {
  %a = neg %x : f32[4]
  %b = exp %x : f32[4]
  return %a
}
