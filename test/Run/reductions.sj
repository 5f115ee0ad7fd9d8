// Every reduction over each axis, all axes, negative axes and keepdims,
// with dynamic dims.
// RUN: %symjit-run %s --check --func axes --shape x=7x5x9 | FileCheck %s
// RUN: %symjit-run %s --check --func kinds --shape x=13x6 | FileCheck %s --check-prefix=KIND
// RUN: %symjit-run %s --check --func full --shape x=1000 | FileCheck %s --check-prefix=FULL
// CHECK: check: @axes passed
// KIND: check: @kinds passed
// Large full reductions run as parallel chunks (lib/codegen/parallel.c):
// RUN: %symjit-run %s --check --func full --shape x=1000003 | FileCheck %s --check-prefix=FULL
// RUN: %symjit-run %s --check --func full2 --shape x=3001x77 | FileCheck %s --check-prefix=FULL2
// RUN: %symjit-run %s --check --func fullint --shape x=500001 --int-range -100,100 | FileCheck %s --check-prefix=INT
// FULL: check: @full passed
// FULL2: check: @full2 passed
// INT: check: @fullint passed
// Elementwise producers fused into full reductions (one parallel pass):
// RUN: %symjit-run %s --check --func fusedfull --shape x=700001 --shape y=700001 --shape z=20001x8 | FileCheck %s --check-prefix=FF
// FF: check: @fusedfull passed
func @axes(%x: f32[?,?,9]) -> (f32[?,9], f32[?,9], f32[?,?], f32[9], f32[?], f32[], f32[?,1,9]) {
  %0 = sum %x {axes = [0]} : f32[?,9]
  %1 = sum %x {axes = [1]} : f32[?,9]
  %2 = sum %x {axes = [-1]} : f32[?,?]
  %3 = sum %x {axes = [0, 1]} : f32[9]
  %4 = sum %x {axes = [1, 2]} : f32[?]
  %5 = sum %x : f32[]
  %6 = sum %x {axes = [1], keepdims = true} : f32[?,1,9]
  return %0, %1, %2, %3, %4, %5, %6
}

func @kinds(%x: f32[?,6]) -> (f32[?], f32[6], f32[?], f32[6], f32[?], f32[6], f32[?,1], f32[1,6]) {
  %0 = max %x {axes = [1]} : f32[?]
  %1 = max %x {axes = [0]} : f32[6]
  %2 = min %x {axes = [1]} : f32[?]
  %3 = min %x {axes = [0]} : f32[6]
  %4 = prod %x {axes = [1]} : f32[?]
  %5 = prod %x {axes = [0]} : f32[6]
  %6 = mean %x {axes = [1], keepdims = true} : f32[?,1]
  %7 = mean %x {axes = [0], keepdims = true} : f32[1,6]
  return %0, %1, %2, %3, %4, %5, %6, %7
}

func @full(%x: f32[?]) -> (f32[], f32[], f32[], f32[]) {
  %0 = sum %x : f32[]
  %1 = max %x : f32[]
  %2 = min %x : f32[]
  %3 = mean %x : f32[]
  return %0, %1, %2, %3
}

func @full2(%x: f64[?,77]) -> (f64[], f64[], f64[]) {
  %0 = sum %x : f64[]
  %1 = max %x : f64[]
  %2 = mean %x : f64[]
  return %0, %1, %2
}

func @fullint(%x: i32[?]) -> (i32[], i32[], i32[], i64[], i64[]) {
  %0 = sum %x : i32[]
  %1 = max %x : i32[]
  %2 = min %x : i32[]
  %w = cast %x : i64[?]
  %3 = sum %w : i64[]
  %4 = max %w : i64[]
  return %0, %1, %2, %3, %4
}

func @fusedfull(%x: f32[?], %y: f32[?], %z: f32[?,8]) -> (f32[], f32[], f32[]) {
  %d = sub %x, %y : f32[?]
  %q = mul %d, %d : f32[?]
  %0 = sum %q : f32[]
  %e = exp %z : f32[?,8]
  %1 = mean %e : f32[]
  %m = max %x : f32[]
  %s = sub %x, %m : f32[?]
  %t = exp %s : f32[?]
  %u = sum %t : f32[]
  %l = log %u : f32[]
  %2 = add %l, %m : f32[]
  return %0, %1, %2
}
