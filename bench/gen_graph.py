#!/usr/bin/env python3
"""Writes a large symjit module to stdout, for compile-time scaling checks.

  gen_graph.py chain N   one function, N elementwise ops, each reading the
                         previous result (depth N): add/mul/neg/tanh in turn
  gen_graph.py wide N    one function, N elementwise ops in independent
                         chains of 8 (each starts from x + its own constant,
                         so cse cannot merge them), summed pairwise at the
                         end (width N/8, depth 8 + log2(N/8))

  --sum                  end with a sum to a scalar f32[] (a cost for --grad)

Used by bench/compile_scale.sh and by test/Passes/scale.test.
"""
import sys

OPS = ["add %{p}, %x", "mul %{p}, %y", "neg %{p}", "tanh %{p}"]
TY = "f32[?,16]"


def ret(prev, cost, out):
    if cost:
        out.write(f"  %cost = sum %{prev} : f32[]\n")
        prev = "cost"
    out.write(f"  return %{prev}\n}}\n")


def chain(n, cost, out):
    rty = "f32[]" if cost else TY
    out.write(f"func @chain(%x: {TY}, %y: {TY}) -> ({rty}) {{\n")
    prev = "x"
    for i in range(n):
        out.write(f"  %v{i} = " + OPS[i % len(OPS)].format(p=prev) + f" : {TY}\n")
        prev = f"v{i}"
    ret(prev, cost, out)


def wide(n, cost, out):
    rty = "f32[]" if cost else TY
    out.write(f"func @wide(%x: {TY}, %y: {TY}) -> ({rty}) {{\n")
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
    ret(heads[0], cost, out)


def main(argv):
    cost = "--sum" in argv[1:]
    args = [a for a in argv[1:] if a != "--sum"]
    if len(args) != 2 or args[0] not in ("chain", "wide") or not args[1].isdigit() or int(args[1]) < 1:
        sys.stderr.write("usage: gen_graph.py chain|wide N [--sum]   (N >= 1)\n")
        return 2
    (chain if args[0] == "chain" else wide)(int(args[1]), cost, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
