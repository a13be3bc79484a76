#!/usr/bin/env python3
"""The seed catalogue's facet counts, as the content reviews tabulate them.

    scripts/facet-counts.py [CONTENT_DIR]   (default: content/)

For the published resources: each facet's values with their count and
share, the resources with no value, and the cells a visitor tries
(nivå × målgruppe × metode triples that return nothing; entry-path steps).
Counts as the catalogue filters them: a resource with no fagfelt counts for
every fagfelt, and one with no region takes its owners' regions.
"""
import itertools
import pathlib
import sys
import tomllib

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "content")
taxonomy = tomllib.loads((root / "taxonomy.toml").read_text())
facets = [f for f in taxonomy["facet"] if f["applies_to"] in ("resource", "both")]
orgs = tomllib.loads((root / "organisations.toml").read_text())
org_list = orgs.get("organisation", orgs.get("organisations", []))
org_region = {}
for o in org_list:
    region = o.get("region") or o.get("facets", {}).get("region")
    if isinstance(region, list):
        region = region[0] if region else None
    org_region[o.get("key") or o.get("slug")] = region

resources = []
for path in sorted((root / "resources").glob("*.md")):
    text = path.read_text()
    front = tomllib.loads(text.split("+++")[1])
    if front.get("status", "published") != "published":
        continue
    values = {k: list(v) for k, v in front.get("facets", {}).items()}
    raw = {k: list(v) for k, v in values.items()}
    if not values.get("fagfelt"):
        values["fagfelt"] = [v["key"] for f in facets if f["key"] == "fagfelt" for v in f["values"]]
    if not values.get("region"):
        values["region"] = sorted({org_region.get(o) for o in front.get("organisations", []) if org_region.get(o)})
    resources.append((path.stem, values, raw, front))

n = len(resources)
print(f"{n} published resources, {sum(1 for r in resources if 'praksiseksempel' in r[1].get('type', []))} practice examples, {len(org_list)} organisations\n")
print("| Facet | Values: count (share) | none |")
print("|---|---|---|")
for f in facets:
    cells = []
    for v in f["values"]:
        c = sum(1 for _, vals, _, _ in resources if v["key"] in vals.get(f["key"], []))
        cells.append(f"{v['key']} {c} ({100 * c // max(n, 1)} %)")
    none = sum(1 for _, _, raw, _ in resources if not raw.get(f["key"]))
    print(f"| {f['key']} | {' · '.join(cells)} | {none} |")

def values_of(key):
    return [v["key"] for f in facets if f["key"] == key for v in f["values"]]

def count(**want):
    return sum(
        1 for _, vals, _, _ in resources
        if all(v in vals.get(k, []) for k, v in want.items())
    )

triples = list(itertools.product(values_of("nivaa"), values_of("malgruppe"), values_of("metode")))
empty = sum(1 for a, b, c in triples if count(nivaa=a, malgruppe=b, metode=c) == 0)
print(f"\nnivå × målgruppe × metode: {empty} of {len(triples)} triples return nothing")
print("\nCells the reviews name:")
for label, want in [
    ("praksiseksempel + individ + inngang tjenestene", dict(type="praksiseksempel", nivaa="individ", inngang="tjenestene")),
    ("praksiseksempel + erfaringskonsulenter", dict(type="praksiseksempel", metode="erfaringskonsulenter")),
    ("praksiseksempel + FIT", dict(type="praksiseksempel", metode="fit")),
    ("praksiseksempel + EBK", dict(type="praksiseksempel", metode="ebk")),
    ("inngang kompetansesenter + grad bemyndiggjøre", dict(inngang="kompetansesenter", grad="bemyndiggjore")),
    ("fagfelt rus + metode brukerutvalg", dict(fagfelt="rus", metode="brukerutvalg")),
    ("metode brukerutvalg", dict(metode="brukerutvalg")),
    ("fagfelt barn-unge", dict(fagfelt="barn-unge")),
    ("region vest", dict(region="vest")),
    ("region vest + praksiseksempel", dict(region="vest", type="praksiseksempel")),
]:
    print(f"- {label}: {count(**want)}")
