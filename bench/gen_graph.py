#!/usr/bin/env python3
"""Writes a large symjit module to stdout, for compile-time scaling checks.

  gen_graph.py chain N   one function, N elementwise ops, each reading the
                         previous result (depth N): add/mul/neg/tanh in turn
  gen_graph.py wide N    one function, N elementwise ops in independent
                         chains of 8 (each starts from x + its own constant,
                         so cse cannot merge them), summed pairwise at the
                         end (width N/8, depth 8 + log2(N/8))

Used by bench/compile_scale.sh and by test/Passes/scale.test.
"""
import sys

OPS = ["add %{p}, %x", "mul %{p}, %y", "neg %{p}", "tanh %{p}"]
TY = "f32[?,16]"


def chain(n, out):
    out.write(f"func @chain(%x: {TY}, %y: {TY}) -> ({TY}) {{\n")
    prev = "x"
    for i in range(n):
        out.write(f"  %v{i} = " + OPS[i % len(OPS)].format(p=prev) + f" : {TY}\n")
        prev = f"v{i}"
    out.write(f"  return %{prev}\n}}\n")


def wide(n, out):
    out.write(f"func @wide(%x: {TY}, %y: {TY}) -> ({TY}) {{\n")
    heads, k = [], 0
    while k < n:
        c = len(heads)
        out.write(f"  %c{c} = constant {{value = {c}.0}} : f32[]\n")
        out.write(f"  %h{c} = add %x, %c{c} : {TY}\n")
        prev = f"h{c}"
        for j in range(min(8, n - k)):
            out.write(f"  %v{k} = " + OPS[j % len(OPS)].format(p=prev) + f" : {TY}\n")
            prev = f"v{k}"
            k += 1
        heads.append(prev)
    s = 0
    while len(heads) > 1:  # pairwise tree, so depth stays log(width)
        nxt = []
        for a, b in zip(heads[0::2], heads[1::2]):
            out.write(f"  %s{s} = add %{a}, %{b} : {TY}\n")
            nxt.append(f"s{s}")
            s += 1
        if len(heads) % 2:
            nxt.append(heads[-1])
        heads = nxt
    out.write(f"  return %{heads[0]}\n}}\n")


def main(argv):
    if len(argv) != 3 or argv[1] not in ("chain", "wide") or not argv[2].isdigit() or int(argv[2]) < 1:
        sys.stderr.write("usage: gen_graph.py chain|wide N   (N >= 1)\n")
        return 2
    (chain if argv[1] == "chain" else wide)(int(argv[2]), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
