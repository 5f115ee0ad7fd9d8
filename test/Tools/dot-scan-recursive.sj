// A body that scans itself verifies (the reference evaluator refuses to run
// it); --dot draws the outlined body inside the scan only 32 levels deep
// instead of recursing forever.
// RUN: %symjit-opt %s --dot | FileCheck %s
func @g(%s: f64[], %n: i64[]) -> (f64[]) {
  %t = scan %n, %s, %n {body = @g, has_n = true, last = [0], nseq = 0, nstate = 1} : f64[]
  return %t
}
// CHECK-LABEL: digraph "func @g" {
// CHECK-COUNT-33: label="scan body=@g has_n=true last=[0] nseq=0 nstate=1\ndot-scan-recursive.sj:6"
// CHECK-NOT: label="scan
