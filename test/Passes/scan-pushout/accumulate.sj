// RUN: %symjit-opt %s --passes=scan-pushout --split-input-file | FileCheck %s

// BPTT's weight gradient: dW += x_tᵀ @ d_t (d_t reads the state) becomes
// one matmul of the rows of all steps after the (backward) loop: the
// sequence itself for x (its rows are the steps'), a new all-steps output
// for d.
// CHECK-LABEL: func @gemm_tn(%xs: f32[5,2,3], %g0: f32[2,4], %dw0: f32[3,4], %u: f32[4,4]) -> (f32[3,4]) {
// CHECK-NEXT:    %G, %0 = scan %xs, %g0, %u {nseq = 1, nstate = 1, reverse = true} : f32[6,2,4], f32[5,2,4] (%x: f32[2,3], %g: f32[2,4], %uu: f32[4,4]) {
// CHECK-NEXT:      %d = matmul %g, %uu : f32[2,4]
// CHECK-NEXT:      %d2 = tanh %d : f32[2,4]
// CHECK-NEXT:      yield %d2, %d2
// CHECK-NEXT:    }
// CHECK-NEXT:    %1 = reshape %xs : f32[10,3]
// CHECK-NEXT:    %2 = reshape %0 : f32[10,4]
// CHECK-NEXT:    %3 = transpose %1 {perm = [1, 0]} : f32[3,10]
// CHECK-NEXT:    %4 = matmul %3, %2 : f32[3,4]
// CHECK-NEXT:    %5 = add %dw0, %4 : f32[3,4]
// CHECK-NEXT:    return %5
// CHECK-NEXT:  }
func @gemm_tn(%xs: f32[5,2,3], %g0: f32[2,4], %dw0: f32[3,4], %u: f32[4,4]) -> (f32[3,4]) {
  %G, %DW = scan %xs, %g0, %dw0, %u {nseq = 1, nstate = 2, last = [1], reverse = true} : f32[6,2,4], f32[3,4] (%x: f32[2,3], %g: f32[2,4], %dw: f32[3,4], %uu: f32[4,4]) {
    %d = matmul %g, %uu : f32[2,4]
    %d2 = tanh %d : f32[2,4]
    %xt = transpose %x {perm = [1, 0]} : f32[3,2]
    %f = matmul %xt, %d2 : f32[3,4]
    %n = add %dw, %f : f32[3,4]
    yield %d2, %n
  }
  return %DW
}

// -----

// a_t @ h_tᵀ (column convention), the accumulator on the right of the
// add: the steps' columns become rows by a transpose of each sequence.
// CHECK-LABEL: func @gemm_nt(%xs: f32[5,3,2], %h0: f32[4,2], %acc0: f32[3,4]) -> (f32[3,4], f32[4,2]) {
// CHECK-NEXT:    %H, %0 = scan %xs, %h0 {last = [0], nseq = 1, nstate = 1} : f32[4,2], f32[5,4,2] (%x: f32[3,2], %h: f32[4,2]) {
// CHECK-NEXT:      %h2 = tanh %h : f32[4,2]
// CHECK-NEXT:      yield %h2, %h2
// CHECK-NEXT:    }
// CHECK-NEXT:    %1 = transpose %xs {perm = [0, 2, 1]} : f32[5,2,3]
// CHECK-NEXT:    %2 = reshape %1 : f32[10,3]
// CHECK-NEXT:    %3 = transpose %0 {perm = [0, 2, 1]} : f32[5,2,4]
// CHECK-NEXT:    %4 = reshape %3 : f32[10,4]
// CHECK-NEXT:    %5 = transpose %2 {perm = [1, 0]} : f32[3,10]
// CHECK-NEXT:    %6 = matmul %5, %4 : f32[3,4]
// CHECK-NEXT:    %7 = add %acc0, %6 : f32[3,4]
// CHECK-NEXT:    return %7, %H
// CHECK-NEXT:  }
func @gemm_nt(%xs: f32[5,3,2], %h0: f32[4,2], %acc0: f32[3,4]) -> (f32[3,4], f32[4,2]) {
  %H, %A = scan %xs, %h0, %acc0 {nseq = 1, nstate = 2, last = [0, 1]} : f32[4,2], f32[3,4] (%x: f32[3,2], %h: f32[4,2], %a: f32[3,4]) {
    %h2 = tanh %h : f32[4,2]
    %ht = transpose %h2 {perm = [1, 0]} : f32[2,4]
    %f = matmul %x, %ht : f32[3,4]
    %n = add %f, %a : f32[3,4]
    yield %h2, %n
  }
  return %A, %H
}

// -----

