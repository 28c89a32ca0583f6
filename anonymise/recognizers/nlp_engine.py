"""presidio's NLP engine, made light: `anonymise.tokens.tokenise` and no model. presidio runs
its NLP engine on every text it analyses, and a spaCy model there would cost the NER model's
time on every sentence; the model is a recognizer instead, run only where the rules are unsure
(see anonymise.registry). Without lemmas there is no context to enhance scores with, so the
context enhancer does nothing either."""
from __future__ import annotations

from typing import Iterable, Iterator

from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

from anonymise.options import LANGUAGES
from anonymise.tokens import tokenise


class TokenNlpEngine(NlpEngine):
    def load(self) -> None:
        """Nothing to load."""

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        tokens = tokenise(text)
        # no lemmas: presidio's context enhancement would use them, but no recognizer of ours
        # declares context words, and computing keywords costs two calls a token
        return NlpArtifacts(entities=[], tokens=tokens, tokens_indices=[t.start for t in tokens],
                            lemmas=[], nlp_engine=self, language=language)

    def process_batch(self, texts: Iterable[str], language: str, batch_size: int = 1,
                      n_process: int = 1, **kwargs) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return False  # no stop-word list: see process_text

    def is_punct(self, word: str, language: str) -> bool:
        return not any(c.isalnum() for c in word)

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return list(LANGUAGES)


class NoContextEnhancer(ContextAwareEnhancer):
    """presidio's default enhancer deep-copies every result of every text, about a third of
    its overhead here, to find context words that none of our recognizers declares."""

    def __init__(self):
        super().__init__(context_similarity_factor=0.0, min_score_with_context_similarity=0.0,
                         context_prefix_count=0, context_suffix_count=0)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers,
                              context=None):
        return raw_results
