// symjit-opt --dot after lowering: each launch is a cluster holding the
// launched kernel's body (its params linked to the launch by dotted edges),
// gemm is a plain node; a kernel no func launches gets its own digraph.
// RUN: %symjit-opt %s -O --dot | FileCheck %s
// With graphviz installed, dot must accept the output.
// RUN: %if graphviz %{ %symjit-opt %s -O --dot | dot -Tsvg -o %t.svg %}
func @f(%x: f32[?,4], %w: f32[4,4]) -> (f32[?,4]) {
  %e = exp %x : f32[?,4]
  %d = matmul %e, %w : f32[?,4]
  return %d
}
kernel @orphan(%a: f32[2], %o: f32[2]) {
  %c0 = constant {value = 0} : i64
  %v = load %a, %c0 : f32
  store %v, %o, %c0
  return
}
// CHECK-LABEL: digraph "func @f" {
// CHECK:        n0 [shape=ellipse, label="%x\nf32[?,4]"];
// CHECK:        subgraph cluster_{{[0-9]+}} {
// CHECK-NEXT:     style=dashed; label="";
// CHECK-NEXT:     n[[L:[0-9]+]] [shape=box, style=bold, label="launch kernel=@f_k0\ndot-launch.sj:8"];
// CHECK-NEXT:     n[[IN:[0-9]+]] [shape=ellipse, label="%in0\nf32[?,4]"];
// CHECK-NEXT:     n[[L]] -> n[[IN]] [style=dotted];
// CHECK:          subgraph cluster_{{[0-9]+}} {
// CHECK-NEXT:       style=solid; label="";
// CHECK-NEXT:       n{{[0-9]+}} [shape=box, style=bold, label="parallel_for\ndot-launch.sj:8"];
// CHECK:            n[[EXP:[0-9]+]] [label="exp\ndot-launch.sj:8"];
// CHECK-NEXT:       n{{[0-9]+}} -> n[[EXP]] [label="f32"];
// CHECK:        n0 -> n[[L]] [label="f32[?,4]"];
// CHECK:        n[[G:[0-9]+]] [label="gemm\ndot-launch.sj:9"];
// CHECK:        n[[R:[0-9]+]] [label="return\ndot-launch.sj:10"];
// CHECK-NEXT:   n{{[0-9]+}} -> n[[R]] [label="f32[?,4]"];
// CHECK-NEXT: }
// CHECK-LABEL: digraph "kernel @orphan" {
// CHECK:        n0 [shape=ellipse, label="%a\nf32[2]"];
// CHECK:        [label="store\ndot-launch.sj:15"];
// CHECK-NOT: digraph
