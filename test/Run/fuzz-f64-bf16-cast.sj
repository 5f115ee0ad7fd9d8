// Regression test: the bug below is fixed (issue 9); the text says how it was found.
// Found by the semantic fuzzer (issue 9, "make every cast pair JIT (f64->bf16
// fails today)"): a cast from f64 to bf16 compiles to a call of
// __truncdfbf2, which the JIT cannot resolve ("Symbols not found:
// [ __truncdfbf2 ]"). Root cause: codegen's cast emission (or the runtime
// symbol table) has no f64->bf16 path. (Fuzzer: FUZZ_AVOID=f64-bf16.)
// RUN: %symjit-run %s --check --dim 5 | FileCheck %s
// CHECK: check: @f passed
func @f(%x: f64[?]) -> (bf16[?]) {
  %y = cast %x : bf16[?]
  return %y
}
