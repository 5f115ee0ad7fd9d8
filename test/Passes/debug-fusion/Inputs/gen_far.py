"""Writes a function whose elementwise %a and its consumer %b are N ops apart
(a chain of N matmuls, which never fuse, in between)."""
import sys

n = int(sys.argv[1])
print("func @far(%x: f32[4], %w: f32[2,2]) -> (f32[4], f32[2,2]) {")
print("  %a = neg %x : f32[4]")
prev = "w"
for i in range(n):
    print(f"  %m{i} = matmul %{prev}, %w : f32[2,2]")
    prev = f"m{i}"
print("  %b = add %a, %x : f32[4]")
print(f"  return %b, %{prev}")
print("}")
