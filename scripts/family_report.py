#!/usr/bin/env python3
"""Per-family pass rates of the target conformance files.

usage: family_report.py RESULTS.json TARGET.tsv [SUITE_ROOT]
RESULTS.json is `canvasfx test --json` output over SUITE_ROOT (the folder that
holds expressions/, interpreter/, mutation/); TARGET.tsv lists file, family, tier.
"""
import json
import os
import sys
from collections import defaultdict

results = json.load(open(sys.argv[1]))
root = sys.argv[3] if len(sys.argv) > 3 else None
by_rel = {}
for f in results["files"]:
    path = f["path"]
    rel = os.path.relpath(path, root) if root else path
    by_rel[rel] = f
fam = defaultdict(lambda: [0, 0, 0])
for line in open(sys.argv[2]).read().splitlines()[1:]:
    rel, family, tier = line.split("\t")
    f = by_rel.get(rel)
    if not f:
        continue
    fam[family][0] += f["passed"]
    fam[family][1] += f["passed"] + f["failed"]
    fam[family][2] += f["skipped"]
tp = tc = 0
print(f"{'family':22} {'passed':>7} {'cases':>7} {'rate':>7} {'skipped':>8}")
for family in sorted(fam):
    p, c, s = fam[family]
    tp += p
    tc += c
    print(f"{family:22} {p:7} {c:7} {100.0*p/max(c,1):6.1f}% {s:8}")
print(f"{'total':22} {tp:7} {tc:7} {100.0*tp/max(tc,1):6.1f}%")
