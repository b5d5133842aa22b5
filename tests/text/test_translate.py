"""CharMap gives what str.translate gives, on short texts and on long ones (numpy path)."""

import random

import pytest

from baomi.text.translate import VECTOR_FROM, CharMap


@pytest.mark.parametrize("length", [0, 5, VECTOR_FROM - 1, VECTOR_FROM, 4000])
def test_char_map_equals_str_translate(length):
    table = list(range(0x10000))
    table[ord("A")] = ord("a")
    table[0x4E00] = 0xE000
    rng = random.Random(length)
    pool = ["A", "b", "一", "二", "😀", "\U00020000", "★", " "]
    text = "".join(rng.choice(pool) for _ in range(length))
    assert CharMap(table)(text) == text.translate(table)


def test_char_map_needs_the_whole_bmp():
    with pytest.raises(ValueError):
        CharMap([0, 1, 2])
