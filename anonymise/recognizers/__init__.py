"""Recognizers: one class per module, each with a `name`, a base `score`, `on_demand` (True
for the slow model, which runs only where the rules are unsure) and
`analyze(text, tokens) -> list[Span]`. `anonymise.registry` composes them."""
