#!/usr/bin/env bash
# The layering of `app/src`, checked. Every top-level module of the crate has
# a rank (the table below, also in ARCHITECTURE.md); a module may name only
# modules of a lower rank. Four checks, each listing what breaks it:
#
# 1. edges: for each pair of modules, the files of one that name the other
#    (`crate::<module>` paths and `use crate::{<module>…}` groups). An edge to
#    an equal or higher rank is "AGAINST".
# 2. page imports: a page module naming another page module (`pages::x` from
#    `pages/y.rs`); shared views belong in `components/`.
# 3. HTTP and view names in `db/` and `domain/`: `axum::`, `leptos::`,
#    `leptos_router::`, `leptos_meta::`, `http::`, `server_fn::`.
# 4. SQL outside `db/`: `sqlx::query*`, `query_as(`, `query_scalar(` in
#    `app/src` outside `db/` (test modules aside). `server/src` is listed too,
#    for information: its CLI, benchmarks and jobs may read the database.
#
# Exits 1 when any of checks 1-4 (app) finds something.
#
#   scripts/import-graph.sh [SOURCE_DIR]   (default: app/src)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "${1:-app/src}" <<'PY'
import os, re, sys
root = sys.argv[1]

# Lower ranks are more basic. A module may name modules of a lower rank only.
RANKS = [
    # 0: leaves that name nothing in the crate
    ("base", ["query", "error", "assets", "security", "client"]),
    # 1: the shared types and their rules; compiles for wasm, no I/O
    ("domain", ["domain"]),
    # 2: helpers over domain types: Markdown, password hashes and tokens
    ("helpers", ["markdown", "secret"]),
    # 3: the catalogue engine: the in-memory index, browse and search,
    #    built from what db loads
    ("engine", ["catalogue"]),
    # 4: storage: every query and transaction
    ("db", ["db"]),
    # 5: services beside the request: files in and out, statistics,
    #    the page cache, the sign-in throttle
    ("services", ["content", "stats", "page_cache", "throttle"]),
    # 6: what every request can reach
    ("state", ["state"]),
    # 7: who is asking: sessions, the second factor, authorize
    ("auth", ["auth"]),
    # 8: server functions
    ("api", ["api"]),
    # 9: the islands (what they read from the markup is theirs)
    ("islands", ["islands"]),
    # 10: shared views, which render the islands' markup contract
    ("views", ["components"]),
    # 11: pages, one module per page family
    ("pages", ["pages"]),
]
rank = {m: r for r, (_, ms) in enumerate(RANKS) for m in ms}

modules = set()
for e in os.listdir(root):
    p = os.path.join(root, e)
    if e.endswith(".rs") and e != "lib.rs":
        modules.add(e[:-3])
    elif os.path.isdir(p):
        modules.add(e)
unranked = sorted(modules - set(rank))

def rust_files(top=None):
    base = os.path.join(root, top) if top else root
    if top and os.path.exists(base + ".rs"):
        yield base + ".rs"
    if os.path.isdir(base):
        for d, _, fs in os.walk(base):
            for f in sorted(fs):
                if f.endswith(".rs"):
                    yield os.path.join(d, f)

def module_of(path):
    rel = os.path.relpath(path, root)
    return rel.split(os.sep)[0].removesuffix(".rs")

def without_tests(text):
    m = re.search(r"#\[cfg\(test\)\]\s*mod tests", text)
    return text[: m.start()] if m else text

def top_items(group):
    """The first name of each top-level item of a `use crate::{…}` group
    (`db::{a, b}` gives `db`; names nested deeper are not modules of the crate)."""
    items, current, depth = [], "", 0
    for c in group:
        depth += c == "{"
        depth -= c == "}"
        if c == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += c
    items.append(current)
    return {m.group(1) for m in (re.match(r"\s*(\w+)", i) for i in items) if m}

def named(text):
    names = set(re.findall(r"crate::(\w+)", text))
    for group in re.findall(r"use crate::\{(.*?)\};", text, re.S):
        names |= top_items(group)
    return names

problems = 0

