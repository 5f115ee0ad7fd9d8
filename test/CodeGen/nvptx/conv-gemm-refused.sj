// RUN: not %symjit-opt %s --target=nvptx --emit-ptx --gpu-arch=sm_80 2>&1 | FileCheck %s
// conv_gemm is a host runtime op (decision 0041): the device has no form of
// it, so a module holding one is refused by name, with the way out; the
// GPU's -O lowers convolutions to im2col kernels around gemms instead
// (lower-to-loops{conv-runtime=0}), which test/Run/conv2d.sj checks.
// CHECK: conv-gemm-refused.sj:[[@LINE+2]]:3: error: 'conv_gemm' op runs on the host only: lower convolutions for the GPU with lower-to-loops{conv-runtime=0} (the GPU's default pipeline does)
func @f(%x: f32[2,3,5,5], %w: f32[4,3,3,3], %y: f32[2,4,3,3]) -> () {
  conv_gemm %x, %w, %y {mode = "forward", pad = [0, 0, 0, 0], stride = [1, 1]}
  return
}
