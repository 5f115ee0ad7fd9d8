// symjit-opt --dot on scans: a scan is a cluster holding its body (the
// region, or the outlined func `body = @f` drawn inside it, as a launch
// holds its kernel), with dotted edges to the body's arguments labelled by
// role (row, state, non-seq) and a dashed "next" edge from each new state
// the body yields back to its state argument (the recurrence: in @g, %a's
// next is %a itself, %b's is %t).
// RUN: %symjit-opt %s --dot | FileCheck %s
// With graphviz installed, dot must accept the output.
// RUN: %if graphviz %{ %symjit-opt %s --dot | dot -Tsvg -o %t.svg %}
func @f(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3] (%x: f32[3], %h: f32[3], %v: f32[3]) {
    %m = mul %h, %v : f32[3]
    %h2 = add %m, %x : f32[3]
    yield %h2
  }
  return %H
}

func @g.scan0(%x: f32[], %a: f32[], %b: f32[]) -> (f32[], f32[]) {
  %s = add %a, %b : f32[]
  %t = add %s, %x : f32[]
  return %a, %t
}

func @g(%xs: f32[4], %a0: f32[], %b0: f32[]) -> (f32[5], f32[]) {
  %A, %B = scan %xs, %a0, %b0 {body = @g.scan0, last = [1], nseq = 1, nstate = 2} : f32[5], f32[]
  return %A, %B
}
// CHECK-LABEL: digraph "func @f" {
// CHECK-NEXT:   graph [fontname="monospace", fontsize=10, labelloc=t, label="func @f"];
// CHECK-NEXT:   node [shape=box, fontname="monospace", fontsize=10];
// CHECK-NEXT:   edge [fontname="monospace", fontsize=9];
// CHECK-NEXT:   n0 [shape=ellipse, label="%xs\nf32[5,3]"];
// CHECK-NEXT:   n1 [shape=ellipse, label="%h0\nf32[3]"];
// CHECK-NEXT:   n2 [shape=ellipse, label="%w\nf32[3]"];
// CHECK-NEXT:   subgraph cluster_4 {
// CHECK-NEXT:     style=rounded; label="";
// CHECK-NEXT:     n3 [shape=box, style=bold, label="scan nseq=1 nstate=1\ndot-scan.sj:11"];
// CHECK-NEXT:     n5 [shape=ellipse, label="%x\nf32[3]"];
// CHECK-NEXT:     n3 -> n5 [style=dotted, label="row"];
// CHECK-NEXT:     n6 [shape=ellipse, label="%h\nf32[3]"];
// CHECK-NEXT:     n3 -> n6 [style=dotted, label="state"];
// CHECK-NEXT:     n7 [shape=ellipse, label="%v\nf32[3]"];
// CHECK-NEXT:     n3 -> n7 [style=dotted, label="non-seq"];
// CHECK-NEXT:     n8 [label="mul\ndot-scan.sj:12"];
// CHECK-NEXT:     n6 -> n8 [label="f32[3]"];
// CHECK-NEXT:     n7 -> n8 [label="f32[3]"];
// CHECK-NEXT:     n9 [label="add\ndot-scan.sj:13"];
// CHECK-NEXT:     n8 -> n9 [label="f32[3]"];
// CHECK-NEXT:     n5 -> n9 [label="f32[3]"];
// CHECK-NEXT:     n10 [label="yield\ndot-scan.sj:14"];
// CHECK-NEXT:     n9 -> n10 [label="f32[3]"];
// CHECK-NEXT:     n9 -> n6 [style=dashed, constraint=false, label="next"];
// CHECK-NEXT:   }
// CHECK-NEXT:   n0 -> n3 [label="f32[5,3]"];
// CHECK-NEXT:   n1 -> n3 [label="f32[3]"];
// CHECK-NEXT:   n2 -> n3 [label="f32[3]"];
// CHECK-NEXT:   n11 [label="return\ndot-scan.sj:16"];
// CHECK-NEXT:   n3 -> n11 [label="f32[6,3]"];
// CHECK-NEXT: }
// CHECK-LABEL: digraph "func @g.scan0" {
// CHECK-NEXT:   graph [fontname="monospace", fontsize=10, labelloc=t, label="func @g.scan0"];
// CHECK-NEXT:   node [shape=box, fontname="monospace", fontsize=10];
// CHECK-NEXT:   edge [fontname="monospace", fontsize=9];
// CHECK-NEXT:   n0 [shape=ellipse, label="%x\nf32[]"];
// CHECK-NEXT:   n1 [shape=ellipse, label="%a\nf32[]"];
// CHECK-NEXT:   n2 [shape=ellipse, label="%b\nf32[]"];
// CHECK-NEXT:   n3 [label="add\ndot-scan.sj:20"];
// CHECK-NEXT:   n1 -> n3 [label="f32[]"];
// CHECK-NEXT:   n2 -> n3 [label="f32[]"];
// CHECK-NEXT:   n4 [label="add\ndot-scan.sj:21"];
// CHECK-NEXT:   n3 -> n4 [label="f32[]"];
// CHECK-NEXT:   n0 -> n4 [label="f32[]"];
// CHECK-NEXT:   n5 [label="return\ndot-scan.sj:22"];
// CHECK-NEXT:   n1 -> n5 [label="f32[]"];
// CHECK-NEXT:   n4 -> n5 [label="f32[]"];
// CHECK-NEXT: }
// CHECK-LABEL: digraph "func @g" {
// CHECK-NEXT:   graph [fontname="monospace", fontsize=10, labelloc=t, label="func @g"];
// CHECK-NEXT:   node [shape=box, fontname="monospace", fontsize=10];
// CHECK-NEXT:   edge [fontname="monospace", fontsize=9];
// CHECK-NEXT:   n0 [shape=ellipse, label="%xs\nf32[4]"];
// CHECK-NEXT:   n1 [shape=ellipse, label="%a0\nf32[]"];
// CHECK-NEXT:   n2 [shape=ellipse, label="%b0\nf32[]"];
// CHECK-NEXT:   subgraph cluster_4 {
// CHECK-NEXT:     style=rounded; label="";
// CHECK-NEXT:     n3 [shape=box, style=bold, label="scan body=@g.scan0 last=[1] nseq=1 nstate=2\ndot-scan.sj:26"];
// CHECK-NEXT:     n5 [shape=ellipse, label="%x\nf32[]"];
// CHECK-NEXT:     n3 -> n5 [style=dotted, label="row"];
// CHECK-NEXT:     n6 [shape=ellipse, label="%a\nf32[]"];
// CHECK-NEXT:     n3 -> n6 [style=dotted, label="state"];
// CHECK-NEXT:     n7 [shape=ellipse, label="%b\nf32[]"];
// CHECK-NEXT:     n3 -> n7 [style=dotted, label="state"];
// CHECK-NEXT:     n8 [label="add\ndot-scan.sj:20"];
// CHECK-NEXT:     n6 -> n8 [label="f32[]"];
// CHECK-NEXT:     n7 -> n8 [label="f32[]"];
// CHECK-NEXT:     n9 [label="add\ndot-scan.sj:21"];
// CHECK-NEXT:     n8 -> n9 [label="f32[]"];
// CHECK-NEXT:     n5 -> n9 [label="f32[]"];
// CHECK-NEXT:     n10 [label="return\ndot-scan.sj:22"];
// CHECK-NEXT:     n6 -> n10 [label="f32[]"];
// CHECK-NEXT:     n9 -> n10 [label="f32[]"];
// CHECK-NEXT:     n6 -> n6 [style=dashed, constraint=false, label="next"];
// CHECK-NEXT:     n9 -> n7 [style=dashed, constraint=false, label="next"];
// CHECK-NEXT:   }
// CHECK-NEXT:   n0 -> n3 [label="f32[4]"];
// CHECK-NEXT:   n1 -> n3 [label="f32[]"];
// CHECK-NEXT:   n2 -> n3 [label="f32[]"];
// CHECK-NEXT:   n11 [label="return\ndot-scan.sj:27"];
// CHECK-NEXT:   n3 -> n11 [label="f32[5]"];
// CHECK-NEXT:   n3 -> n11 [label="f32[]"];
// CHECK-NEXT: }
