"""Writes a .npy file (format 1.0) without numpy, for tests that need exact
values: write_npy.py PATH DESCR SHAPE VALUES, e.g.
  write_npy.py x.npy '<i8' 2x2 -9223372036854775808,9223372036854775807,0,1
SHAPE is dims joined by 'x' ('' for rank 0); VALUES are comma-separated."""
import struct
import sys

FORMATS = {"<i8": "q", "<i4": "i", "|i1": "b", "|b1": "?", "<f4": "f", "<f8": "d", "<f2": "e"}

path, descr, shape, values = sys.argv[1:5]
dims = [int(d) for d in shape.split("x")] if shape else []
fmt = FORMATS[descr]
conv = float if fmt in "fde" else (lambda v: v in ("1", "True", "true")) if fmt == "?" else int
vals = [conv(v) for v in values.split(",")] if values else []
tup = "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"
header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, tup)
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack("<%d%s" % (len(vals), fmt), *vals))
