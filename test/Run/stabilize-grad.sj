// Gradients of the naive spellings, built by reverse mode before the
// pipeline and compiled with -O: finite where the naive gradients are
// inf * 0 = NaN. d/dx log(1 + exp(x)) = sigmoid(x) (1 at 800 and 1e4),
// d/dx sigmoid(x) = s (1 - s), d/dx log(sigmoid(x)) = 1 - s,
// d/dx log(1 - sigmoid(x)) = -s, d/dx log(exp(x) + exp(y)) = sigmoid(x - y).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/write_npy.py %t/x32.npy '<f4' 8 -1e4,-800,-1,0,1,800,1e4,inf
// RUN: %python %S/Inputs/write_npy.py %t/x64.npy '<f8' 8 -1e4,-800,-1,0,1,800,1e4,inf
// RUN: %python %S/Inputs/write_npy.py %t/y64.npy '<f8' 8 -1e4,800,-1,0,2,800,-1e4,1
// RUN: %symjit-opt %s --grad=sp32:x | %symjit-run - --func sp32_grad --input x=%t/x32.npy | FileCheck %s --check-prefix=SP32
// RUN: %symjit-opt %s --grad=sp64:x | %symjit-run - --func sp64_grad --input x=%t/x64.npy | FileCheck %s --check-prefix=SP64
// RUN: %symjit-opt %s --grad=sig32:x | %symjit-run - --func sig32_grad --input x=%t/x32.npy | FileCheck %s --check-prefix=SIG32
// RUN: %symjit-opt %s --grad=rec64:x | %symjit-run - --func rec64_grad --input x=%t/x64.npy | FileCheck %s --check-prefix=REC64
// RUN: %symjit-opt %s --grad=ls32:x | %symjit-run - --func ls32_grad --input x=%t/x32.npy | FileCheck %s --check-prefix=LS32
// RUN: %symjit-opt %s --grad=l1m64:x | %symjit-run - --func l1m64_grad --input x=%t/x64.npy | FileCheck %s --check-prefix=L1M64
// RUN: %symjit-opt %s --grad=lae64:x,y | %symjit-run - --func lae64_grad --input x=%t/x64.npy --input y=%t/y64.npy | FileCheck %s --check-prefix=LAE64
// SP32:      sp32_grad.out0: f32[] =
// SP32-NEXT: inf
// SP32-NEXT: sp32_grad.out1: f32[8] =
// SP32-NEXT: [0, 0, 0.26894143, 0.5, 0.7310586, 1, 1, 1]
// SP64:      sp64_grad.out0: f64[] =
// SP64-NEXT: inf
// SP64-NEXT: sp64_grad.out1: f64[8] =
// SP64-NEXT: [0, 0, 0.26894142136999516, 0.5, 0.7310585786300049, 1, 1, 1]
// SIG32:      sig32_grad.out0: f32[] =
// SIG32-NEXT: 4.5
// SIG32-NEXT: sig32_grad.out1: f32[8] =
// SIG32-NEXT: [0, 0, 0.19661194, 0.25, 0.19661194, 0, 0, 0]
// REC64:      rec64_grad.out0: f64[] =
// REC64-NEXT: 4.5
// REC64-NEXT: rec64_grad.out1: f64[8] =
// REC64-NEXT: [0, 0, 0.19661193324148188, 0.25, 0.19661193324148188, 0, 0, 0]
// LS32:      ls32_grad.out0: f32[] =
// LS32-NEXT: -10802.32
// LS32-NEXT: ls32_grad.out1: f32[8] =
// LS32-NEXT: [1, 1, 0.7310586, 0.5, 0.2689414, 0, 0, 0]
// L1M64:      l1m64_grad.out0: f64[] =
// L1M64-NEXT: -inf
// L1M64-NEXT: l1m64_grad.out1: f64[8] =
// L1M64-NEXT: [-0, -0, -0.26894142136999516, -0.5, -0.7310585786300049, -1, -1, -1]
// LAE64:      lae64_grad.out0: f64[] =
// LAE64-NEXT: inf
// LAE64-NEXT: lae64_grad.out1: f64[8] =
// LAE64-NEXT: [0.5, 0, 0.5, 0.5, 0.26894142136999516, 0.5, 1, 1]
// LAE64-NEXT: lae64_grad.out2: f64[8] =
// LAE64-NEXT: [0.5, 1, 0.5, 0.5, 0.7310585786300049, 0.5, 0, 0]
func @sp32(%x: f32[8]) -> (f32[]) {
  %c = constant {value = 1.0} : f32[]
  %e = exp %x : f32[8]
  %a = add %c, %e : f32[8]
  %l = log %a : f32[8]
  %s = sum %l : f32[]
  return %s
}

func @sp64(%x: f64[8]) -> (f64[]) {
  %c = constant {value = 1.0} : f64[]
  %e = exp %x : f64[8]
  %a = add %e, %c : f64[8]
  %l = log %a : f64[8]
  %s = sum %l : f64[]
  return %s
}

func @sig32(%x: f32[8]) -> (f32[]) {
  %c = constant {value = 1.0} : f32[]
  %e = exp %x : f32[8]
  %a = add %c, %e : f32[8]
  %q = div %e, %a : f32[8]
  %s = sum %q : f32[]
  return %s
}

func @rec64(%x: f64[8]) -> (f64[]) {
  %c = constant {value = 1.0} : f64[]
  %n = neg %x : f64[8]
  %e = exp %n : f64[8]
  %a = add %c, %e : f64[8]
  %q = div %c, %a : f64[8]
  %s = sum %q : f64[]
  return %s
}

func @ls32(%x: f32[8]) -> (f32[]) {
  %q = sigmoid %x : f32[8]
  %l = log %q : f32[8]
  %s = sum %l : f32[]
  return %s
}

func @l1m64(%x: f64[8]) -> (f64[]) {
  %c = constant {value = 1.0} : f64[]
  %q = sigmoid %x : f64[8]
  %d = sub %c, %q : f64[8]
  %l = log %d : f64[8]
  %s = sum %l : f64[]
  return %s
}

func @lae64(%x: f64[8], %y: f64[8]) -> (f64[]) {
  %a = exp %x : f64[8]
  %b = exp %y : f64[8]
  %c = add %a, %b : f64[8]
  %l = log %c : f64[8]
  %s = sum %l : f64[]
  return %s
}
