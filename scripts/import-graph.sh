#!/usr/bin/env bash
# The import graph between app's layers: for each layer, which other
# layers its files name (`crate::<layer>` paths and `use crate::{<layer>…}`
# groups), with the number of files. A name against the layering
# (domain ← db ← api ← pages/components) is marked "AGAINST".
#
#   scripts/import-graph.sh [SOURCE_DIR]   (default: app/src)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "${1:-app/src}" <<'PY'
import os, re, sys
root = sys.argv[1]
layers = ["domain", "db", "api", "pages", "components"]
rank = {"domain": 0, "db": 1, "api": 2, "pages": 3, "components": 3}
def layer_of(path):
    rel = os.path.relpath(path, root)
    top = rel.split(os.sep)[0].removesuffix(".rs")
    return top if top in layers else None
edges = {}
for dirpath, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".rs"):
            continue
        path = os.path.join(dirpath, f)
        src_layer = layer_of(path)
        if src_layer is None:
            continue
        text = open(path, encoding="utf-8").read()
        named = set(re.findall(r"crate::(\w+)", text))
        for group in re.findall(r"use crate::\{(.*?)\};", text, re.S):
            named |= set(re.findall(r"(?:^|[,{\s])(\w+)::", group))
            named |= set(re.findall(r"(?:^|[,{\s])(\w+)\s*[,}]", group + ","))
        for target in named & set(layers):
            if target != src_layer:
                edges.setdefault((src_layer, target), set()).add(os.path.relpath(path, root))
against = 0
for (a, b), files in sorted(edges.items(), key=lambda e: (layers.index(e[0][0]), layers.index(e[0][1]))):
    wrong = rank[b] > rank[a] or (rank[a] == rank[b] and a != b and a == "components" and b == "pages")
    against += wrong
    mark = "  AGAINST the layering" if wrong else ""
    print(f"{a:>10} -> {b:<10} {len(files):3} files{mark}")
    if wrong:
        for f in sorted(files):
            print(f"{'':16}{f}")
print(f"\nlines: " + ", ".join(
    f"{l} {sum(sum(1 for _ in open(os.path.join(d, f), encoding='utf-8')) for d, _, fs in os.walk(os.path.join(root, l)) for f in fs if f.endswith('.rs')) if os.path.isdir(os.path.join(root, l)) else sum(1 for _ in open(os.path.join(root, l + '.rs'), encoding='utf-8')) if os.path.exists(os.path.join(root, l + '.rs')) else 0}"
    for l in layers))
print(f"edges against the layering: {against}")
PY
