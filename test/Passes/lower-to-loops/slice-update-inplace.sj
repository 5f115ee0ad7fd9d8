// RUN: %symjit-opt %s --passes=lower-to-loops --split-input-file | FileCheck %s

// slice_update into a buffer nothing reads afterwards (docs/lowering.md,
// decision 0025). A chain of set updates of a zero constant whose disjoint
// regions cover it: one alloc, no fill, each update writes only its region
// into that buffer (no copy).
// CHECK-LABEL: func @cover(%a: f32[2,2], %b: f32[2,2]) -> (f32[2,4]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[2,4]
// CHECK-NEXT:    %0 = alloc : f32[2,4]
// CHECK-NEXT:    launch %a, %0 {kernel = @cover_k0}
// CHECK-NEXT:    launch %b, %0 {kernel = @cover_k1}
// CHECK-NEXT:    return %0
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @cover_k0(%in0: f32[2,2], %out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c2 (%1: i64) {
// CHECK-NEXT:        %2 = add %c0, %1 : i64
// CHECK-NEXT:        %3 = clamp %2, %c4 : i64
// CHECK-NEXT:        %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:        store %4, %out0, %0, %3
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @cover_k1(%in0: f32[2,2], %out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c2 (%1: i64) {
// CHECK-NEXT:        %2 = add %c2, %1 : i64
// CHECK-NEXT:        %3 = clamp %2, %c4 : i64
// CHECK-NEXT:        %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:        store %4, %out0, %0, %3
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @cover(%a: f32[2,2], %b: f32[2,2]) -> (f32[2,4]) {
  %z = constant {value = 0.0} : f32[2,4]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,4]
  %1 = slice_update %0, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,4]
  return %1
}

// -----

// Regions that do not cover the base: a fill kernel stores the splat (1.0)
// first; the "add" update reads the buffer it writes.
// CHECK-LABEL: func @partial(%a: f32[2,2], %b: f32[]) -> (f32[2,4]) {
// CHECK-NEXT:    %z = constant {value = 1.0} : f32[2,4]
// CHECK-NEXT:    %0 = alloc : f32[2,4]
// CHECK-NEXT:    launch %0 {kernel = @partial_k0}
// CHECK-NEXT:    launch %a, %0 {kernel = @partial_k1}
// CHECK-NEXT:    launch %b, %0 {kernel = @partial_k2}
// CHECK-NEXT:    return %0
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @partial_k0(%out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c4 (%1: i64) {
// CHECK-NEXT:        %2 = constant {value = 1.0} : f32
// CHECK-NEXT:        store %2, %out0, %0, %1
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @partial_k1(%in0: f32[2,2], %out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c2 (%1: i64) {
// CHECK-NEXT:        %2 = add %c0, %1 : i64
// CHECK-NEXT:        %3 = clamp %2, %c4 : i64
// CHECK-NEXT:        %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:        store %4, %out0, %0, %3
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @partial_k2(%in0: f32[], %out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    %c1 = constant {value = 1} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      %1 = clamp %c1, %c2 : i64
// CHECK-NEXT:      %2 = add %c2, %0 : i64
// CHECK-NEXT:      %3 = clamp %2, %c4 : i64
// CHECK-NEXT:      %4 = load %in0 : f32
// CHECK-NEXT:      %5 = load %out0, %1, %3 : f32
// CHECK-NEXT:      %6 = add %5, %4 : f32
// CHECK-NEXT:      store %6, %out0, %1, %3
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @partial(%a: f32[2,2], %b: f32[]) -> (f32[2,4]) {
  %z = constant {value = 1.0} : f32[2,4]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,4]
  %1 = slice_update %0, %b {mode = "add", start = [1, 2], step = [1, 1], stop = [2, 4]} : f32[2,4]
  return %1
}

// -----

// A computed base (exp) that nothing reads after the update: written in
// place, dynamic dims included.
// CHECK-LABEL: func @dead_base(%x: f32[?,3], %y: f32[?,1]) -> (f32[?,3]) {
// CHECK-NEXT:    %0 = dim %x {axis = 0} : i64
// CHECK-NEXT:    %1 = alloc %0 : f32[?,3]
// CHECK-NEXT:    launch %x, %1 {kernel = @dead_base_k0}
// CHECK-NEXT:    launch %y, %1 {kernel = @dead_base_k1}
// CHECK-NEXT:    return %1
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @dead_base_k0(%in0: f32[?,3], %out0: f32[?,3]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:    %c3 = constant {value = 3} : i64
// CHECK-NEXT:    parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:      for %c0, %c3 (%2: i64) {
// CHECK-NEXT:        %3 = load %in0, %1, %2 : f32
// CHECK-NEXT:        %4 = exp %3 : f32
// CHECK-NEXT:        store %4, %out0, %1, %2
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @dead_base_k1(%in0: f32[?,1], %out0: f32[?,3]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c3 = constant {value = 3} : i64
// CHECK-NEXT:    %c1 = constant {value = 1} : i64
// CHECK-NEXT:    %0 = dim %out0 {axis = 0} : i64
// CHECK-NEXT:    parallel_for %c0, %0 (%1: i64) {
// CHECK-NEXT:      %2 = clamp %c1, %c3 : i64
// CHECK-NEXT:      %3 = load %in0, %1, %c0 : f32
// CHECK-NEXT:      %4 = load %out0, %1, %2 : f32
// CHECK-NEXT:      %5 = add %4, %3 : f32
// CHECK-NEXT:      store %5, %out0, %1, %2
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @dead_base(%x: f32[?,3], %y: f32[?,1]) -> (f32[?,3]) {
  %e = exp %x : f32[?,3]
  %0 = slice_update %e, %y {mode = "add", start = [0, 1], step = [1, 1], stop = [9223372036854775807, 2]} : f32[?,3]
  return %0
}

// -----

// The chain's middle value is also returned: no cover (the chain stops at
// it), so the zero is filled, and the second update copies, since its base
// is read after it.
// CHECK-LABEL: func @cover_broken(%a: f32[2,2], %b: f32[2,2]) -> (f32[2,4], f32[2,4]) {
// CHECK-NEXT:    %z = constant {value = 0.0} : f32[2,4]
// CHECK-NEXT:    %0 = alloc : f32[2,4]
// CHECK-NEXT:    launch %0 {kernel = @cover_broken_k0}
// CHECK-NEXT:    launch %a, %0 {kernel = @cover_broken_k1}
// CHECK-NEXT:    %1 = alloc : f32[2,4]
// CHECK-NEXT:    launch %0, %b, %1 {kernel = @cover_broken_k2}
// CHECK-NEXT:    return %1, %0
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @cover_broken_k0(%out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c4 (%1: i64) {
// CHECK-NEXT:        %2 = constant {value = 0.0} : f32
// CHECK-NEXT:        store %2, %out0, %0, %1
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @cover_broken_k1(%in0: f32[2,2], %out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c2 (%1: i64) {
// CHECK-NEXT:        %2 = add %c0, %1 : i64
// CHECK-NEXT:        %3 = clamp %2, %c4 : i64
// CHECK-NEXT:        %4 = load %in0, %0, %1 : f32
// CHECK-NEXT:        store %4, %out0, %0, %3
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @cover_broken_k2(%in0: f32[2,4], %in1: f32[2,2], %out0: f32[2,4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    parallel_for %c0, %c2 (%0: i64) {
// CHECK-NEXT:      for %c0, %c4 (%1: i64) {
// CHECK-NEXT:        %2 = load %in0, %0, %1 : f32
// CHECK-NEXT:        store %2, %out0, %0, %1
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    parallel_for %c0, %c2 (%3: i64) {
// CHECK-NEXT:      for %c0, %c2 (%4: i64) {
// CHECK-NEXT:        %5 = add %c2, %4 : i64
// CHECK-NEXT:        %6 = clamp %5, %c4 : i64
// CHECK-NEXT:        %7 = load %in1, %3, %4 : f32
// CHECK-NEXT:        store %7, %out0, %3, %6
// CHECK-NEXT:        yield
// CHECK-NEXT:      }
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @cover_broken(%a: f32[2,2], %b: f32[2,2]) -> (f32[2,4], f32[2,4]) {
  %z = constant {value = 0.0} : f32[2,4]
  %0 = slice_update %z, %a {mode = "set", start = [0, 0], step = [1, 1], stop = [2, 2]} : f32[2,4]
  %1 = slice_update %0, %b {mode = "set", start = [0, 2], step = [1, 1], stop = [2, 4]} : f32[2,4]
  return %1, %0
}

// -----

// Negative: the base is read after the update (returned), is a parameter
// (the caller's), or is also the values (x[::-1] = x would read what it
// overwrote): the update kernel copies the base first, as before.
// CHECK-LABEL: func @read_after(%x: f32[4], %y: f32[2]) -> (f32[4], f32[4]) {
// CHECK-NEXT:    %0 = alloc : f32[4]
// CHECK-NEXT:    launch %x, %0 {kernel = @read_after_k0}
// CHECK-NEXT:    %1 = alloc : f32[4]
// CHECK-NEXT:    launch %0, %y, %1 {kernel = @read_after_k1}
// CHECK-NEXT:    return %1, %0
// CHECK-NEXT:  }
// CHECK-LABEL: func @param(%x: f32[4], %y: f32[2]) -> (f32[4]) {
// CHECK-NEXT:    %0 = alloc : f32[4]
// CHECK-NEXT:    launch %x, %y, %0 {kernel = @param_k0}
// CHECK-NEXT:    return %0
// CHECK-NEXT:  }
// CHECK-LABEL: func @self(%x: f32[4]) -> (f32[4]) {
// CHECK-NEXT:    %0 = alloc : f32[4]
// CHECK-NEXT:    launch %x, %0 {kernel = @self_k0}
// CHECK-NEXT:    %1 = alloc : f32[4]
// CHECK-NEXT:    launch %0, %0, %1 {kernel = @self_k1}
// CHECK-NEXT:    return %1
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @read_after_k0(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:      %1 = load %in0, %0 : f32
// CHECK-NEXT:      %2 = exp %1 : f32
// CHECK-NEXT:      store %2, %out0, %0
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @read_after_k1(%in0: f32[4], %in1: f32[2], %out0: f32[4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:      %1 = load %in0, %0 : f32
// CHECK-NEXT:      store %1, %out0, %0
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    parallel_for %c0, %c2 (%2: i64) {
// CHECK-NEXT:      %3 = add %c0, %2 : i64
// CHECK-NEXT:      %4 = clamp %3, %c4 : i64
// CHECK-NEXT:      %5 = load %in1, %2 : f32
// CHECK-NEXT:      store %5, %out0, %4
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @param_k0(%in0: f32[4], %in1: f32[2], %out0: f32[4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c2 = constant {value = 2} : i64
// CHECK-NEXT:    parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:      %1 = load %in0, %0 : f32
// CHECK-NEXT:      store %1, %out0, %0
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    parallel_for %c0, %c2 (%2: i64) {
// CHECK-NEXT:      %3 = add %c0, %2 : i64
// CHECK-NEXT:      %4 = clamp %3, %c4 : i64
// CHECK-NEXT:      %5 = load %in1, %2 : f32
// CHECK-NEXT:      store %5, %out0, %4
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @self_k0(%in0: f32[4], %out0: f32[4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:      %1 = load %in0, %0 : f32
// CHECK-NEXT:      %2 = exp %1 : f32
// CHECK-NEXT:      store %2, %out0, %0
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
// CHECK-LABEL: kernel @self_k1(%in0: f32[4], %in1: f32[4], %out0: f32[4]) {
// CHECK-NEXT:    %c0 = constant {value = 0} : i64
// CHECK-NEXT:    %c-1 = constant {value = -1} : i64
// CHECK-NEXT:    %c4 = constant {value = 4} : i64
// CHECK-NEXT:    %c3 = constant {value = 3} : i64
// CHECK-NEXT:    parallel_for %c0, %c4 (%0: i64) {
// CHECK-NEXT:      %1 = load %in0, %0 : f32
// CHECK-NEXT:      store %1, %out0, %0
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    parallel_for %c0, %c4 (%2: i64) {
// CHECK-NEXT:      %3 = mul %2, %c-1 : i64
// CHECK-NEXT:      %4 = add %c3, %3 : i64
// CHECK-NEXT:      %5 = clamp %4, %c4 : i64
// CHECK-NEXT:      %6 = load %in1, %2 : f32
// CHECK-NEXT:      store %6, %out0, %5
// CHECK-NEXT:      yield
// CHECK-NEXT:    }
// CHECK-NEXT:    return
// CHECK-NEXT:  }
func @read_after(%x: f32[4], %y: f32[2]) -> (f32[4], f32[4]) {
  %e = exp %x : f32[4]
  %0 = slice_update %e, %y {mode = "set", start = [0], step = [1], stop = [2]} : f32[4]
  return %0, %e
}
func @param(%x: f32[4], %y: f32[2]) -> (f32[4]) {
  %0 = slice_update %x, %y {mode = "set", start = [0], step = [1], stop = [2]} : f32[4]
  return %0
}
func @self(%x: f32[4]) -> (f32[4]) {
  %e = exp %x : f32[4]
  %0 = slice_update %e, %e {mode = "set", start = [3], step = [-1], stop = [-9223372036854775807]} : f32[4]
  return %0
}
