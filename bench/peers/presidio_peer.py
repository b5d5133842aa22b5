"""Presidio configured as fairly and as fast as it can be for Chinese chat.

- NLP engine: spaCy's blank Chinese pipeline (`spacy.blank("zh")`, character
  segmentation, no model download, no NER), handed to Presidio's `SpacyNlpEngine`.
  Its stock character segmenter aligns tokens with `text[pos:].index(ch)`, which is
  O(n^2) (hours on a 10 MB document), so the peer uses `LinearCharTokenizer`, which
  builds the very same `Doc` (same words, same whitespace flags) in one pass.
- Recognizers, only these four in the registry, language "zh":
  CN_ID_NUMBER (GB 11643 check digit as `validate_result`), CN_MOBILE,
  BANK_CARD (Luhn as `validate_result`), CN_SECRET_MARKING (the marking words as one
  plain regex alternation: Presidio's `deny_list` wraps terms in word boundaries,
  which never match inside running Chinese).
- No context words and a no-op context enhancer (context words would need a word
  segmenter and only cost time here), so the NLP artifacts skip the per-token lemma
  and keyword lists that only context enhancement reads; the spaCy pipeline itself
  still runs on every text. Regexes are compiled without IGNORECASE.
- One `AnalyzerEngine`, built once and reused for every message.
"""

from __future__ import annotations

import logging

import regex as re
import spacy
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.recognizer_registry import RecognizerRegistry
from spacy.tokens import Doc

from bench.corpus_gen import BANK_CARD, CN_ID, MOBILE, id_check_digit, luhn_ok

LANG = "zh"
FLAGS = re.DOTALL | re.MULTILINE

ENTITY_TO_PII = {"CN_ID_NUMBER": CN_ID, "CN_MOBILE": MOBILE, "BANK_CARD": BANK_CARD}


class LinearCharTokenizer:
    """spaCy's Chinese "char" segmentation in linear time.

    Same output as `Doc(vocab, *get_words_and_spaces(list(text), text))`, what the
    stock tokenizer builds: one token per non-space character, a single following
    " " folded into that token's whitespace flag, any other whitespace run a token.
    """

    _TOKEN = re.compile(r"(\S)( ?)|(\s+)")

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for ch, space, gap in self._TOKEN.findall(text):
            if gap:
                words.append(gap)
                spaces.append(False)
            else:
                words.append(ch)
                spaces.append(space == " ")
        return Doc(self.vocab, words=words, spaces=spaces)


class BlankChineseNlpEngine(SpacyNlpEngine):
    """`SpacyNlpEngine` over an in-memory `spacy.blank("zh")` instead of a model package."""

    def __init__(self) -> None:
        super().__init__(models=[{"lang_code": LANG, "model_name": "blank:zh"}])

    def load(self) -> None:
        nlp = spacy.blank(LANG)
        nlp.tokenizer = LinearCharTokenizer(nlp.vocab)
        nlp.max_length = 50_000_000  # long documents; the blank pipeline has no parser
        self.nlp = {LANG: nlp}

    def _doc_to_nlp_artifact(self, doc, language: str) -> NlpArtifacts:
        # Tokens stay available, but no per-token lemmas or keywords: they feed only
        # context enhancement, which none of these recognizers uses.
        return NlpArtifacts(
            entities=[], tokens=doc, tokens_indices=[], lemmas=[], nlp_engine=None, language=language
        )


class NoContextEnhancer(ContextAwareEnhancer):
    """No context enhancement: the recognizers carry no context words."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0,
            min_score_with_context_similarity=0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results


class CnIdRecognizer(PatternRecognizer):
    """Mainland resident ID number, 18 characters, MOD 11-2 check digit."""

    REGEX = (
        r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
        r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])"
    )

    def __init__(self) -> None:
        super().__init__(
            "CN_ID_NUMBER",
            name="CnIdRecognizer",
            supported_language=LANG,
            patterns=[Pattern("cn_id_18", self.REGEX, 0.5)],
            global_regex_flags=FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool:
        return id_check_digit(pattern_text[:17]) == pattern_text[17].upper()


class CnMobileRecognizer(PatternRecognizer):
    """Mainland mobile number, 11 digits, optionally +86 and grouped 3-4-4."""

    REGEX = r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])"

    def __init__(self) -> None:
        super().__init__(
            "CN_MOBILE",
            name="CnMobileRecognizer",
            supported_language=LANG,
            patterns=[Pattern("cn_mobile", self.REGEX, 0.6)],
            global_regex_flags=FLAGS,
        )


class BankCardRecognizer(PatternRecognizer):
    """Bank card (UnionPay 62…, Visa 4…, Mastercard 51–55…), 16 or 19 digits, Luhn."""

    REGEX = r"(?<![0-9])(?:62|4[0-9]|5[1-5])[0-9]{2}(?:[ -]?[0-9]{4}){3}(?:[0-9]{3})?(?![0-9])"

    def __init__(self) -> None:
        super().__init__(
            "BANK_CARD",
            name="BankCardRecognizer",
            supported_language=LANG,
            patterns=[Pattern("bank_card", self.REGEX, 0.3)],
            global_regex_flags=FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool:
        digits = pattern_text.replace(" ", "").replace("-", "")
        return luhn_ok(digits)


class SecretMarkingRecognizer(PatternRecognizer):
    """Classification markings and internal-use words as one regex alternation."""

    REGEX = (
        r"(?:绝密|机密|秘密|内部)\s*★\s*(?:[0-9]+年|长期)?"
        r"|内部资料|严禁外传|此件不公开|不予公开|仅供内部参考|涉密"
    )

    def __init__(self) -> None:
        super().__init__(
            "CN_SECRET_MARKING",
            name="SecretMarkingRecognizer",
            supported_language=LANG,
            patterns=[Pattern("cn_marking", self.REGEX, 0.8)],
            global_regex_flags=FLAGS,
        )


RECOGNIZERS = (CnIdRecognizer, CnMobileRecognizer, BankCardRecognizer, SecretMarkingRecognizer)


class PresidioPeer:
    """The analyzer, built once; `analyze(text)` returns Presidio's results."""

    name = "presidio"

    def __init__(self) -> None:
        # Presidio logs a line per recognizer at load; keep benchmark output clean.
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        registry = RecognizerRegistry(supported_languages=[LANG])
        for cls in RECOGNIZERS:
            registry.add_recognizer(cls())
        self.engine = AnalyzerEngine(
            registry=registry,
            nlp_engine=BlankChineseNlpEngine(),
            supported_languages=[LANG],
            context_aware_enhancer=NoContextEnhancer(),
        )
        self.entities = [r.supported_entities[0] for r in registry.recognizers]

    def analyze(self, text: str) -> list[RecognizerResult]:
        return self.engine.analyze(text, language=LANG, entities=self.entities)

    @staticmethod
    def pii_kinds(results: list[RecognizerResult]) -> set[str]:
        return {ENTITY_TO_PII[r.entity_type] for r in results if r.entity_type in ENTITY_TO_PII}
