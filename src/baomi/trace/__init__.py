"""Propagation: content fingerprints (keyed text hash, keyed MinHash, image perceptual
hash, keyed file hash) and the chains that link copies of one content across messages."""

from baomi.trace.chains import Chain, Hop, TraceItem, build_chains
from baomi.trace.fingerprint import Fingerprinter, Fingerprints

__all__ = ["Chain", "Fingerprinter", "Fingerprints", "Hop", "TraceItem", "build_chains"]
