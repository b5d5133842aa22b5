"""Learned scoring: features of a segment (`features`), the shipped model's loader and
scorer (`model`), training (`train`, sklearn at train time only), the training corpora
(`corpus`), disguise and OCR-noise generators (`augment`) and real everyday text
(`realtext`)."""
