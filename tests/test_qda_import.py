"""The QDPX and EAF files as other people's readers see them: pyrefiqda (a REFI-QDA
reader) and pympi-ling (an EAF reader), not our own parser. Every source must point at a
file that exists inside the output, every turn must carry its speaker's code, and the
timestamps in the text must agree with the sync points."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kodeklar import exporters
from kodeklar.commands.export import command
from kodeklar.exporters import qdpx
from kodeklar.core.transcript import load

FIXTURES = Path(__file__).parent / "fixtures"
ANON = FIXTURES / "transcripts" / "intervju-01.json"
STAMP = re.compile(r"#(\d\d):(\d\d):(\d\d)\.(\d{3})# ")


def read_qdpx(path: Path, tmp_path: Path):
    """The project as pyrefiqda parses it, and where it unpacked the zip."""
    from pyrefiqda import RefiProject

    extract = tmp_path / f"{path.stem}.unpacked"
    return RefiProject.load(path, extract_dir=str(extract)), extract


def resolve(path: str, base: str | None, extract: Path) -> Path:
    """A REFI-QDA source path as the standard defines it: internal:// inside the zip's
    sources/, relative:// against the project's basePath, absolute:// as it is."""
    from pyrefiqda import RefiProject

    if path.startswith("internal://"):
        return RefiProject.resolve_source_path(path, extract)
    if path.startswith("relative://"):
        assert base and Path(base).is_absolute(), "relative paths need an absolute basePath"
        return Path(base + path.removeprefix("relative://"))
    assert path.startswith("absolute://"), path
    return Path(path.removeprefix("absolute://"))


def check_project(path: Path, out: Path, tmp_path: Path, timestamps: bool = False) -> dict:
    """Every check of one .qdpx; returns {source name: [(speaker, text)]} for more."""
    from pyrefiqda import RefiProject

    project, extract = read_qdpx(path, tmp_path)
    assert str(project.creation_date_time).endswith("Z")
    codes = {c.guid: c.name for c in project.code_book.codes.code}
    turns = {}
    sources = project.sources
    for audio in sources.audio_source:
        media = resolve(audio.path, project.base_path, extract)
        assert media.is_file(), media
        assert media.resolve().is_relative_to(out.resolve()) or \
            media.resolve().is_relative_to(extract.resolve())
        assert Path(audio.name).suffix == media.suffix and media.suffix
        (transcript,) = audio.transcript
        text_file = RefiProject.resolve_source_path(transcript.plain_text_path, extract)
        text = text_file.read_text(encoding="utf-8")
        syncs = {s.guid: (s.time_stamp, s.position) for s in transcript.sync_point}
        got = []
        for sel in transcript.transcript_selection:
            (t0, p0), (_, p1) = syncs[sel.from_sync_point], syncs[sel.to_sync_point]
            (coding,) = sel.coding
            speaker = codes[coding.code_ref.target_guid]
            piece = text[p0:p1]
            assert piece.startswith(f"{speaker}: "), piece
            if timestamps:
                line_start = text.rfind("\n", 0, p0) + 1
                h, m, s, ms = STAMP.fullmatch(text[line_start:p0]).groups()
                assert ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms) == t0
            else:
                assert not STAMP.search(text)
            got.append((speaker, piece.removeprefix(f"{speaker}: ")))
        turns[audio.name] = got
    for source in sources.text_source:
        text = RefiProject.resolve_source_path(source.plain_text_path, extract) \
            .read_text(encoding="utf-8")
        got = []
        for sel in source.plain_text_selection:
            (coding,) = sel.coding
            speaker = codes[coding.code_ref.target_guid]
            piece = text[sel.start_position:sel.end_position]
            assert piece.startswith(f"{speaker}: "), piece
            got.append((speaker, piece.removeprefix(f"{speaker}: ")))
        turns[source.name] = got
    return turns


@pytest.fixture
def audio(tmp_path) -> Path:
    path = tmp_path / "opptak fra Kari.flac"  # the input's name must reach no output
    path.write_bytes(b"fLaC and then some audio")
    return path


