"""Recognizers: one class per module, each with a `name`, a base `score` and
`analyze(text, tokens) -> list[Span]`. `anonymise.registry` composes them."""
