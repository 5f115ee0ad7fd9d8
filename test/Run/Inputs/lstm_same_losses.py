"""Compares the losses printed by two char_lstm runs ('step N: loss X' lines
and the RESULT line's loss_first/loss_last10): prints 'N losses agree' when
every pair is within 1e-3, else the first pair that differs (exit 1)."""
import re
import sys


def losses(path):
    text = open(path).read()
    vals = [float(v) for v in re.findall(r"step \d+: loss ([0-9.]+)", text)]
    vals += [float(v) for v in re.findall(r"loss_(?:first|last10)=([0-9.]+)", text)]
    return vals


a, b = losses(sys.argv[1]), losses(sys.argv[2])
if not a or len(a) != len(b):
    print(f"different number of losses: {len(a)} and {len(b)}")
    sys.exit(1)
for i, (x, y) in enumerate(zip(a, b)):
    if abs(x - y) > 1e-3:
        print(f"loss {i}: {x} and {y} differ")
        sys.exit(1)
print(f"{len(a)} losses agree")
