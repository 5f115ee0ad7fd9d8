// RUN: %symjit-opt %s --passes=cse --split-input-file | FileCheck %s
// A scan's body is isolated: its ops never reuse an identical op of the
// function (%c1 stays), and the function's ops after the scan never reuse a
// body op (%c3, %b merge with %c, %a, not with %c2, %m2); inside the body,
// identical ops merge (%m2 into %m1).
// CHECK-LABEL: func @isolated(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3], f32[3], f32[3]) {
// CHECK-NEXT:   %c = constant {value = 2.0} : f32[3]
// CHECK-NEXT:   %a = mul %w, %c : f32[3]
// CHECK-NEXT:   %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3] (%x: f32[3], %h: f32[3], %v: f32[3]) {
// CHECK-NEXT:     %c1 = constant {value = 2.0} : f32[3]
// CHECK-NEXT:     %m1 = mul %v, %c1 : f32[3]
// CHECK-NEXT:     %s = add %m1, %m1 : f32[3]
// CHECK-NEXT:     %h2 = add %h, %s : f32[3]
// CHECK-NEXT:     yield %h2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %H, %a, %a
// CHECK-NEXT: }
func @isolated(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3], f32[3], f32[3]) {
  %c = constant {value = 2.0} : f32[3]
  %a = mul %w, %c : f32[3]
  %H = scan %xs, %h0, %w {nseq = 1, nstate = 1} : f32[6,3] (%x: f32[3], %h: f32[3], %v: f32[3]) {
    %c1 = constant {value = 2.0} : f32[3]
    %c2 = constant {value = 2.0} : f32[3]
    %m1 = mul %v, %c1 : f32[3]
    %m2 = mul %v, %c2 : f32[3]
    %s = add %m1, %m2 : f32[3]
    %h2 = add %h, %s : f32[3]
    yield %h2
  }
  %c3 = constant {value = 2.0} : f32[3]
  %b = mul %w, %c3 : f32[3]
  return %H, %a, %b
}
// -----
// Two scans with the same body are not merged (ops with regions never are),
// and ops of one body do not see the other body's (%k2 stays).
// CHECK-LABEL: func @siblings(%xs: f32[5], %s0: f32[]) -> (f32[6], f32[6]) {
// CHECK-NEXT:   %A = scan %xs, %s0 {nseq = 1, nstate = 1} : f32[6] (%x: f32[], %s: f32[]) {
// CHECK-NEXT:     %k = constant {value = 3.0} : f32[]
// CHECK-NEXT:     %m = mul %x, %k : f32[]
// CHECK-NEXT:     %t = add %s, %m : f32[]
// CHECK-NEXT:     yield %t
// CHECK-NEXT:   }
// CHECK-NEXT:   %B = scan %xs, %s0 {nseq = 1, nstate = 1} : f32[6] (%x2: f32[], %s2: f32[]) {
// CHECK-NEXT:     %k2 = constant {value = 3.0} : f32[]
// CHECK-NEXT:     %m2 = mul %x2, %k2 : f32[]
// CHECK-NEXT:     %t2 = add %s2, %m2 : f32[]
// CHECK-NEXT:     yield %t2
// CHECK-NEXT:   }
// CHECK-NEXT:   return %A, %B
// CHECK-NEXT: }
func @siblings(%xs: f32[5], %s0: f32[]) -> (f32[6], f32[6]) {
  %A = scan %xs, %s0 {nseq = 1, nstate = 1} : f32[6] (%x: f32[], %s: f32[]) {
    %k = constant {value = 3.0} : f32[]
    %m = mul %x, %k : f32[]
    %t = add %s, %m : f32[]
    yield %t
  }
  %B = scan %xs, %s0 {nseq = 1, nstate = 1} : f32[6] (%x2: f32[], %s2: f32[]) {
    %k2 = constant {value = 3.0} : f32[]
    %m2 = mul %x2, %k2 : f32[]
    %t2 = add %s2, %m2 : f32[]
    yield %t2
  }
  return %A, %B
}
// -----
// A scan nested in a body: the inner body does not reuse the outer body's
// ops (%one2 stays), the outer body's ops after it do not reuse the inner's
// (%one3 merges with %one).
// CHECK-LABEL: func @nested(%m: f64[3,4], %z: f64[]) -> (f64[4], f64[3]) {
// CHECK-NEXT:   %T, %R = scan %m, %z, %z {nseq = 1, nstate = 1} : f64[4], f64[3] (%row: f64[4], %tot: f64[], %zero: f64[]) {
// CHECK-NEXT:     %one = constant {value = 1.0} : f64[]
// CHECK-NEXT:     %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
// CHECK-NEXT:       %one2 = constant {value = 1.0} : f64[]
// CHECK-NEXT:       %e2 = add %e, %one2 : f64[]
// CHECK-NEXT:       %a = add %acc, %e2 : f64[]
// CHECK-NEXT:       yield %a
// CHECK-NEXT:     }
// CHECK-NEXT:     %s1 = add %s, %one : f64[]
// CHECK-NEXT:     %s3 = mul %s1, %s1 : f64[]
// CHECK-NEXT:     %t2 = add %tot, %s3 : f64[]
// CHECK-NEXT:     yield %t2, %s
// CHECK-NEXT:   }
// CHECK-NEXT:   return %T, %R
// CHECK-NEXT: }
func @nested(%m: f64[3,4], %z: f64[]) -> (f64[4], f64[3]) {
  %T, %R = scan %m, %z, %z {nseq = 1, nstate = 1} : f64[4], f64[3] (%row: f64[4], %tot: f64[], %zero: f64[]) {
    %one = constant {value = 1.0} : f64[]
    %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
      %one2 = constant {value = 1.0} : f64[]
      %e2 = add %e, %one2 : f64[]
      %a = add %acc, %e2 : f64[]
      yield %a
    }
    %one3 = constant {value = 1.0} : f64[]
    %s1 = add %s, %one : f64[]
    %s2 = add %s, %one3 : f64[]
    %s3 = mul %s1, %s2 : f64[]
    %t2 = add %tot, %s3 : f64[]
    yield %t2, %s
  }
  return %T, %R
}
// -----
// After outline-scan a scan has no region: two with the same body, operands
// and attributes compute the same values and merge (%B); another attribute
// (%C: reverse) or another operand (%D) keeps them apart.
// CHECK-LABEL: func @f.scan0(%x: f32[], %s: f32[]) -> (f32[]) {
// CHECK-NEXT:   %t = add %s, %x : f32[]
// CHECK-NEXT:   return %t
// CHECK-NEXT: }
// CHECK-LABEL: func @outlined(%xs: f32[5], %s0: f32[], %s1: f32[]) -> (f32[6], f32[6], f32[6], f32[6]) {
// CHECK-NEXT:   %A = scan %xs, %s0 {body = @f.scan0, nseq = 1, nstate = 1} : f32[6]
// CHECK-NEXT:   %C = scan %xs, %s0 {body = @f.scan0, nseq = 1, nstate = 1, reverse = true} : f32[6]
// CHECK-NEXT:   %D = scan %xs, %s1 {body = @f.scan0, nseq = 1, nstate = 1} : f32[6]
// CHECK-NEXT:   return %A, %A, %C, %D
// CHECK-NEXT: }
func @f.scan0(%x: f32[], %s: f32[]) -> (f32[]) {
  %t = add %s, %x : f32[]
  return %t
}

func @outlined(%xs: f32[5], %s0: f32[], %s1: f32[]) -> (f32[6], f32[6], f32[6], f32[6]) {
  %A = scan %xs, %s0 {body = @f.scan0, nseq = 1, nstate = 1} : f32[6]
  %B = scan %xs, %s0 {body = @f.scan0, nseq = 1, nstate = 1} : f32[6]
  %C = scan %xs, %s0 {body = @f.scan0, nseq = 1, nstate = 1, reverse = true} : f32[6]
  %D = scan %xs, %s1 {body = @f.scan0, nseq = 1, nstate = 1} : f32[6]
  return %A, %B, %C, %D
}
