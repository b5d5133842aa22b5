"""Peak-memory probe, run by `bench.run` in a fresh interpreter so that nothing else
the benchmark loaded (spaCy, the corpora) counts against the engine.

    python -m bench._probe --engine baomi --chat CHAT.jsonl --doc DOC.txt

Prints one JSON line of peak resident set sizes (MiB, `VmHWM` of /proc/self/status;
`ru_maxrss` where there is no /proc, but on Linux that one keeps the high-water mark
of the parent across fork+exec, so it would report the benchmark's own size): once
the engine
gave its first verdict, after streaming every chat message of CHAT.jsonl through it
(read line by line), and after reviewing the whole of DOC.txt as one text.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys


def peak_mib() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(rss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def make_call(engine: str):
    if engine == "presidio":
        from bench.peers.presidio_peer import PresidioPeer

        peer = PresidioPeer()
        return lambda text, channel: peer.analyze(text)
    if engine == "naive_re":
        from bench.peers.naive_re import NaiveRegexPeer

        peer = NaiveRegexPeer()
        return lambda text, channel: peer.analyze(text)
    import importlib

    review = importlib.import_module(engine).Reviewer().review
    return lambda text, channel: review(text, channel=channel)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", default="baomi", help="baomi-like module, presidio or naive_re")
    ap.add_argument("--chat", required=True)
    ap.add_argument("--doc", required=True)
    args = ap.parse_args(argv)

    call = make_call(args.engine)
    call("明天上午九点在三楼会议室开会，请准时参加", "work_group")
    out = {"engine": args.engine, "ready": peak_mib()}
    n = 0
    with open(args.chat, encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            call(m["text"], m["channel"])
            n += 1
    out["after_chat"] = peak_mib()
    out["chat_messages"] = n
    with open(args.doc, encoding="utf-8") as f:
        doc = f.read()
    before_doc = peak_mib()
    call(doc, "work_group")
    out["after_doc"] = peak_mib()
    out["doc_growth"] = round(out["after_doc"] - before_doc, 1)
    out["doc_chars"] = len(doc)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
