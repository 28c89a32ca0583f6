"""Recognizers: presidio-analyzer recognizers, one module per kind (patterns, word lists,
institutions, names, known names, the NER model), each recognizer with a `name` and a base
`score`, returning `RecognizerResult`s that explain themselves. `anonymise.registry` composes
them with presidio's `RecognizerRegistry` and `AnalyzerEngine`.

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
