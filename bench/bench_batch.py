"""review_many against review in a loop, side by side in one run (CPU time, one core).

    python -m bench.bench_batch [--n 20000] [--rounds 3]

The generated chat corpus (bench/corpus_gen.py) on `work_group`; the two ways take turns
for `--rounds` rounds and each keeps its best round. Both must give the same verdicts.
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time

from baomi import Reviewer
from bench.corpus_gen import chat_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    texts = [m.text for m in chat_corpus(args.n)]
    reviewer = Reviewer()
    ways = {
        "review() loop": lambda: [reviewer.review(t, "work_group") for t in texts],
        "review_many()": lambda: reviewer.review_many(texts, "work_group"),
    }
    expected = ways["review() loop"]()  # warm-up: compiles the matcher
    best = {name: float("inf") for name in ways}
    for _ in range(args.rounds):
        for name, way in ways.items():
            start = time.process_time()
            verdicts = way()
            best[name] = min(best[name], time.process_time() - start)
            assert verdicts == expected, name
    rate = {name: args.n / seconds for name, seconds in best.items()}
    for name in ways:
        print(f"{name:14s} {rate[name]:10,.0f} messages/s  ({best[name]:.2f} s CPU)")
    ratio = rate["review_many()"] / rate["review() loop"]
    print(f"review_many / loop: {ratio:.2f}×  (distinct texts: {len(set(texts)) / len(texts):.0%})")
    print(json.dumps({"bench": "batch", "n": args.n, "loop_msgs_per_s": round(rate["review() loop"]),
                      "many_msgs_per_s": round(rate["review_many()"]), "ratio": round(ratio, 2),
                      "distinct_share": round(len(set(texts)) / len(texts), 3)}))  # fmt: skip


if __name__ == "__main__":
    main()
