"""Writes a small Fashion-MNIST-like split for the loader tests:
make_idx.py DIR PREFIX COUNT [EXTRA_MB]
DIR/PREFIX-images-idx3-ubyte.gz holds COUNT 28x28 images (pixel i*7 % 256)
and DIR/PREFIX-labels-idx1-ubyte.gz COUNT labels (i % 10). EXTRA_MB > 0
appends that many megabytes of zeros after the images the header announces:
a gzip bomb (the stream compresses about 1000:1)."""
import gzip
import os
import struct
import sys

d, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
extra = int(sys.argv[4]) if len(sys.argv) > 4 else 0
os.makedirs(d, exist_ok=True)
with gzip.open(os.path.join(d, prefix + "-images-idx3-ubyte.gz"), "wb", compresslevel=1) as f:
    f.write(struct.pack(">IIII", 0x803, count, 28, 28))
    f.write(bytes((i * 7) % 256 for i in range(count * 784)))
    chunk = bytes(1 << 20)
    for _ in range(extra):
        f.write(chunk)
with gzip.open(os.path.join(d, prefix + "-labels-idx1-ubyte.gz"), "wb") as f:
    f.write(struct.pack(">II", 0x801, count))
    f.write(bytes(i % 10 for i in range(count)))
