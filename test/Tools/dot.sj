// symjit-opt --dot: funcs as Graphviz digraphs. Ops are nodes (name,
// attributes, file:line), types label the edges; a fused op is a cluster:
// its header node (operands in, results out), dotted edges to its region
// arguments, and its body.
// RUN: %symjit-opt %s --passes=fuse-elementwise --dot | FileCheck %s
func @f(%x: f32[4], %y: f32[4]) -> (f32[]) {
  %e = exp %x : f32[4]
  %m = mul %e, %y : f32[4]
  %s = sum %m {axes = [0]} : f32[]
  return %s
}
// CHECK-LABEL: digraph "func @f" {
// CHECK-NEXT:   graph [fontname="monospace", fontsize=10, labelloc=t, label="func @f"];
// CHECK-NEXT:   node [shape=box, fontname="monospace", fontsize=10];
// CHECK-NEXT:   edge [fontname="monospace", fontsize=9];
// CHECK-NEXT:   n0 [shape=ellipse, label="%x\nf32[4]"];
// CHECK-NEXT:   n1 [shape=ellipse, label="%y\nf32[4]"];
// CHECK-NEXT:   subgraph cluster_3 {
// CHECK-NEXT:     style=rounded; label="";
// CHECK-NEXT:     n2 [shape=box, style=bold, label="fused\ndot.sj:8"];
// CHECK-NEXT:     n4 [shape=ellipse, label="arg0\nf32"];
// CHECK-NEXT:     n2 -> n4 [style=dotted];
// CHECK-NEXT:     n5 [shape=ellipse, label="arg1\nf32"];
// CHECK-NEXT:     n2 -> n5 [style=dotted];
// CHECK-NEXT:     n6 [label="exp\ndot.sj:7"];
// CHECK-NEXT:     n4 -> n6 [label="f32"];
// CHECK-NEXT:     n7 [label="mul\ndot.sj:8"];
// CHECK-NEXT:     n6 -> n7 [label="f32"];
// CHECK-NEXT:     n5 -> n7 [label="f32"];
// CHECK-NEXT:     n8 [label="yield\ndot.sj:8"];
// CHECK-NEXT:     n7 -> n8 [label="f32"];
// CHECK-NEXT:   }
// CHECK-NEXT:   n0 -> n2 [label="f32[4]"];
// CHECK-NEXT:   n1 -> n2 [label="f32[4]"];
// CHECK-NEXT:   n9 [label="sum axes=[0]\ndot.sj:9"];
// CHECK-NEXT:   n2 -> n9 [label="f32[4]"];
// CHECK-NEXT:   n10 [label="return\ndot.sj:10"];
// CHECK-NEXT:   n9 -> n10 [label="f32[]"];
// CHECK-NEXT: }
// CHECK-NOT: digraph
