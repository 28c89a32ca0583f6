"""The house rules of DESIGN.md, read from the source: who may import whom, and which
libraries must load lazily."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("kodeklar", "transcribe", "anonymise")
HEAVY = ("ctranslate2", "torch", "spacy", "presidio_analyzer", "onnxruntime", "faster_whisper",
         "whisper", "pyannote")


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module, line, at_module_level) for every import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "kodeklar" or node.module == "kodeklar.core":
                # `from kodeklar.core import transcript` imports the module kodeklar.core.transcript
                found += [(f"{node.module}.{a.name}", node.lineno, id(node) in top) for a in node.names]
            else:
                found.append((node.module, node.lineno, id(node) in top))
    return found


def ours(module: str) -> bool:
    return module.split(".")[0] in OURS


def breaches(package: str, allowed: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {module}"
            for path in python_files(package)
            for module, line, _ in imports(path)
            if ours(module) and not module.startswith(allowed)]


def test_the_core_imports_nothing_of_ours_outside_it():
    assert breaches("kodeklar/core", ("kodeklar.core",)) == []


@pytest.mark.parametrize("package", ["transcribe", "anonymise"])
def test_the_stage_packages_import_only_themselves_and_the_core(package):
    assert breaches(package, (package, "kodeklar.core")) == []


def test_the_rule_finds_a_breach(tmp_path, monkeypatch):
    # the checker itself must be able to fail
    (tmp_path / "transcribe").mkdir()
    (tmp_path / "transcribe" / "x.py").write_text("from anonymise import detect\n"
                                                  "from kodeklar.core.errors import UserError\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert breaches("transcribe", ("transcribe", "kodeklar.core")) == [
        "transcribe/x.py:1 imports anonymise"]


def test_heavy_libraries_are_not_loaded_by_any_module_of_the_application():
    # every module of kodeklar/ (CLI, app, exporters) and the stage packages' front doors;
    # the recognizers and engines themselves load them, and are imported only when used
    code = ("import sys, pkgutil, importlib, kodeklar, transcribe, anonymise\n"
            "for m in pkgutil.walk_packages(kodeklar.__path__, 'kodeklar.'):\n"
            "    if m.name != 'kodeklar.__main__':\n"
            "        importlib.import_module(m.name)\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


TERMINAL = ("print", "click.echo", "click.secho", "click.prompt", "Console")


def terminal_calls(package: str) -> list[str]:
    """Calls that write to (or read from) the terminal: print(), click.echo and friends,
    and rich's Console. Scripts of their own (`if __name__ == "__main__"`: model training
    and export tools) are programs, not layers under the CLI, and may print."""
    found = []
    for path in python_files(package):
        source = path.read_text(encoding="utf-8")
        if '__name__ == "__main__"' in source:
            continue
        for node in sorted(ast.walk(ast.parse(source)), key=lambda n: getattr(n, "lineno", 0)):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in TERMINAL or name.endswith(".Console") or name.startswith("click."):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {name}")
            elif isinstance(node, ast.ImportFrom) and node.module in ("click", "rich.console"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}")
    return found


@pytest.mark.parametrize("package", ["kodeklar/app", "transcribe", "anonymise"])
def test_nothing_below_the_cli_writes_to_the_terminal(package):
    assert terminal_calls(package) == []


def test_the_terminal_rule_finds_a_print(tmp_path, monkeypatch):
    (tmp_path / "anonymise").mkdir()
    (tmp_path / "anonymise" / "x.py").write_text("import click\nprint('x')\nclick.echo('y')\n"
                                                 "from rich.console import Console\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert terminal_calls("anonymise") == [
        "anonymise/x.py:2 calls print", "anonymise/x.py:3 calls click.echo",
        "anonymise/x.py:4 imports rich.console"]
