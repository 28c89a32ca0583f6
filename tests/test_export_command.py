"""`kodeklar export` through click."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from kodeklar.commands.export import command

ANON = Path(__file__).parent / "fixtures" / "transcripts" / "intervju-01.json"
RAW = ANON.with_name("intervju-01.raw.json")


def test_export_writes_each_format_and_links_a_pseudonymous_copy(tmp_path):
    original = tmp_path / "Kari Nordmann.M4A"  # the input's name may identify the informant
    original.write_bytes(b"audio")
    result = CliRunner().invoke(command, [str(ANON), "--format", "txt,eaf,qdpx", "-o",
                                          str(tmp_path / "ut"), "--media", str(original)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [
        "intervju-01.eaf", "intervju-01.qdpx", "intervju-01.txt", "media"]
    copy = tmp_path / "ut" / "media" / "intervju-01.m4a"
    assert copy.read_bytes() == b"audio"
    assert copy.stat().st_mode & 0o077 == 0  # a voice is personal data: owner only
    eaf = (tmp_path / "ut" / "intervju-01.eaf").read_text()
    assert 'RELATIVE_MEDIA_URL="./media/intervju-01.m4a"' in eaf
    assert f'MEDIA_URL="{copy.absolute().as_uri()}"' in eaf
    assert "Kari" not in eaf and "Kari" not in _qde(tmp_path / "ut" / "intervju-01.qdpx")


def _qde(path: Path) -> str:
    import zipfile
    with zipfile.ZipFile(path) as z:
        return z.read("project.qde").decode()


def test_missing_media_is_a_user_error(tmp_path):
    from kodeklar.core.errors import UserError
    result = CliRunner().invoke(command, [str(ANON), "--format", "eaf", "-o", str(tmp_path),
                                          "--media", str(tmp_path / "{name}.m4a")])
    assert isinstance(result.exception, UserError)
    assert "intervju-01.m4a" in str(result.exception)


def test_project_file_needs_the_qdpx_format(tmp_path):
    from kodeklar.core.errors import UserError
    result = CliRunner().invoke(command, [str(ANON), "--format", "txt", "-o", str(tmp_path),
                                          "--qdpx-project", "studie.qdpx"])
    assert isinstance(result.exception, UserError)


def test_unknown_format_fails_before_writing(tmp_path):
    from kodeklar.core.errors import UserError
    result = CliRunner().invoke(command, [str(ANON), "--format", "txt,pdf", "-o", str(tmp_path / "ut")])
    assert isinstance(result.exception, UserError)
    assert not (tmp_path / "ut").exists()


def test_raw_transcript_exports_with_a_warning(tmp_path):
    src = tmp_path / "rå.json"
    shutil.copy(RAW, src)
    before = src.read_bytes()
    result = CliRunner().invoke(command, [str(src), "--format", "txt", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "not anonymised" in result.output
    assert src.read_bytes() == before  # inputs are never modified


def test_one_media_name_for_several_transcripts_is_refused(tmp_path):
    from kodeklar.core.errors import UserError
    result = CliRunner().invoke(command, [str(ANON), str(RAW), "-o", str(tmp_path),
                                          "--media", "a.m4a"])
    assert isinstance(result.exception, UserError)


def test_a_broken_transcript_is_a_user_error(tmp_path):
    from kodeklar.core.errors import UserError
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": "kodeklar.transcript/1"}')
    result = CliRunner().invoke(command, [str(bad), "-o", str(tmp_path)])
    assert isinstance(result.exception, UserError)


def test_formats_and_qdpx_options_come_from_the_config(tmp_path):
    config = tmp_path / "project.toml"
    config.write_text('[output]\nformats = ["srt", "qdpx"]\nqdpx_timestamps = true\n',
                      encoding="utf-8")
    result = CliRunner().invoke(command, [str(ANON), "-o", str(tmp_path / "ut"),
                                          "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [
        "intervju-01.qdpx", "intervju-01.srt"]
    with zipfile.ZipFile(tmp_path / "ut" / "intervju-01.qdpx") as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".txt"))
    assert "#00:00:" in text
    # the command line wins over the config
    result = CliRunner().invoke(command, [str(ANON), "--format", "txt", "-o", str(tmp_path / "ut2"),
                                          "--config", str(config)])
    assert sorted(p.name for p in (tmp_path / "ut2").iterdir()) == ["intervju-01.txt"]
