"""anonlink's side of bench/anonlink-paired.ts: one timed exhaustive Dice run.

Usage: python3 anonlink-dice.py ANONLINK_SRC FILTERS_FILE QUERIES RECORDS BYTES THRESHOLD

Reads QUERIES then RECORDS filters of BYTES bytes each (written by the TypeScript side from the
same seeded generator bloomlink scans), and times anonlink's C++ kernel call
(`_dice.dice_many_to_many`, all pairs at or above THRESHOLD, k = all) on CPU time, plus the whole
public call (`dice_coefficient_accelerated`, with its bitarray conversion and sort). Prints one
JSON line: kernel and call CPU seconds, pairs found and a checksum of the pairs (sum of
i * RECORDS + j mod 2**52), so both sides can be checked to find the same pairs.
"""
import json
import sys
import time
from array import array

src, path, n_q, n_r, nbytes, threshold = sys.argv[1:7]
sys.path.insert(0, src)
n_q, n_r, nbytes, threshold = int(n_q), int(n_r), int(nbytes), float(threshold)

from bitarray import bitarray  # noqa: E402

from anonlink.similarities import _dice  # noqa: E402
from anonlink.similarities._dice_x86 import dice_coefficient_accelerated  # noqa: E402

with open(path, 'rb') as f:
    data = f.read()
assert len(data) == (n_q + n_r) * nbytes
carr0 = array('b')
carr0.frombytes(data[: n_q * nbytes])
carr1 = array('b')
carr1.frombytes(data[n_q * nbytes:])
counts = _dice.popcount_arrays(carr1, nbytes)

sims, i0, i1 = array('d'), array('I'), array('I')
t0 = time.process_time()
_dice.dice_many_to_many(carr0, carr1, n_q, n_r, counts, nbytes, n_r, threshold, sims, i0, i1)
kernel = time.process_time() - t0

checksum = sum(i * n_r + j for i, j in zip(i0, i1)) % (2**52)


def bits(lo, n):
    out = []
    for k in range(n):
        b = bitarray(endian='little')
        b.frombytes(data[(lo + k) * nbytes:(lo + k + 1) * nbytes])
        out.append(b)
    return out


call = None
if '--call' in sys.argv:
    q, r = bits(0, n_q), bits(n_q, n_r)
    t0 = time.process_time()
    dice_coefficient_accelerated((q, r), threshold, None)
    call = time.process_time() - t0

print(json.dumps({'kernel': kernel, 'call': call, 'found': len(sims), 'checksum': checksum}))
