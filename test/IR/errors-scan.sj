// RUN: not %symjit-opt %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:
// Verifier errors of `scan` (docs/decisions/0014-scan.md): every rule of
// verify_scan, both forms, the body's terminator and its isolation.
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op nseq = 2 and nstate = 1 do not fit its 2 operands
  %H = scan %xs, %h {nseq = 2, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
// without %n the step count comes from the sequences
func @f(%h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op needs a sequence or a step count (has_n)
  %H = scan %h {nseq = 0, nstate = 1} : f32[?,2] (%s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op cannot combine 'until' with 'reverse'
  %H = scan %xs, %h {nseq = 1, nstate = 1, reverse = true, until = true} : f32[?,2] (%x: f32[2], %s: f32[2]) {
    %c = constant {value = 1} : bool[]
    yield %s, %c
  }
  return %H
}
// -----
func @f(%n: f32[], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op step count must be an i32[] or i64[] tensor, got f32[]
  %H = scan %n, %h {has_n = true, nseq = 0, nstate = 1} : f32[?,2] (%s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @f(%n: i64[1], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op step count must be an i32[] or i64[] tensor, got i64[1]
  %H = scan %n, %h {has_n = true, nseq = 0, nstate = 1} : f32[?,2] (%s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
// has_n is not set: %n is taken as the sequence
func @f(%n: i64[], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op sequence 0 must have rank >= 1, got i64[]
  %H = scan %n, %h {nseq = 1, nstate = 1} : f32[?,2] (%x: i64[], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body has 1 arguments, expected 2 (rows, states, non-sequences)
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2]) {
    yield %x
  }
  return %H
}
// -----
// the body sees a row of the sequence, not the sequence
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body argument 0 has type f32[4,2], expected f32[2]
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[4,2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
// a non-sequence keeps its type
func @f(%xs: f32[4,2], %h: f32[2], %w: f32[?]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body argument 2 has type f32[2], expected f32[?]
  %H = scan %xs, %h, %w {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2], %v: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body yields 2 values for 1 results, 1 states
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    yield %s, %x
  }
  return %H
}
// -----
// with until the condition comes last
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body yields 1 values for 1 results, 1 states and a condition
  %H = scan %xs, %h {nseq = 1, nstate = 1, until = true} : f32[?,2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op state 0 is yielded as f32[] but its initial value is f32[2]
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    %t = sum %s {axes = [0]} : f32[]
    yield %t
  }
  return %H
}
// -----
// a `?` dim of a state must stay `?`
func @f(%xs: f32[4,2], %h: f32[?]) -> (f32[5,?]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op state 0 is yielded as f32[2] but its initial value is f32[?]
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,?] (%x: f32[2], %s: f32[?]) {
    yield %x
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op state 0 is yielded as f64[2] but its initial value is f32[2]
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    %d = cast %s : f64[2]
    yield %d
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op stop condition must be bool[], got i64[]
  %H = scan %xs, %h {nseq = 1, nstate = 1, until = true} : f32[?,2] (%x: f32[2], %s: f32[2]) {
    %c = constant {value = 1} : i64[]
    yield %s, %c
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op stop condition must be bool[], got bool[2]
  %H = scan %xs, %h {nseq = 1, nstate = 1, until = true} : f32[?,2] (%x: f32[2], %s: f32[2]) {
    %c = gt %s, %x : bool[2]
    yield %s, %c
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op 'last' index 1 is out of range or repeated
  %H = scan %xs, %h {last = [1], nseq = 1, nstate = 1} : f32[2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[2], f32[2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:12: error: 'scan' op 'last' index 1 is out of range or repeated
  %H, %Y = scan %xs, %h {last = [1, 1], nseq = 1, nstate = 1} : f32[2], f32[2] (%x: f32[2], %s: f32[2]) {
    yield %s, %x
  }
  return %H, %Y
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op 'last' index -1 is out of range or repeated
  %H = scan %xs, %h {last = [-1], nseq = 1, nstate = 1} : f32[2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
// a state has n + 1 rows: the initial value, then one per step
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[4,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op result 0 has type f32[4,2], expected f32[5,2]
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[4,2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
// an output has n rows; n is the shortest sequence
func @f(%xs: f32[4,2], %ys: f32[6]) -> (f32[6,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op result 0 has type f32[6,2], expected f32[4,2]
  %Y = scan %xs, %ys {nseq = 2, nstate = 0} : f32[6,2] (%x: f32[2], %y: f32[]) {
    yield %x
  }
  return %Y
}
// -----
// static sequences and no %n: the step count is static
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[?,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op result 0 has type f32[?,2], expected f32[5,2]
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[?,2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
// with %n the step count is a run-time value
func @f(%n: i64[], %xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op result 0 has type f32[5,2], expected f32[?,2]
  %H = scan %n, %xs, %h {has_n = true, nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
// and with until
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op result 0 has type f32[5,2], expected f32[?,2]
  %H = scan %xs, %h {nseq = 1, nstate = 1, until = true} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    %c = constant {value = 1} : bool[]
    yield %s, %c
  }
  return %H
}
// -----
// a result kept last has the yielded type
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op result 0 has type f32[5,2], expected f32[2]
  %H = scan %xs, %h {last = [0], nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @g(%x: f32[2], %s: f32[2]) -> (f32[2]) {
  return %s
}

func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op needs exactly one of a body region and 'body = @f'
  %H = scan %xs, %h {body = @g, nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    yield %s
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op needs exactly one of a body region and 'body = @f'
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2]
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body must end with 'yield'
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    %y = neg %s : f32[2]
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body must end with 'yield'
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    return %s
  }
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body must end with 'yield'
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
    %y = neg %s : f32[2]
    yield %y
    %z = neg %s : f32[2]
  }
  return %H
}
// -----
func @f(%xs: f32[4], %w: f32[]) -> (f32[4]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body has too many arguments or values
  %Y = scan %xs, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w, %w {nseq = 1, nstate = 0} : f32[4] (%x: f32[], %v0: f32[], %v1: f32[], %v2: f32[], %v3: f32[], %v4: f32[], %v5: f32[], %v6: f32[], %v7: f32[], %v8: f32[], %v9: f32[], %v10: f32[], %v11: f32[], %v12: f32[], %v13: f32[], %v14: f32[], %v15: f32[], %v16: f32[], %v17: f32[], %v18: f32[], %v19: f32[], %v20: f32[], %v21: f32[], %v22: f32[], %v23: f32[], %v24: f32[], %v25: f32[], %v26: f32[], %v27: f32[], %v28: f32[], %v29: f32[], %v30: f32[], %v31: f32[], %v32: f32[], %v33: f32[], %v34: f32[], %v35: f32[], %v36: f32[], %v37: f32[], %v38: f32[], %v39: f32[], %v40: f32[], %v41: f32[], %v42: f32[], %v43: f32[], %v44: f32[], %v45: f32[], %v46: f32[], %v47: f32[], %v48: f32[], %v49: f32[], %v50: f32[], %v51: f32[], %v52: f32[], %v53: f32[], %v54: f32[], %v55: f32[], %v56: f32[], %v57: f32[], %v58: f32[], %v59: f32[], %v60: f32[], %v61: f32[], %v62: f32[], %v63: f32[], %v64: f32[]) {
    yield %x
  }
  return %Y
}
// -----
func @f(%xs: f32[4]) -> (f32[4]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:384: error: 'scan' op has 65 results, at most 64
  %y0, %y1, %y2, %y3, %y4, %y5, %y6, %y7, %y8, %y9, %y10, %y11, %y12, %y13, %y14, %y15, %y16, %y17, %y18, %y19, %y20, %y21, %y22, %y23, %y24, %y25, %y26, %y27, %y28, %y29, %y30, %y31, %y32, %y33, %y34, %y35, %y36, %y37, %y38, %y39, %y40, %y41, %y42, %y43, %y44, %y45, %y46, %y47, %y48, %y49, %y50, %y51, %y52, %y53, %y54, %y55, %y56, %y57, %y58, %y59, %y60, %y61, %y62, %y63, %y64 = scan %xs {nseq = 1, nstate = 0} : f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4], f32[4] (%x: f32[]) {
    yield %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x, %x
  }
  return %y0
}
// -----
func @g(%x: f32[2], %s: f32[3]) -> (f32[2]) {
  return %x
}

func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body argument 1 has type f32[3], expected f32[2]
  %H = scan %xs, %h {body = @g, nseq = 1, nstate = 1} : f32[5,2]
  return %H
}
// -----
func @g(%x: f32[2], %s: f32[2]) -> (f32[2], f32[]) {
  %t = sum %x {axes = [0]} : f32[]
  return %s, %t
}

func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body yields 2 values for 1 results, 1 states
  %H = scan %xs, %h {body = @g, nseq = 1, nstate = 1} : f32[5,2]
  return %H
}
// -----
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body @nowhere is not a symbol of the module
  %H = scan %xs, %h {body = @nowhere, nseq = 1, nstate = 1} : f32[5,2]
  return %H
}
// -----
kernel @k(%x: f32[2], %s: f32[2]) {
  return
}

func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'scan' op body @k is a 'kernel', not a func
  %H = scan %xs, %h {body = @k, nseq = 1, nstate = 1} : f32[5,2]
  return %H
}
// -----
// the body is isolated: outer values come in as non-sequences
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[5,2]) {
  %H = scan %xs, %h {nseq = 1, nstate = 1} : f32[5,2] (%x: f32[2], %s: f32[2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:10: error: 'add' op operand 1 %h is defined outside the enclosing 'scan' (its body is isolated: pass the value as an operand)
    %y = add %s, %h : f32[2]
    yield %y
  }
  return %H
}
// -----
// ... at every level: an inner scan does not see the outer body's values
func @f(%xs: f32[4,2], %h: f32[2], %z: f32[]) -> (f32[2]) {
  %H = scan %xs, %h, %z {last = [0], nseq = 1, nstate = 1} : f32[2] (%x: f32[2], %s: f32[2], %w: f32[]) {
    %T = scan %x, %w {last = [0], nseq = 1, nstate = 1} : f32[] (%e: f32[], %a: f32[]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:12: error: 'add' op operand 1 %w is defined outside the enclosing 'scan' (its body is isolated: pass the value as an operand)
      %b = add %a, %w : f32[]
      yield %b
    }
    yield %s
  }
  return %H
}
// -----
// nor does the function see the body's
func @f(%xs: f32[4,2], %h: f32[2]) -> (f32[2]) {
  %H = scan %xs, %h {last = [0], nseq = 1, nstate = 1} : f32[2] (%x: f32[2], %s: f32[2]) {
    %y = neg %s : f32[2]
    yield %y
  }
  // CHECK: errors-scan.sj:[[@LINE+1]]:8: error: 'add' op operand 1 %y is defined in a region that does not enclose this op
  %z = add %H, %y : f32[2]
  return %z
}
// -----
func @f(%h: f32[2]) -> (f32[2]) {
  // CHECK: errors-scan.sj:[[@LINE+1]]:3: error: 'yield' op must be inside 'fused', 'for', 'parallel_for' or 'scan'
  yield %h
  return %h
}
