// Reverse mode differentiates the naive forms before the pipeline runs, so
// the gradients hold exp(x) / (1 + exp(x)) and friends, which overflow to
// inf * 0 = NaN; stabilize rewrites those shapes too. Exact IR after -O's
// rewrite passes (before fusion), per function:
// RUN: %symjit-opt %s --grad=softplus:x --passes=canonicalize,stabilize,cse,canonicalize,dce | FileCheck %s --check-prefix=SP
// RUN: %symjit-opt %s --grad=sigmoid:x --passes=canonicalize,stabilize,cse,canonicalize,dce | FileCheck %s --check-prefix=SIG
// RUN: %symjit-opt %s --grad=sigmoid_recip:x --passes=canonicalize,stabilize,cse,canonicalize,dce | FileCheck %s --check-prefix=REC
// RUN: %symjit-opt %s --grad=log_sigmoid:x --passes=canonicalize,stabilize,cse,canonicalize,dce | FileCheck %s --check-prefix=LS
// RUN: %symjit-opt %s --grad=log1m_sigmoid:x --passes=canonicalize,stabilize,cse,canonicalize,dce | FileCheck %s --check-prefix=L1M
// RUN: %symjit-opt %s --grad=logaddexp:x,y --passes=canonicalize,stabilize,cse,canonicalize,dce | FileCheck %s --check-prefix=LAE
// RUN: %symjit-opt %s --grad=softplus_g:x --passes=canonicalize,stabilize,cse,canonicalize,dce | FileCheck %s --check-prefix=SPG
// SP-LABEL: func @softplus_grad(%x: f32[4]) -> (f32[], f32[4]) {
// SP-NEXT:   %0 = softplus %x : f32[4]
// SP-NEXT:   %s = sum %0 : f32[]
// SP-NEXT:   %1 = sigmoid %x : f32[4]
// SP-NEXT:   return %s, %1
// SP-NEXT: }
// SIG-LABEL: func @sigmoid_grad(%x: f32[4]) -> (f32[], f32[4]) {
// SIG-NEXT:   %0 = sigmoid %x : f32[4]
// SIG-NEXT:   %s = sum %0 : f32[]
// SIG-NEXT:   %1 = mul %0, %0 : f32[4]
// SIG-NEXT:   %2 = sub %0, %1 : f32[4]
// SIG-NEXT:   return %s, %2
// SIG-NEXT: }
// REC-LABEL: func @sigmoid_recip_grad(%x: f32[4]) -> (f32[], f32[4]) {
// REC-NEXT:   %n = neg %x : f32[4]
// REC-NEXT:   %0 = sigmoid %x : f32[4]
// REC-NEXT:   %s = sum %0 : f32[]
// REC-NEXT:   %1 = sigmoid %n : f32[4]
// REC-NEXT:   %2 = mul %1, %0 : f32[4]
// REC-NEXT:   return %s, %2
// REC-NEXT: }
// LS-LABEL: func @log_sigmoid_grad(%x: f32[4]) -> (f32[], f32[4]) {
// LS-NEXT:   %q = sigmoid %x : f32[4]
// LS-NEXT:   %0 = neg %x : f32[4]
// LS-NEXT:   %1 = softplus %0 : f32[4]
// LS-NEXT:   %2 = neg %1 : f32[4]
// LS-NEXT:   %s = sum %2 : f32[]
// LS-NEXT:   %3 = constant {value = 1.0} : f32[]
// LS-NEXT:   %4 = sub %3, %q : f32[4]
// LS-NEXT:   return %s, %4
// LS-NEXT: }
// L1M-LABEL: func @log1m_sigmoid_grad(%x: f32[4]) -> (f32[], f32[4]) {
// L1M-NEXT:   %q = sigmoid %x : f32[4]
// L1M-NEXT:   %0 = softplus %x : f32[4]
// L1M-NEXT:   %1 = neg %0 : f32[4]
// L1M-NEXT:   %s = sum %1 : f32[]
// L1M-NEXT:   %2 = neg %q : f32[4]
// L1M-NEXT:   return %s, %2
// L1M-NEXT: }
// LAE-LABEL: func @logaddexp_grad(%x: f32[4], %y: f32[4]) -> (f32[], f32[4], f32[4]) {
// LAE-NEXT:   %0 = logaddexp %x, %y : f32[4]
// LAE-NEXT:   %s = sum %0 : f32[]
// LAE-NEXT:   %1 = sub %y, %x : f32[4]
// LAE-NEXT:   %2 = sigmoid %1 : f32[4]
// LAE-NEXT:   %3 = sub %x, %y : f32[4]
// LAE-NEXT:   %4 = sigmoid %3 : f32[4]
// LAE-NEXT:   return %s, %4, %2
// LAE-NEXT: }
// SPG-LABEL: func @softplus_g_grad(%x: f32[4], %w: f32[4]) -> (f32[], f32[4]) {
// SPG-NEXT:   %0 = softplus %x : f32[4]
// SPG-NEXT:   %m = mul %0, %w : f32[4]
// SPG-NEXT:   %s = sum %m : f32[]
// SPG-NEXT:   %1 = sigmoid %x : f32[4]
// SPG-NEXT:   %2 = mul %w, %1 : f32[4]
// SPG-NEXT:   return %s, %2
// SPG-NEXT: }

func @softplus(%x: f32[4]) -> (f32[]) {
  %c = constant {value = 1.0} : f32[]
  %e = exp %x : f32[4]
  %a = add %c, %e : f32[4]
  %l = log %a : f32[4]
  %s = sum %l : f32[]
  return %s
}

func @sigmoid(%x: f32[4]) -> (f32[]) {
  %c = constant {value = 1.0} : f32[]
  %e = exp %x : f32[4]
  %a = add %c, %e : f32[4]
  %q = div %e, %a : f32[4]
  %s = sum %q : f32[]
  return %s
}

func @sigmoid_recip(%x: f32[4]) -> (f32[]) {
  %c = constant {value = 1.0} : f32[]
  %n = neg %x : f32[4]
  %e = exp %n : f32[4]
  %a = add %c, %e : f32[4]
  %q = div %c, %a : f32[4]
  %s = sum %q : f32[]
  return %s
}

func @log_sigmoid(%x: f32[4]) -> (f32[]) {
  %q = sigmoid %x : f32[4]
  %l = log %q : f32[4]
  %s = sum %l : f32[]
  return %s
}

func @log1m_sigmoid(%x: f32[4]) -> (f32[]) {
  %c = constant {value = 1.0} : f32[]
  %q = sigmoid %x : f32[4]
  %d = sub %c, %q : f32[4]
  %l = log %d : f32[4]
  %s = sum %l : f32[]
  return %s
}

func @logaddexp(%x: f32[4], %y: f32[4]) -> (f32[]) {
  %a = exp %x : f32[4]
  %b = exp %y : f32[4]
  %c = add %a, %b : f32[4]
  %l = log %c : f32[4]
  %s = sum %l : f32[]
  return %s
}

// A cost that weighs each softplus, so the incoming gradient g is not a
// constant: (g / (1 + exp(x))) * exp(x) -> g * sigmoid(x).
func @softplus_g(%x: f32[4], %w: f32[4]) -> (f32[]) {
  %c = constant {value = 1.0} : f32[]
  %e = exp %x : f32[4]
  %a = add %c, %e : f32[4]
  %l = log %a : f32[4]
  %m = mul %l, %w : f32[4]
  %s = sum %m : f32[]
  return %s
}
