"""The leaf every part of kodeklar stands on: the Transcript model and its schema, the
error a user can cause, atomic files, time formats and the offline switches.

Nothing in `kodeklar.core` imports anything of ours outside it, so `transcribe/` and
`anonymise/` can depend on it without depending on each other or on the application
(tests/test_layers.py enforces the house rules)."""
