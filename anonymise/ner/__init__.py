"""kodeklar's Norwegian NER model: a spaCy pipeline trained on NorNE (see MODEL_CARD.md).

Entity labels are NorNE's: PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV, MISC.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kodeklar.core.errors import UserError

MODEL_DIR = Path(__file__).with_name("model")


@lru_cache(maxsize=4)
def load(model_dir: Path = MODEL_DIR):
    """The trained spaCy `Language`, loaded once per folder."""
    model_dir = Path(model_dir)
    if not (model_dir / "config.cfg").is_file():
        raise UserError(f"Norwegian NER model not found in {model_dir}; "
                        f"train it with `python -m anonymise.ner.train --out {model_dir}`")
    import spacy

    return spacy.load(model_dir)
