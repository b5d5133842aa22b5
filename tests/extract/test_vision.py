"""Visual cues without OCR: red header/rule, picture kind, text pre-filter."""

import numpy as np

from baomi.vision import ImageKind, classify, find_red_cues, fit_within, has_text_structure
from tests.synth.pages import (
    blank_photo,
    chat_screenshot,
    official_page,
    phone_photo,
    sign_image,
)


def rgb(image):
    return np.asarray(image.convert("RGB"))


def test_red_header_on_clean_page():
    cues = find_red_cues(rgb(official_page()))
    assert cues.title and cues.rule and cues.header
    assert cues.title_box[1] < cues.rule_box[1]  # title above the rule


def test_red_header_survives_phone_photo():
    for seed in (3, 7, 11):
        cues = find_red_cues(rgb(phone_photo(official_page(), seed=seed)))
        assert cues.header, seed


def test_black_page_has_no_red_cues():
    cues = find_red_cues(rgb(phone_photo(official_page(red=False), seed=5)))
    assert not (cues.title or cues.rule or cues.header)


def test_red_sign_is_a_red_title_but_not_a_header():
    cues = find_red_cues(rgb(sign_image()))
    assert cues.title and not cues.header


def test_solid_red_banner_is_not_a_title():
    img = np.full((800, 600, 3), 250, np.uint8)
    img[80:200, 60:540] = (210, 20, 30)
    assert not find_red_cues(img).title


def test_kinds():
    assert classify(rgb(phone_photo(official_page()))).kind is ImageKind.DOCUMENT_PHOTO
    screen = chat_screenshot(("下午三点开会", "收到", "好"))
    assert classify(rgb(screen)).kind is ImageKind.SCREENSHOT
    assert classify(rgb(blank_photo())).kind is ImageKind.OTHER


def test_text_prefilter():
    assert has_text_structure(rgb(phone_photo(official_page())))
    assert has_text_structure(rgb(chat_screenshot(("一行字", "两行字", "三行字"))))
    assert not has_text_structure(rgb(blank_photo()))
    assert not has_text_structure(np.full((300, 300, 3), 128, np.uint8))


def test_fit_within_scales_back():
    big = np.zeros((4000, 3000, 3), np.uint8)
    small, factor = fit_within(big, 1600)
    assert max(small.shape[:2]) == 1600 and abs(small.shape[0] * factor - 4000) < 1
    same, one = fit_within(small, 2000)
    assert same is small and one == 1.0


def test_dim_photo_is_still_a_document_photo_with_red_header():
    from PIL import ImageEnhance

    dim = ImageEnhance.Brightness(phone_photo(official_page(), seed=23)).enhance(0.55)
    assert classify(rgb(dim)).kind is ImageKind.DOCUMENT_PHOTO
    assert find_red_cues(rgb(dim)).header
