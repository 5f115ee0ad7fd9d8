// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// conv_gemm (buffer level, decision 0041) in its three modes, attributes in
// name order, an epilogue on the forward one, a `?` batch.
kernel @k(%in0: f64[?,4,2,5], %in1: f64[4]) {
  return
}

func @c(%x: f64[?,3,5,6], %w: f64[4,3,3,2], %y: f64[?,4,2,5], %b: f64[4], %dx: f64[?,3,5,6], %dw: f64[4,3,3,2]) -> () {
  conv_gemm %x, %w, %y, %y, %b {dilation = [1, 2], epilogue = @k, epilogue_rows = [0], groups = 1, mode = "forward", pad = [1, 0, 0, 1], stride = [2, 1]}
  conv_gemm %y, %w, %dx {dilation = [1, 2], groups = 1, mode = "input_grad", pad = [1, 0, 0, 1], stride = [2, 1]}
  conv_gemm %x, %y, %dw {dilation = [1, 2], groups = 1, mode = "filter_grad", pad = [1, 0, 0, 1], stride = [2, 1]}
  return
}