// With a step count the sequence may have more rows than steps: x is
// collected as an output too (its m rows), not read whole.
// CHECK-LABEL: func @gemm_n(%n: i32[], %xs: f32[?,2,3], %ds: f32[?,2,4], %dw0: f32[3,4]) -> (f32[3,4]) {
// CHECK-NEXT:    %0, %1 = scan %n, %xs, %ds {has_n = true, nseq = 2, nstate = 0} : f32[?,2,3], f32[?,2,4] (%x: f32[2,3], %d: f32[2,4]) {
// CHECK-NEXT:      yield %x, %d
// CHECK-NEXT:    }
// CHECK-NEXT:    %2 = reshape %0 : f32[?,3]
// CHECK-NEXT:    %3 = reshape %1 : f32[?,4]
// CHECK-NEXT:    %4 = transpose %2 {perm = [1, 0]} : f32[3,?]
// CHECK-NEXT:    %5 = matmul %4, %3 : f32[3,4]
// CHECK-NEXT:    %6 = add %dw0, %5 : f32[3,4]
// CHECK-NEXT:    return %6
// CHECK-NEXT:  }
func @gemm_n(%n: i32[], %xs: f32[?,2,3], %ds: f32[?,2,4], %dw0: f32[3,4]) -> (f32[3,4]) {
  %DW = scan %n, %xs, %ds, %dw0 {has_n = true, nseq = 2, nstate = 1, last = [0]} : f32[3,4] (%x: f32[2,3], %d: f32[2,4], %dw: f32[3,4]) {
    %xt = transpose %x {perm = [1, 0]} : f32[3,2]
    %f = matmul %xt, %d : f32[3,4]
    %s = add %dw, %f : f32[3,4]
    yield %s
  }
  return %DW
}

// -----

// A bias gradient db - sum(d_t, 0) in a loop with a stop condition: the
// per-step sums are collected (m rows) and summed after the loop.
// CHECK-LABEL: func @sum_until(%xs: f32[5,2,4], %h0: f32[2,4], %db0: f32[4]) -> (f32[4], f32[?,2,4]) {
// CHECK-NEXT:    %H, %0 = scan %xs, %h0 {nseq = 1, nstate = 1, until = true} : f32[?,2,4], f32[?,4] (%x: f32[2,4], %h: f32[2,4]) {
// CHECK-NEXT:      %h2 = mul %x, %h : f32[2,4]
// CHECK-NEXT:      %s = sum %h2 {axes = [0]} : f32[4]
// CHECK-NEXT:      %c0 = constant {value = 1.0} : f32[]
// CHECK-NEXT:      %m = max %h2 : f32[]
// CHECK-NEXT:      %c = gt %m, %c0 : bool[]
// CHECK-NEXT:      yield %h2, %s, %c
// CHECK-NEXT:    }
// CHECK-NEXT:    %1 = sum %0 {axes = [0]} : f32[4]
// CHECK-NEXT:    %2 = sub %db0, %1 : f32[4]
// CHECK-NEXT:    return %2, %H
// CHECK-NEXT:  }
func @sum_until(%xs: f32[5,2,4], %h0: f32[2,4], %db0: f32[4]) -> (f32[4], f32[?,2,4]) {
  %H, %DB = scan %xs, %h0, %db0 {nseq = 1, nstate = 2, last = [1], until = true} : f32[?,2,4], f32[4] (%x: f32[2,4], %h: f32[2,4], %db: f32[4]) {
    %h2 = mul %x, %h : f32[2,4]
    %s = sum %h2 {axes = [0]} : f32[4]
    %n = sub %db, %s : f32[4]
    %c0 = constant {value = 1.0} : f32[]
    %m = max %h2 : f32[]
    %c = gt %m, %c0 : bool[]
    yield %h2, %n, %c
  }
  return %DB, %H
}

// -----

// A scalar added to a vector accumulator: the sum of the scalars is
// broadcast once after the loop; an integer counter of rows.
// CHECK-LABEL: func @bcast(%xs: f32[5,4], %a0: f32[4], %k0: i32[]) -> (f32[4], i32[]) {
// CHECK-NEXT:    %0, %1 = scan %xs {nseq = 1, nstate = 0} : f32[5], i32[5] (%x: f32[4]) {
// CHECK-NEXT:      %s = sum %x : f32[]
// CHECK-NEXT:      %c = cast %s : i32[]
// CHECK-NEXT:      yield %s, %c
// CHECK-NEXT:    }
// CHECK-NEXT:    %2 = sum %0 {axes = [0]} : f32[]
// CHECK-NEXT:    %3 = add %a0, %2 : f32[4]
// CHECK-NEXT:    %4 = sum %1 {axes = [0]} : i32[]
// CHECK-NEXT:    %5 = add %k0, %4 : i32[]
// CHECK-NEXT:    return %3, %5
// CHECK-NEXT:  }
func @bcast(%xs: f32[5,4], %a0: f32[4], %k0: i32[]) -> (f32[4], i32[]) {
  %A, %K = scan %xs, %a0, %k0 {nseq = 1, nstate = 2, last = [0, 1]} : f32[4], i32[] (%x: f32[4], %a: f32[4], %k: i32[]) {
    %s = sum %x : f32[]
    %n = add %a, %s : f32[4]
    %c = cast %s : i32[]
    %k2 = add %k, %c : i32[]
    yield %n, %k2
  }
  return %A, %K
}
