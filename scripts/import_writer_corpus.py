"""Copy the writers' training corpora (/work/corpus/wN/part_*.jsonl) into corpus/train/wN.jsonl,
checking labels on the way: R10 made consistent with rules.md, and a line whose decision
disagrees with the default matrix over its rules is dropped. Also exports the detector test
tables (tests/detectors/cases.py, data/*.txt, test_labels_and_ocr.py) as
corpus/train/detector_cases.jsonl.

    .venv/bin/python scripts/import_writer_corpus.py [/work/corpus]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from baomi.learn.corpus import LoadReport, fix_rules, matrix_decision, read_examples
from baomi.model import Channel

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus/train"


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/corpus")
    OUT.mkdir(parents=True, exist_ok=True)
    for writer in sorted(p for p in src.iterdir() if p.is_dir()):
        parts = sorted(writer.glob("part_*.jsonl"))
        if not parts:
            continue
        report = LoadReport(Counter(), Counter(), Counter(), [])
        rows = [_row(ex) for ex in read_examples(parts, report)]
        (OUT / f"{writer.name}.jsonl").write_text("".join(rows), encoding="utf-8")
        print(
            f"{writer.name}: kept {sum(report.kept.values())} (R10 fixed {sum(report.fixed.values())}), "
            f"dropped {sum(report.dropped.values())}"
        )
        for p in report.problems:
            print("   ", p)
    sys.path.insert(0, str(ROOT))
    from tests.detectors.cases import LOOK_ALIKES, POSITIVES
    from tests.detectors.test_labels_and_ocr import ALLOWED, STOPPED

    data = ROOT / "tests/detectors/data"
    positives = list(POSITIVES) + list(STOPPED)
    for line in (data / "positives.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rule, channel, text = line.split("|", 2)
            positives.append((text, channel, rule))
    look_alikes = list(LOOK_ALIKES) + list(ALLOWED)
    for line in (data / "look_alikes.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            channel, text = line.split("|", 1)
            look_alikes.append((text, channel))
    rows = []
    for text, channel, rule in positives:
        ch = Channel.parse(channel)
        rows.append((text, ch, fix_rules(frozenset({rule}), ch), "detector-tests:positive"))
    for text, channel in look_alikes:
        rows.append((text, Channel.parse(channel), frozenset(), "detector-tests:look-alike"))
    lines = []
    for text, ch, rules, source in rows:
        obj = {
            "channel": ch.value,
            "text": text,
            "attachments": [],
            "expect": {"decision": matrix_decision(rules, ch).value, "rules": sorted(rules)},
            "source": source,
        }
        lines.append(json.dumps(obj, ensure_ascii=False) + "\n")
    (OUT / "detector_cases.jsonl").write_text("".join(lines), encoding="utf-8")
    print(f"detector_cases: {len(lines)}")


def _row(ex) -> str:
    obj = {
        "channel": ex.channel.value,
        "text": ex.text,
        "attachments": [],
        "expect": {"decision": matrix_decision(ex.rules, ex.channel).value, "rules": sorted(ex.rules)},
        "style": ex.style,
        "source": ex.source,
    }
    return json.dumps(obj, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    main()
