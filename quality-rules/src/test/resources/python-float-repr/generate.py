"""Writes cases.txt: Python 3.11's repr (= str) of doubles, one "<hex bits> <repr>" a line. PythonRegexTest checks
PythonRegex.floatText against it. Run: python3.11 generate.py > cases.txt"""
import random, struct, sys

rnd = random.Random(20261207)
values = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 5e-324, -5e-324, 1e-323, 2.2250738585072014e-308,
          2.225073858507201e-308, 1.7976931348623157e308, 0.1 + 0.2, 1e22, 1e23, 2e23, 9.515459999999998e16,
          9007199254740992.0, 9007199254740993.0, 1e16, 1e-5, 1e-4, 0.0001234, 123.45, 1.0, 9999999999999998.0]
values += [10.0 ** e for e in range(-325, 309)]
values += [2.0 ** e for e in range(-1074, 1024)]
values += [float(f"{rnd.randint(1, 10 ** rnd.randint(1, 17))}e{rnd.randint(-330, 310)}") for _ in range(1500)]
values += [struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(64)))[0] for _ in range(1500)]
values += [struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(52)))[0] for _ in range(300)]  # subnormals
values += [rnd.random() * 10 ** rnd.randint(-6, 18) for _ in range(700)]
for v in values:
    sys.stdout.write(f"{struct.unpack('<Q', struct.pack('<d', v))[0]:016x} {v!r}\n")