def export(args, out: Path):
    result = CliRunner().invoke(command, [*map(str, args), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("flags", [[], ["--qdpx-timestamps"], ["--qdpx-embed-media"]])
def test_qdpx_sources_resolve_and_every_turn_is_coded(tmp_path, audio, flags):
    out = tmp_path / "ut"
    export([ANON, "--format", "qdpx", "--media", audio, *flags], out)
    turns = check_project(out / "intervju-01.qdpx", out, tmp_path,
                          timestamps="--qdpx-timestamps" in flags)
    expected = [(t.speaker, t.text) for t in exporters.turns(load(ANON))]
    assert turns == {"intervju-01.flac": expected}
    with zipfile.ZipFile(out / "intervju-01.qdpx") as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    assert b"Kari" not in everything
    if "--qdpx-embed-media" in flags:
        assert audio.read_bytes() in everything


def test_qdpx_without_audio_is_a_coded_text_source(tmp_path):
    out = tmp_path / "ut"
    export([ANON, "--format", "qdpx"], out)
    turns = check_project(out / "intervju-01.qdpx", out, tmp_path)
    assert list(turns) == ["intervju-01.txt"] and len(turns["intervju-01.txt"]) == 6


def _second_recording(tmp_path) -> Path:
    """intervju-01 again as another recording, with one speaker renamed."""
    text = ANON.read_text(encoding="utf-8").replace("ab" * 32, "cd" * 32) \
        .replace('"intervju-01"', '"intervju-02"').replace('"P3"', '"Leder"')
    path = tmp_path / "intervju-02.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_project_for_a_study(tmp_path):
    from lxml import etree

    second = _second_recording(tmp_path)
    assert load(second).source.sha256 != load(ANON).source.sha256
    for name in ("intervju-01", "intervju-02"):
        (tmp_path / f"{name} rå.flac").write_bytes(name.encode())
    out = tmp_path / "ut"
    export([ANON, second, "--format", "qdpx", "--media", tmp_path / "{name} rå.flac",
            "--qdpx-project", "studie.qdpx"], out)
    assert not (out / "intervju-01.qdpx").exists()
    turns = check_project(out / "studie.qdpx", out, tmp_path)
    assert set(turns) == {"intervju-01.flac", "intervju-02.flac"}
    assert sorted(p.name for p in (out / "media").iterdir()) == ["intervju-01.flac",
                                                                 "intervju-02.flac"]
    project, _ = read_qdpx(out / "studie.qdpx", tmp_path)
    cases = {c.name: len(c.selection_ref) for c in project.cases.case}
    # a case per speaker per recording, and one per speaker name (role) across the study
    assert cases["intervju-01: Informant"] == 2 and cases["intervju-02: Informant"] == 2
    assert cases["Informant"] == 4 and cases["Intervjuer"] == 6
    assert cases["P3"] == 1 and cases["Leder"] == 1
    assert sorted(c.name for c in project.code_book.codes.code) == [
        "Informant", "Intervjuer", "Leder", "P3"]
    with zipfile.ZipFile(out / "studie.qdpx") as z:
        schema = etree.XMLSchema(etree.parse(str(FIXTURES / "specs" / "refi-qda-project-1.0.xsd")))
        assert schema.validate(etree.fromstring(z.read("project.qde"))), schema.error_log


def test_study_project_is_the_same_as_rendering_it(tmp_path, audio):
    """The command adds nothing the exporter does not: one code path for both."""
    out = tmp_path / "ut"
    export([ANON, "--format", "qdpx", "--media", audio, "--qdpx-project", "a.qdpx"], out)
    media = out / "media" / "intervju-01.flac"
    write = qdpx.project("a", [(load(ANON), media)])
    with open(tmp_path / "b.qdpx", "wb") as f:
        write(f)
    assert (tmp_path / "b.qdpx").read_bytes() == (out / "a.qdpx").read_bytes()


def test_eaf_media_url_resolves(tmp_path, audio):
    import pympi
    from urllib.parse import unquote, urlparse

    out = tmp_path / "ut"
    export([ANON, "--format", "eaf", "--media", audio], out)
    eaf = pympi.Elan.Eaf(str(out / "intervju-01.eaf"))
    (descriptor,) = eaf.media_descriptors
    absolute = Path(unquote(urlparse(descriptor["MEDIA_URL"]).path))
    relative = out / unquote(descriptor["RELATIVE_MEDIA_URL"])
    assert absolute.is_file() and relative.is_file()
    assert absolute.samefile(relative) and absolute.parent.parent == out.absolute()
    assert eaf.adocument["DATE"].endswith("Z")
    assert sorted(eaf.get_tier_names()) == ["Informant", "Intervjuer", "P3"]
    assert "Kari" not in (out / "intervju-01.eaf").read_text(encoding="utf-8")


def test_run_level_study_project(tmp_path):
    """`kodeklar run --qdpx-project`: the batch's recordings as they lie in OUT."""
    import shutil

    from kodeklar import config
    from kodeklar.app import pipeline

    out = tmp_path / "ut"
    (out / "anonymised").mkdir(parents=True)
    (out / "media").mkdir()
    shutil.copy(ANON, out / "anonymised" / "intervju-01.json")
    shutil.copy(_second_recording(tmp_path), out / "anonymised" / "intervju-02.json")
    (out / "media" / "intervju-01.redacted.wav").write_bytes(b"RIFF")
    c = config.load_config(None)
    c.output.qdpx_project = "studie"
    c.output.qdpx_timestamps = True
    results = [pipeline.Result("intervju-01", "done", media="media/intervju-01.redacted.wav"),
               pipeline.Result("intervju-02", "skipped"),
               pipeline.Result("intervju-03", "failed")]
    path = pipeline.study_project(pipeline.Settings(config=c, out=out), results)
    assert path == out / "anonymised" / "studie.qdpx"
    turns = check_project(path, out, tmp_path, timestamps=True)
    assert set(turns) == {"intervju-01.redacted.wav", "intervju-02.txt"}


def test_run_options_reach_the_config(tmp_path):
    from kodeklar.app import prepare
    from kodeklar.commands import common

    c = common.build_config(None, {"formats": "qdpx", "qdpx_project": "studie.qdpx",
                                   "qdpx_timestamps": True})
    assert c.output.qdpx_project == "studie.qdpx" and c.output.qdpx_timestamps
    settings = prepare.prepare(c, tmp_path / "out", None, None, stages=("export",))
    # a run's study project is made from each recording's JSON transcript
    assert settings.config.output.formats == ["qdpx", "json"]
