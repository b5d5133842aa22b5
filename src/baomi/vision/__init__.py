"""Colour and structure analysis of page images, independent of OCR.

`red.py` finds the red 发文机关标志 and red separator rule of a 红头文件, `kind.py` tells
a screenshot from a photo of a paper document, `textness.py` is a cheap pre-filter
that spares OCR for images with no text-like structure, `resize.py` bounds image size.
All functions take RGB uint8 numpy arrays and import OpenCV lazily.
"""

from baomi.vision.kind import ImageKind, classify
from baomi.vision.red import RedCues, find_red_cues
from baomi.vision.resize import fit_within
from baomi.vision.textness import has_text_structure

__all__ = ["ImageKind", "RedCues", "classify", "find_red_cues", "fit_within", "has_text_structure"]
