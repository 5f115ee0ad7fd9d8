#!/usr/bin/env python3
"""Proves that an ops.def row which forgets a layer does not build.

Copies the sources into a scratch tree, appends one row for a new unary op
`cube` to lib/ir/ops.def and compiles (-fsyntax-only, the project's warning
flags) every file that builds a table from ops.def:

  control       a complete row reusing existing handlers: every layer compiles
                (so the failures below are not caused by the harness);
  per column    the row names a handler that does not exist in one column
                (INFER, VERIFY, EVAL, EMIT, SCALAR, VJP, PLAN, REF): exactly the layer that
                owns that column fails, with "'<handler>' undeclared";
  short row     a column is left out: every layer fails (the macro's arity);
  half reduce   a COMBINE without its IDENTITY: the registry's static assert;
  NONE rule     an elementwise row whose SCALAR or EVAL is NONE: the same.

Usage: forgotten-layer.py --cc CC --src SOURCE_DIR [--llvm-include DIR]...
Exits 0 when every expectation holds; prints what did not.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

# file that builds its table from ops.def -> the columns it reads
LAYERS = {
    "lib/ir/opdefs.c": ["INFER", "VERIFY", "EVAL", "COMBINE", "IDENTITY"],
    "lib/codegen/emit.c": ["EMIT"],
    "lib/codegen/scalar_ops.c": ["SCALAR"],
    "lib/graph/grad.c": ["VJP"],
    "lib/api/plan.c": ["PLAN"],
    "lib/eval/ref_eval.c": ["REF"],
}
COLUMNS = ["ID", "NAME", "MIN_OPNDS", "MAX_OPNDS", "NRESULTS", "NREGIONS", "FLAGS", "ATTRS",
           "INFER", "VERIFY", "EVAL", "COMBINE", "IDENTITY", "EMIT", "SCALAR", "VJP", "PLAN", "REF"]
# A unary op built from existing handlers (as docs/writing-an-op.md starts).
CONTROL = dict(ID="CUBE", NAME='"cube"', MIN_OPNDS="1", MAX_OPNDS="1", NRESULTS="1", NREGIONS="0",
               FLAGS="EW", ATTRS='""', INFER="infer_unary_num", VERIFY="NONE", EVAL="eval_neg",
               COMBINE="NONE", IDENTITY="NONE", EMIT="e_scalar", SCALAR="r_neg", VJP="v_neg",
               PLAN="NONE", REF="x_elementwise")
MISSING = dict(INFER="infer_cube", VERIFY="verify_cube", EVAL="eval_cube", EMIT="e_cube",
               SCALAR="r_cube", VJP="v_cube", PLAN="p_cube", REF="x_cube")


def undeclared(log, name):
    """gcc: 'x' undeclared; clang: use of undeclared identifier 'x'."""
    return any("undeclared" in line and "'%s'" % name in line for line in log.splitlines())


def row(cols, drop=None):
    return "SJ_OP(" + ", ".join(cols[c] for c in COLUMNS if c != drop) + ")\n"


def compile_layers(args, tree, extra_row):
    """Appends extra_row to the scratch ops.def; returns {file: (ok, output)}."""
    shutil.copy(os.path.join(args.src, "lib/ir/ops.def"), os.path.join(tree, "lib/ir/ops.def"))
    with open(os.path.join(tree, "lib/ir/ops.def"), "a") as f:
        f.write("\n" + extra_row)
    incs = ["include", "lib", "lib/ir", "passes", "lib/runtime", "lib/codegen", "lib/graph", "lib/api", "lib/eval"]
    flags = ["-std=c17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"]
    flags += ["-I" + os.path.join(tree, d) for d in incs] + ["-I" + d for d in args.llvm_include]
    out = {}
    for src in LAYERS:
        p = subprocess.run([args.cc] + flags + [os.path.join(tree, src)], capture_output=True, text=True,
                           env=dict(os.environ, LC_ALL="C"))
        out[src] = (p.returncode == 0, p.stdout + p.stderr)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--llvm-include", action="append", default=[])
    args = ap.parse_args()
    problems = []
    with tempfile.TemporaryDirectory() as tree:
        for d in ("include", "lib", "passes"):
            shutil.copytree(os.path.join(args.src, d), os.path.join(tree, d))

        res = compile_layers(args, tree, row(CONTROL))
        for src, (ok, log) in res.items():
            if not ok:
                problems.append("control row: %s does not compile:\n%s" % (src, log))

        for col, handler in MISSING.items():
            cols = dict(CONTROL, **{col: handler})
            res = compile_layers(args, tree, row(cols))
            for src, (ok, log) in res.items():
                owner = col in LAYERS[src]
                if owner and (ok or not undeclared(log, handler)):
                    problems.append("%s names missing %s: %s should fail: '%s' undeclared, got:\n%s"
                                    % (col, handler, src, handler, log or "success"))
                if not owner and not ok:
                    problems.append("%s names missing %s: %s does not read that column but failed:\n%s"
                                    % (col, handler, src, log))

        for drop in ("VJP", "SCALAR", "EVAL"):
            res = compile_layers(args, tree, row(CONTROL, drop=drop))
            for src, (ok, log) in res.items():
                # gcc / clang wording
                arity = 'macro "SJ_OP" requires %d arguments' % len(COLUMNS) in log or "too few arguments provided to function-like macro" in log
                if ok or not arity:
                    problems.append("row without %s: %s should fail on the macro's arity, got:\n%s"
                                    % (drop, src, log or "success"))

        res = compile_layers(args, tree, row(dict(CONTROL, COMBINE="ADD")))
        ok, log = res["lib/ir/opdefs.c"]
        if ok or "names both its COMBINE and its IDENTITY" not in log:
            problems.append("COMBINE without IDENTITY: opdefs.c should fail its static assert, got:\n%s"
                            % (log or "success"))

        for col in ("SCALAR", "EVAL"):
            res = compile_layers(args, tree, row(dict(CONTROL, **{col: "NONE"})))
            ok, log = res["lib/ir/opdefs.c"]
            if ok or "an elementwise op needs a%s %s rule" % ("n" if col == "EVAL" else "", col) not in log:
                problems.append("elementwise row with %s NONE: opdefs.c should fail its static assert, got:\n%s"
                                % (col, log or "success"))

    for p in problems:
        print("FAIL: " + p)
    print("%d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
