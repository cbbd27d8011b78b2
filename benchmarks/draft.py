"""Benchmark of ``jnpolicy draft`` (not a test): draft every document of the shipped gazette and
compare the numbers found with those the catalog holds.

Prints one JSON line on stdout:
  recall          the share of the numbers ``data/policies`` holds (parameters and facts of every
                  document) that the drafts found: the same value at a place inside the catalog's
                  quote (target: >= 0.95)
  precision       the share of the drafts' numbers that the catalog holds (its targets included);
                  the rest are listed on stderr for an analyst to check
  catalog_numbers, draft_numbers, found
  quotes_verbatim every draft quote stands verbatim in its document's text
  seconds         wall time of the drafts
  by_doc          recall and precision of each document

The numbers found that the catalog does not hold, and those it missed, go to stderr.

    .venv/bin/python benchmarks/draft.py [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from jnpolicy_analysis.inputs.catalog import load_catalog
from jnpolicy_analysis.inputs.draft import score
from jnpolicy_analysis.inputs.sources import load_sources
from jnpolicy_analysis.paths import DATA_DIR


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    args = ap.parse_args()
    catalog = load_catalog(args.data)
    sources = load_sources(args.data)
    t0 = time.perf_counter()
    scores = []
    for src in sources.sources:
        text = (args.data / "sources" / src.file).read_text(encoding="utf-8")
        for doc in src.documents:
            if doc in catalog.documents:
                scores.append(score(catalog, text, doc))
    seconds = time.perf_counter() - t0
    total = sum(s["catalog_numbers"] for s in scores)
    found = sum(s["found"] for s in scores)
    drafted = sum(s["draft_numbers"] for s in scores)
    held = sum(s["draft_numbers"] - len(s["not_in_catalog"]) for s in scores)
    for s in scores:
        for m in s["missed"]:
            print(f"missed: {s['doc']} {m['where']} = {m['value']:g}", file=sys.stderr)
        for e in s["not_in_catalog"]:
            print(
                f"not in the catalog: {s['doc']} clause {e['clause']}: {e['value']:g} "
                f"{e['unit']} in '{e['quote']}'",
                file=sys.stderr,
            )
    out = {
        "recall": round(found / total, 4) if total else 1.0,
        "precision": round(held / drafted, 4) if drafted else 1.0,
        "catalog_numbers": total,
        "draft_numbers": drafted,
        "found": found,
        "quotes_verbatim": all(s["quotes_verbatim"] for s in scores),
        "seconds": round(seconds, 3),
        "by_doc": {
            s["doc"]: {"recall": round(s["recall"], 4), "precision": round(s["precision"], 4)}
            for s in scores
        },
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
