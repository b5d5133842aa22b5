"""Regenerate src/baomi/data/t2s_chars.txt: one traditional→simplified character pair per line.

The engine converts character by character (length-preserving, so offsets stay exact);
this table is OpenCC's t2s conversion applied to every CJK code point one at a time.
Run: .venv/bin/python scripts/build_t2s_table.py   (needs the `opencc` package)
"""

from pathlib import Path

import opencc

RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


def main() -> None:
    converter = opencc.OpenCC("t2s")
    pairs = []
    for lo, hi in RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            out = converter.convert(ch)
            if len(out) == 1 and out != ch:
                pairs.append(ch + out)
    target = Path(__file__).resolve().parents[1] / "src/baomi/data/t2s_chars.txt"
    target.write_text("\n".join(pairs) + "\n", encoding="utf-8")
    print(f"wrote {len(pairs)} pairs to {target}")


if __name__ == "__main__":
    main()
