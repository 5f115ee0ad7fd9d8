// RUN: %symjit-run %s --check | FileCheck %s
// RUN: %symjit-run %s --conv-kernels --check | FileCheck %s
// RUN: %symjit-opt %s -O | FileCheck %s --check-prefix=IR
// CHECK: check: @cs passed
// A convolution inside a scan body (a convolutional RNN step): the body's
// conv_gemm runs per step with the state add and tanh as its epilogue
// (decision 0041), against the reference evaluator; and the same through
// the im2col kernels.
// IR-LABEL: func @cs.scan0(
// IR: conv_gemm %x, %ww, {{.*}}, %h, {{.*}} {epilogue = @cs.scan0_k0, {{.*}}mode = "forward"
func @cs(%xs: f32[3,2,2,6,6], %h0: f32[2,3,4,4], %w: f32[3,2,3,3]) -> (f32[4,2,3,4,4]) {
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[4,2,3,4,4] (%x: f32[2,2,6,6], %h: f32[2,3,4,4], %ww: f32[3,2,3,3]) {
    %c = conv2d %x, %ww {stride = [1, 1], pad = [0, 0, 0, 0]} : f32[2,3,4,4]
    %s = add %c, %h : f32[2,3,4,4]
    %h2 = tanh %s : f32[2,3,4,4]
    yield %h2
  }
  return %H
}
