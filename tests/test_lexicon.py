import importlib.util
from pathlib import Path

from baomi.lexicon import VARIANTS_FILE, load_lexicon, word_variants

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_variants_are_up_to_date():
    spec = importlib.util.spec_from_file_location("build_variants", ROOT / "scripts/build_variants.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = (ROOT / "src/baomi/data" / VARIANTS_FILE).read_text(encoding="utf-8")
    assert shipped == module.render(), "run scripts/build_variants.py"
    for name, render in (
        (module.SYLLABLES_FILE, module.render_syllables),
        (module.CUE_PINYIN_FILE, module.render_cue_pinyin),
        (module.SOUNDS_FILE, module.render_han_sounds),
        (module.BLOCKERS_FILE, module.render_sound_blockers),
        (module.SOUND_CUES_FILE, module.render_sound_cues),
    ):
        assert (ROOT / "src/baomi/data" / name).read_text(encoding="utf-8") == render(), (
            "run scripts/build_variants.py"
        )


def test_variants_cover_pinyin_initials_and_homophones():
    variants = word_variants("机密", [0, 1], initials=True)
    assert {"jimi", "jm", "ji密", "机mi", "鸡密"} <= variants
    assert "机密" not in variants
    assert "jm" not in word_variants("绝密", [0], initials=False)


def test_compounds_get_disguised_forms():
    lexicon = load_lexicon()
    assert any(c.category == "key_place" and c.weak for c in lexicon["保蜜室"])
    assert any(c.category == "level" and c.weak for c in lexicon["鸡密"])
    assert all(not c.weak for c in lexicon["机要室"])


def test_every_strong_cue_has_disguised_forms_not_only_markings():
    lexicon = load_lexicon()

    def weak(term: str, category: str) -> bool:
        return any(c.category == category and c.weak for c in lexicon.get(term, ()))

    assert weak("tlg", "draft_formal") and weak("讨论搞", "draft_formal")
    assert weak("nb资料", "internal_mark") and weak("内不资料", "internal_mark")
    assert weak("yiqing", "emergency") and weak("疫晴", "emergency")
    assert weak("sj", "leader") and weak("xianzhang", "leader")
    assert weak("jys", "key_place")
    assert weak("wangchuan", "hearsay")
    # words not marked strong get no variants: the automaton stays small
    assert "kaihui" not in lexicon and len(lexicon) < 12_000