# 1. edges between modules
edges = {}
for path in rust_files():
    src = module_of(path)
    if src == "lib":
        continue
    text = open(path, encoding="utf-8").read()
    for target in named(text) & modules:
        if target != src:
            edges.setdefault((src, target), set()).add(os.path.relpath(path, root))
print("ranks (a module may name lower ranks only):")
for r, (name, ms) in enumerate(RANKS):
    present = [m for m in ms if m in modules]
    print(f"  {r:2} {name:<9} {', '.join(present) if present else '-'}")
if unranked:
    print(f"  UNRANKED: {', '.join(unranked)}")
    problems += len(unranked)
print("\nedges:")
against = 0
order = lambda m: (rank.get(m, 99), m)
for (a, b), files in sorted(edges.items(), key=lambda e: (order(e[0][0]), order(e[0][1]))):
    wrong = rank.get(b, 99) >= rank.get(a, 99)
    against += wrong
    mark = "  AGAINST the layering" if wrong else ""
    print(f"  {a:>10} -> {b:<10} {len(files):3} files{mark}")
    if wrong:
        for f in sorted(files):
            print(f"{'':18}{f}")
problems += against

# 2. one page module naming another
page_imports = []
for path in rust_files("pages"):
    rel = os.path.relpath(path, os.path.join(root, "pages"))
    own = rel.split(os.sep)[0].removesuffix(".rs")
    if own == "mod":
        continue
    text = without_tests(open(path, encoding="utf-8").read())
    others = set(re.findall(r"crate::pages::(\w+)", text))
    for group in re.findall(r"use crate::\{(.*?)\};", text, re.S):
        others |= set(re.findall(r"\bpages::(\w+)", group))
    others |= set(re.findall(r"\bsuper::(\w+)::", text))
    for other in sorted(others - {own}):
        if os.path.exists(os.path.join(root, "pages", other + ".rs")):
            page_imports.append((os.path.relpath(path, root), other))
print(f"\npage modules naming another page module: {len(page_imports)}")
for f, other in page_imports:
    print(f"  {f} -> pages::{other}")
problems += len(page_imports)

# 3. HTTP and view names in db and domain
web = re.compile(r"\b(axum|leptos|leptos_router|leptos_meta|http|server_fn)::")
web_hits = []
for top in ("db", "domain"):
    for path in rust_files(top):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if web.search(line) and not line.lstrip().startswith("//"):
                web_hits.append(f"{os.path.relpath(path, root)}:{n}: {line.strip()}")
print(f"\naxum/leptos/http names in db and domain: {len(web_hits)}")
for h in web_hits:
    print(f"  {h}")
problems += len(web_hits)

# 4. SQL outside db
sql = re.compile(r"sqlx::query(_as|_scalar)?\b|\bquery_as(::<[^(]*)?\(|\bquery_scalar(::<[^(]*)?\(")
def sql_counts(base, skip=None):
    counts = {}
    for d, _, fs in os.walk(base):
        for f in fs:
            path = os.path.join(d, f)
            if not f.endswith(".rs") or (skip and path.startswith(skip)):
                continue
            n = len(sql.findall(without_tests(open(path, encoding="utf-8").read())))
            if n:
                counts[path] = n
    return counts
app_sql = sql_counts(root, os.path.join(root, "db") + os.sep)
print(f"\nSQL outside db/ in {root}: {sum(app_sql.values())} queries in {len(app_sql)} files")
for f, n in sorted(app_sql.items(), key=lambda e: -e[1]):
    print(f"  {n:3} {f}")
problems += sum(app_sql.values())
server_root = os.path.join(os.path.dirname(os.path.normpath(root)), "..", "server", "src")
if os.path.isdir(server_root):
    server_sql = sql_counts(server_root)
    print(f"SQL in server/src (information, not counted): {sum(server_sql.values())} queries in {len(server_sql)} files")
    for f, n in sorted(server_sql.items(), key=lambda e: -e[1]):
        print(f"  {n:3} {os.path.relpath(f)}")

print(f"\nedges against the layering: {against} (of {len(edges)})")
print(f"problems (against + unranked + page imports + web names + SQL): {problems}")
sys.exit(1 if problems else 0)
PY
