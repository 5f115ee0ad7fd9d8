// RUN: %symjit-opt %s > %t && grep -v '^//' %s | diff -u - %t
// RUN: %symjit-opt %t | diff -u %t -
// Constants: splats of every dtype, dense literals, inf/nan, scalars.
func @c() -> (f32[2,2], f64[], i32[3], bool[2], f16[], bf16[4], i8[], i64[], f32[3]) {
  %0 = constant {value = 0.5} : f32[2,2]
  %1 = constant {value = -1.0000000000000002} : f64[]
  %2 = constant {value = dense<[1, -2, 3]>} : i32[3]
  %3 = constant {value = dense<[1, 0]>} : bool[2]
  %4 = constant {value = 1.5} : f16[]
  %5 = constant {value = 2.0} : bf16[4]
  %6 = constant {value = -128} : i8[]
  %7 = constant {value = 9223372036854775807} : i64[]
  %8 = constant {value = dense<[inf, -inf, nan]>} : f32[3]
  return %0, %1, %2, %3, %4, %5, %6, %7, %8
}

kernel @k(%out0: f32[]) {
  %x = constant {value = 1e-30} : f32
  %y = constant {value = 3} : i64
  store %x, %out0
  return
}
