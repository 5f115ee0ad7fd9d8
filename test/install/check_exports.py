#!/usr/bin/env python3
"""libsymjit.so exports exactly the functions its public headers declare
(ctest install_exports; decision 0032). The headers are preprocessed (so
X-macro declarations count) and every `sj_name(` in them is a declaration;
the library's dynamic symbol table must hold each of them (a missing one is a
declaration without SJ_API, or without a definition) and nothing else (an
extra one is an internal function leaking out of -fvisibility=hidden)."""
import argparse, glob, os, re, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("--cc", required=True)
ap.add_argument("--nm", required=True)
ap.add_argument("--include", required=True, help="the include/ folder")
ap.add_argument("--lib", required=True, help="libsymjit.so")
a = ap.parse_args()

headers = sorted(glob.glob(os.path.join(a.include, "symjit", "*.h")))
text = "".join('#include "%s"\n' % os.path.relpath(h, a.include) for h in headers)
pp = subprocess.run([a.cc, "-E", "-P", "-std=c17", "-I", a.include, "-x", "c", "-"], input=text, text=True,
                    capture_output=True)
if pp.returncode:
    sys.exit("preprocessing the public headers failed:\n" + pp.stderr)
declared = set(re.findall(r"\b(sj_\w+)\s*\(", pp.stdout))

out = subprocess.run([a.nm, "-D", "--defined-only", a.lib], text=True, capture_output=True, check=True).stdout
exported = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "TtWiu":
        exported.add(parts[2])
linker = {"_init", "_fini"}
missing, extra = sorted(declared - exported), sorted(exported - declared - linker)
for n in missing:
    print("declared in include/symjit but not exported by %s: %s (missing SJ_API, or no definition)" %
          (os.path.basename(a.lib), n))
for n in extra:
    print("exported by %s but not declared in include/symjit: %s (internal symbols must stay hidden)" %
          (os.path.basename(a.lib), n))
print("%d public functions declared, %d exported" % (len(declared), len(exported - linker)))
sys.exit(1 if missing or extra else 0)
