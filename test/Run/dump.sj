// SYMJIT_DUMP=<dir>: the IR of every selected stage as a file, numbered in
// pipeline order (<func>.<NN>.<stage>.sj); SYMJIT_DUMP_STAGES selects. Each
// op line ends with its location as a comment, and the dumps parse again.
// RUN: rm -rf %t && env SYMJIT_DUMP=%t SYMJIT_DUMP_STAGES=input,fuse-elementwise,final %symjit-run %s > /dev/null
// RUN: ls %t | FileCheck %s --check-prefix=FILES
// FILES: f.00.input.sj
// FILES-NEXT: f.{{[0-9]+}}.fuse-elementwise.sj
// FILES-NEXT: f.{{[0-9]+}}.final.sj
// RUN: FileCheck %s --check-prefix=INPUT < %t/f.00.input.sj
// INPUT: func @f(%x: f32[?], %y: f32[?]) -> (f32[?]) {  // {{.*}}dump.sj:[[@LINE+6]]:1
// INPUT-NEXT:   %e = exp %x : f32[?]  // {{.*}}dump.sj:[[@LINE+6]]:8
// INPUT-NEXT:   %m = mul %e, %y : f32[?]  // {{.*}}dump.sj:[[@LINE+6]]:8
// RUN: %symjit-opt %t/f.00.input.sj > /dev/null
// RUN: cat %t/f.*.fuse-elementwise.sj | %symjit-opt | FileCheck %s --check-prefix=FUSED
// FUSED: fused
func @f(%x: f32[?], %y: f32[?]) -> (f32[?]) {
  %e = exp %x : f32[?]
  %m = mul %e, %y : f32[?]
  return %m
}
// A stage that does not exist is an error, not an empty directory.
// RUN: rm -rf %t && not env SYMJIT_DUMP=%t SYMJIT_DUMP_STAGES=input,fuse-elementwize %symjit-run %s 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: dump stages: unknown stage 'fuse-elementwize'
