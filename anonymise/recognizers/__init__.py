"""Recognizers: presidio-analyzer recognizers, one module per kind (patterns, word lists,
institutions, names, known names, the NER model), each recognizer with a unique `name`, a base
`score`, a `priority` among overlapping detections and whether it runs `on_demand`, returning
`RecognizerResult`s that explain themselves. `build` registers them by name;
`anonymise.registry` composes them with presidio's `RecognizerRegistry` and `AnalyzerEngine`.

Importing this package imports presidio, which imports spaCy and, through thinc, torch when it
is installed: torch is most of that start-up time (about 5 of 7 s on a busy 2-core machine) and
neither presidio's engine nor the CPU NER model uses it, so it is kept out."""
from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def without_torch():
    """Makes `import torch` fail fast inside the block. A torch the process has already imported
    is left alone, and torch stays importable for others afterwards."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None
    try:
        yield
    finally:
        if sys.modules.get("torch", ...) is None:
            del sys.modules["torch"]


with without_torch():
    import presidio_analyzer  # noqa: F401


def build(language: str, known_names: tuple[str, ...], min_similarity: float) -> dict:
    """Every recognizer there is for one language, by name, in the order they run; the project's
    name list only when it has names, the NER model only when it is installed."""
    from anonymise.recognizers import (institution, known, lower_case, model_ner, names, rules,
                                      wordlist)

    found = [*rules.recognizers(language), *wordlist.recognizers(language),
             institution.InstitutionRecognizer(language), names.NameRecognizer(language),
             *lower_case.recognizers(language)]
    if known_names:
        found.append(known.KnownNameRecognizer(known_names, min_similarity, language))
    if model_ner.available():
        found.append(model_ner.NerRecognizer(language))
    by_name = {r.name: r for r in found}
    if len(by_name) != len(found):
        raise ValueError("two recognizers share a name: spans could not say which one decided")
    return by_name
