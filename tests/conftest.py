"""Shared pytest setup: markers used by the attachment tests."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "ocr: runs the real RapidOCR models (slow; skipped without rapidocr or a CJK font)",
    )
