// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// scan (docs/decisions/0014-scan.md), both forms: a body region (tensor
// level) and `body = @f` (after outline-scan). Every attribute; a step
// count (i32 and i64); no sequence; no state; `?` dims; until; reverse;
// last; a scan nested in a body; the example of the decision.
func @rnn(%n: i64[], %xs: f32[?,4,3], %h0: f32[4,8], %W: f32[3,8]) -> (f32[?,4,8], f32[?,4]) {
  %H, %Y = scan %n, %xs, %h0, %W {has_n = true, nseq = 1, nstate = 1} : f32[?,4,8], f32[?,4] (%x: f32[4,3], %h: f32[4,8], %w: f32[3,8]) {
    %p = matmul %x, %w : f32[4,8]
    %h2 = tanh %p : f32[4,8]
    %y = sum %h2 {axes = [1]} : f32[4]
    yield %h2, %y
  }
  return %H, %Y
}

func @cumsum(%xs: f64[5], %s0: f64[]) -> (f64[6], f64[5], f64[]) {
  %S, %Y, %L = scan %xs, %s0 {last = [2], nseq = 1, nstate = 1} : f64[6], f64[5], f64[] (%x: f64[], %s: f64[]) {
    %s2 = add %s, %x : f64[]
    %y = mul %s2, %x : f64[]
    yield %s2, %y, %x
  }
  return %S, %Y, %L
}

func @until(%n: i32[], %s0: f64[], %lim: f64[]) -> (f64[?], f64[]) {
  %S, %L = scan %n, %s0, %lim {has_n = true, last = [1], nseq = 0, nstate = 1, until = true} : f64[?], f64[] (%s: f64[], %l: f64[]) {
    %two = constant {value = 2.0} : f64[]
    %s2 = mul %s, %two : f64[]
    %stop = gt %s2, %l : bool[]
    yield %s2, %s2, %stop
  }
  return %S, %L
}

func @reverse(%xs: f32[?,?], %a: f32[?]) -> (f32[?,?], f32[?]) {
  %Y, %A = scan %xs, %a {last = [1], nseq = 1, nstate = 1, reverse = true} : f32[?,?], f32[?] (%x: f32[?], %acc: f32[?]) {
    %s = add %acc, %x : f32[?]
    yield %s, %x
  }
  return %Y, %A
}

func @outputs_only(%a: f32[7,2], %b: i64[9]) -> (f32[7,2]) {
  %Y = scan %a, %b {nseq = 2, nstate = 0} : f32[7,2] (%x: f32[2], %i: i64[]) {
    %c = cast %i : f32[]
    %y = mul %x, %c : f32[2]
    yield %y
  }
  return %Y
}

func @nested(%m: f64[3,4], %z: f64[]) -> (f64[4], f64[3]) {
  %T, %R = scan %m, %z, %z {nseq = 1, nstate = 1} : f64[4], f64[3] (%row: f64[4], %tot: f64[], %zero: f64[]) {
    %s = scan %row, %zero {last = [0], nseq = 1, nstate = 1} : f64[] (%e: f64[], %acc: f64[]) {
      %a = add %acc, %e : f64[]
      yield %a
    }
    %t2 = add %tot, %s : f64[]
    yield %t2, %s
  }
  return %T, %R
}

func @step.scan0(%x: f32[3], %h: f32[3], %w: f32[3]) -> (f32[3], f32[]) {
  %m = mul %h, %w : f32[3]
  %h2 = add %m, %x : f32[3]
  %y = sum %h2 {axes = [0]} : f32[]
  return %h2, %y
}

func @step(%xs: f32[5,3], %h0: f32[3], %w: f32[3]) -> (f32[6,3], f32[5]) {
  %H, %Y = scan %xs, %h0, %w {body = @step.scan0, nseq = 1, nstate = 1} : f32[6,3], f32[5]
  return %H, %Y
}

func @step_n(%n: i64[], %xs: f32[?,3], %h0: f32[3], %w: f32[3]) -> (f32[3], f32[?]) {
  %H, %Y = scan %n, %xs, %h0, %w {body = @step.scan0, has_n = true, last = [0], nseq = 1, nstate = 1} : f32[3], f32[?]
  return %H, %Y
}
