"""The explicit list of extractors, in tie-breaking order."""

from __future__ import annotations

from baomi.extract.base import Extractor
from baomi.extract.image import ImageExtractor
from baomi.extract.media import MediaExtractor
from baomi.extract.ole import OleExtractor
from baomi.extract.pdf import PdfExtractor
from baomi.extract.plain import PlainTextExtractor
from baomi.extract.unsupported import UnsupportedExtractor
from baomi.extract.zipfamily import ZipFamilyExtractor

EXTRACTORS: tuple[Extractor, ...] = (
    ImageExtractor(),
    PdfExtractor(),
    ZipFamilyExtractor(),
    OleExtractor(),
    MediaExtractor(),
    UnsupportedExtractor(),
    PlainTextExtractor(),
)
