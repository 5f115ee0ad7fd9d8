"""Compares two lenet runs (examples/lenet.c): the per-epoch training losses
('epoch N: train loss X') must agree within 1e-3 and the test accuracies
within 0.01 (a few images whose two top logits are within rounding of each
other may flip); prints 'N epochs agree', else the first difference (exit 1)."""
import re
import sys


def epochs(path):
    text = open(path).read()
    return [(float(l), float(a)) for l, a in re.findall(r"epoch \d+: train loss ([0-9.]+), test accuracy ([0-9.]+)", text)]


a, b = epochs(sys.argv[1]), epochs(sys.argv[2])
if not a or len(a) != len(b):
    print(f"different number of epochs: {len(a)} and {len(b)}")
    sys.exit(1)
for i, ((la, aa), (lb, ab)) in enumerate(zip(a, b)):
    if abs(la - lb) > 1e-3 or abs(aa - ab) > 0.01:
        print(f"epoch {i + 1}: loss {la} and {lb}, accuracy {aa} and {ab} differ")
        sys.exit(1)
print(f"{len(a)} epochs agree")
