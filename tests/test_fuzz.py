"""Fuzzing the parsers that read user files: a config, a Transcript JSON, a decisions CSV.
Whatever the input, the result is a parsed value or a UserError, never another exception."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anonymise import decisions
from kodeklar import config
from kodeklar.core import transcript as tr
from kodeklar.core.errors import UserError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

toml_scalars = st.one_of(st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                         st.text(max_size=20))
toml_values = st.recursive(toml_scalars, lambda v: st.lists(v, max_size=4)
                           | st.dictionaries(st.text(max_size=8), v, max_size=4), max_leaves=10)
section_names = st.sampled_from(["run", "transcribe", "diarise", "anonymise", "output", "x"])
key_names = st.sampled_from(["beam_size", "formats", "roles", "language", "known_names", "actions",
                             "threshold", "speakers", "vad", "temperature", "glossary", "keep_names",
                             "max_speakers", "redact_audio", "nope"])


def toml_text(data: dict) -> str:
    """A minimal TOML writer for the fuzzer's nested dicts (values as JSON-compatible inline)."""
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return "{" + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + "}"
    return "".join(f"[{s}]\n" + "".join(f"{k} = {value(v)}\n" for k, v in table.items())
                   for s, table in data.items())


def parses_or_user_error(fn, *args):
    try:
        return fn(*args)
    except UserError as e:
        assert "\n" not in str(e)
        return None


@FUZZ
@given(st.text(max_size=300))
def test_config_from_arbitrary_text(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("c") / "p.toml"
    path.write_text(text, encoding="utf-8")
    parses_or_user_error(config.load_config, path)


@FUZZ
@given(st.dictionaries(section_names, st.dictionaries(key_names, toml_values, max_size=4), max_size=3))
def test_config_from_structured_tables(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("c") / "p.toml"
    path.write_text(toml_text(data), encoding="utf-8")
    c = parses_or_user_error(config.load_config, path)
    if c is not None:
        assert c.transcribe.beam_size is not None


@FUZZ
@given(st.binary(max_size=200))
def test_config_from_arbitrary_bytes(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("c") / "p.toml"
    path.write_bytes(raw)
    parses_or_user_error(config.load_config, path)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | st.text(max_size=10),
                           lambda v: st.lists(v, max_size=3) | st.dictionaries(st.text(max_size=10), v, max_size=3),
                           max_leaves=15)

VALID = {"schema": "kodeklar.transcript/1",
         "source": {"name": "intervju-01", "sha256": "a" * 64, "duration": 3.0},
         "provenance": {"tool": "t", "engine": "e", "model": "m", "model_sha256": "", "params": {}, "created": ""},
         "language": "no", "speakers": [{"id": "S1", "label": "Intervjuer"}],
         "segments": [{"id": 1, "start": 0.0, "end": 1.0, "speaker": "S1", "text": "hei",
                       "words": [{"start": 0.0, "end": 1.0, "text": " hei", "p": 0.9}]}]}


@FUZZ
@given(json_values)
def test_transcript_from_arbitrary_json(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("t") / "t.json"
    path.write_text(json.dumps(data))
    parses_or_user_error(tr.load, path)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["source", "provenance", "segments", "speakers", "language",
                                           "schema", "redactions", "review"]), json_values), max_size=3))
def test_transcript_with_damaged_fields(tmp_path_factory, damage):
    data = json.loads(json.dumps(VALID))
    for key, value in damage:
        data[key] = value
    path = tmp_path_factory.mktemp("t") / "t.json"
    path.write_text(json.dumps(data))
    t = parses_or_user_error(tr.load, path)
    if not damage:
        assert t is not None and t.segments[0].words[0].text == " hei"


@FUZZ
@given(st.text(max_size=400))
def test_decisions_from_arbitrary_text(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("d") / "d.csv"
    path.write_text(text, encoding="utf-8")
    parses_or_user_error(decisions.load, path)


@FUZZ
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6), min_size=0, max_size=8),
                max_size=5))
def test_decisions_rows_under_the_right_header(tmp_path_factory, rows):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(decisions.COLUMNS)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("d") / "d.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    parses_or_user_error(decisions.load, path)
