"""Each bomb of issue 7, built here and answered in its own process: refused (X01 or a
policy error) within 1 GiB of peak RSS. Their seconds are measured by `make fuzz`
(`python -m baomi.fuzz.bombs`), not asserted here: the guard below only catches hangs."""

import pytest

from baomi.fuzz import bombs

HANG_GUARD_SECONDS = 60  # far above the ≤ 5 s that `make fuzz` reports


@pytest.mark.parametrize(
    "bomb",
    [
        bombs.Bomb("ofd-300k-references", ".ofd", bombs.ofd_references),
        bombs.Bomb("ofd-100k-references", ".ofd", lambda: bombs.ofd_references(100_000)),
        bombs.Bomb("xlsx-shared-string", ".xlsx", bombs.xlsx_shared_strings),
        bombs.Bomb("zip-200MiB-of-zeros", ".zip", lambda: bombs.zip_bomb(200)),
        bombs.Bomb("png-100000x100000", ".png", bombs.pixel_bomb),
        bombs.Bomb("docx-doctype-after-70KB-comment", ".docx", bombs.doctype_after_comment),
        bombs.Bomb("yaml-alias-bomb", ".yaml", bombs.yaml_alias_bomb),
    ],
    ids=lambda b: b.name,
)
def test_bomb_is_refused_within_memory(tmp_path, bomb):
    row = bombs.measure(bomb, str(tmp_path))
    assert "X01" in row["answer"] or row["answer"].startswith("PolicyError(exit 3)"), row
    assert row["peak_rss_mib"] <= 1024, row
    assert row["seconds"] is not None and row["seconds"] < HANG_GUARD_SECONDS, row


def test_the_xlsx_bomb_really_expands():
    """Its cells point at one string: fully expanded it would be 3·10⁹ characters."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bombs.xlsx_shared_strings())) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
        strings = zf.read("xl/sharedStrings.xml").decode()
    assert sheet.count(b"<v>0</v>") * len(strings) > 3 * 10**9
