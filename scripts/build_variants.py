"""Regenerate src/baomi/data/homophone_variants.tsv from the `homophones` section of
lexicon.yaml: one line per word, `word|swap|initials<TAB>variant variant …`.

Run after editing that section: .venv/bin/python scripts/build_variants.py
(tests/test_lexicon.py fails while the file is out of date).
"""

from pathlib import Path

from baomi.lexicon import VARIANTS_FILE, load_homophone_specs, variant_key, word_variants


def render() -> str:
    lines = []
    for word, spec in load_homophone_specs().items():
        variants = sorted(word_variants(word, spec["swap"], spec["initials"]))
        lines.append(f"{variant_key(word, spec)}\t{' '.join(variants)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    target = Path(__file__).resolve().parents[1] / "src/baomi/data" / VARIANTS_FILE
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
