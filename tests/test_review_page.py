"""The review page in a real browser: headless Chromium from the system (Debian's chromium and
chromium-driver; nothing is downloaded) opens the page a run wrote, plays an item's stretch,
decides, adds a redaction on selected text, saves the decisions file, and `kodeklar anonymise
--decisions` applies exactly those decisions."""
from __future__ import annotations

import csv
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import SAMPLES, run_cli
from kodeklar.exporters.report.data import items
from kodeklar.core.transcript import load

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
RECORDING = SAMPLES / "norwegian-medium-8s.mp3"
# a known name is redacted for sure; the rest of the names score under the threshold and
# wait for a human: one redaction and one review item to decide on
CONFIG = '[anonymise]\nknown_names = ["Trond Giske"]\nthreshold = 0.9\n'

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
ORIGINALS = ["Kari Nordmann", "Haukeland", "Ola Hansen", "Bergen", "912 34 567", "Solveig"]


def _fixture_pages(tmp_path, lang="nb"):
    from kodeklar.exporters import review_page

    anon, raw = load(FIXTURES / "intervju-01.json"), load(FIXTURES / "intervju-01.raw.json")
    (tmp_path / "private" / "review").mkdir(parents=True)
    (tmp_path / "reports").mkdir()
    media = tmp_path / "media" / "intervju-01.wav"
    return [review_page.write(anon, raw, tmp_path / folder / "intervju-01.review.html",
                              media=media, lang=lang, command="kodeklar anonymise …",
                              private=private).read_text(encoding="utf-8")
            for folder, private in (("private/review", True), ("reports", False))]


def test_pages_are_self_contained_and_only_the_private_one_shows_originals(tmp_path):
    import re

    private, shareable = _fixture_pages(tmp_path)
    for page in (private, shareable):
        assert "<link" not in page and "http" not in page and "@import" not in page
        assert not re.search(r"<script[^>]*\ssrc=", page)
        assert len(re.findall(r'<li class="item"', page)) == 6 + 3 + 1  # and a kept stretch
        assert page.count('<button type="button" class="play"') == 10
    assert '<audio id="audio" controls preload="auto" src="../../media/intervju-01.wav">' in private
    assert 'src="../media/intervju-01.wav"' in shareable
    for original in ORIGINALS:
        assert original in private and original not in shareable, original
    # reports/ holds no transcript text: the shareable page shows no sentence
    assert "stiller opp" in private and "stiller opp" not in shareable
    assert 'id="save"' in private and 'id="save"' not in shareable
    assert 'type="radio"' not in shareable
    # every control has a label: a radio inside its <label>, the inputs by for=
    assert private.count('type="radio"') == 3 * 10
    assert private.count("<label><input type=\"radio\"") == 3 * 10
    # what was decided before is checked: the human redaction R6 and the kept K1
    assert re.search(r'name="d-R6" value="redact" checked', private)
    assert re.search(r'name="d-K1" value="keep" checked', private)
    assert len(re.findall(r'value="" checked', private)) == 10 - 2
    assert '<label for="reviewer">' in private and '<label for="date">' in private


def test_page_language(tmp_path):
    private, _ = _fixture_pages(tmp_path, lang="en")
    assert '<html lang="en">' in private and "Save the decisions" in private
    assert "Lagre" not in private and "erstatning" not in private


def _browser_or_skip():
    if CHROMIUM.is_file() and CHROMEDRIVER.is_file():
        return
    message = (f"no browser for the review page test: install Debian's chromium and "
               f"chromium-driver ({CHROMIUM}, {CHROMEDRIVER})")
    if os.environ.get("CI") == "true":
        pytest.fail(message)  # CI installs them (.ci/run): a missing browser is a fault there
    pytest.skip(message)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One real run of a short recording: OUT with the review page, the raw transcript and
    the key."""
    base = tmp_path_factory.mktemp("review")
    config = base / "prosjekt.toml"
    config.write_text(CONFIG, encoding="utf-8")
    out = base / "ut"
    result = run_cli("run", RECORDING, "-o", out, "--no-diarise", "--config", config)
    assert result.returncode == 0, result.stderr
    return out, config


@pytest.fixture
def browser(tmp_path):
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "nedlastinger"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1100,1400",
                "--mute-audio"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False})
    # an explicit driver: Selenium Manager never looks for (or downloads) one
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


def _wait(check, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def _items(transcript, raw):
    """(redaction | review | kept, segment, char_start, char_end) of every item, and the
    categories of the redactions."""
    found = items(transcript, raw)
    return ({("kept" if i["decision"] == "keep" else
              "redaction" if i["kind"] == "redaction" else "review", i["segment"],
              i["char_start"], i["char_end"]) for i in found},
            {(i["segment"], i["char_start"]): i["category"] for i in found
             if i["kind"] == "redaction"})


@pytest.mark.slow
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1", "::1", "localhost"])  # the driver only, on this machine
def test_review_page_decides_and_anonymise_applies_it(run, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    out, config = run
    page = out / "private" / "review" / "intervju-01.review.html"
    raw = load(out / "private" / "raw" / "intervju-01.json")
    before = load(out / "anonymised" / "intervju-01.json")
    assert before.redactions and before.review, "the config leaves both kinds of item"
    browser.get(page.as_uri())
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"

    # play the first item's stretch: the audio element moves from the stretch's start
    first = browser.find_element(By.CSS_SELECTOR, "li.item button.play")
    start = float(first.get_attribute("data-start"))
    first.click()
    _wait(lambda: browser.execute_script(
        "var a=document.getElementById('audio'); return !a.paused && a.currentTime > "
        f"{start} + 0.2"))

    # one redaction kept (a false positive undone), one review item redacted
    redaction = browser.find_element(By.CSS_SELECTOR, "li.item[data-kind=redaction]")
    review = browser.find_element(By.CSS_SELECTOR, "li.item:not([data-kind=redaction])")
    redaction.find_element(By.CSS_SELECTOR, "input[value=keep]").click()
    review.find_element(By.CSS_SELECTOR, "input[value=redact]").send_keys(Keys.SPACE)  # keyboard
    kept = tuple(int(redaction.get_attribute(a)) for a in
                 ("data-segment", "data-char-start", "data-char-end"))
    redacted = tuple(int(review.get_attribute(a)) for a in
                     ("data-segment", "data-char-start", "data-char-end"))

    # a redaction added on selected text: a word no item covers
    seg = raw.segments[0]
    word = "permittet" if "permittet" in seg.text else seg.text.split()[-1].strip(".,")
    a = seg.text.index(word)
    browser.execute_script(
        "var el=document.querySelector('#transcript .text[data-segment=\"'+arguments[0]+'\"]');"
        "var w=document.createTreeWalker(el, NodeFilter.SHOW_TEXT), n, pos=0, r=document.createRange();"
        "while((n=w.nextNode())){var l=n.length;"
        " if(pos<=arguments[1]&&arguments[1]<=pos+l) r.setStart(n, arguments[1]-pos);"
        " if(pos<=arguments[2]&&arguments[2]<=pos+l){r.setEnd(n, arguments[2]-pos);break;}"
        " pos+=l;}"
        "var s=document.getSelection(); s.removeAllRanges(); s.addRange(r);",
        seg.id, a, a + len(word))
    _wait(lambda: True)
    browser.find_element(By.ID, "add").click()
    assert word in browser.find_element(By.ID, "added").text

    # saving asks for a name; then the file lands in the downloads folder
    browser.find_element(By.ID, "save").click()
    assert "navn" in browser.find_element(By.ID, "save-status").text
    browser.find_element(By.ID, "reviewer").send_keys("Ada Lovelace")
    browser.find_element(By.ID, "save").click()
    saved = _wait(lambda: next(iter(browser.downloads.glob("*.csv")), None))
    assert saved.name == "intervju-01.decisions.csv"
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(tmp_path / "review-page.png"))
    if os.environ.get("KODEKLAR_SCREENSHOT"):
        shutil.copy(tmp_path / "review-page.png", os.environ["KODEKLAR_SCREENSHOT"])
    # at 200 % zoom the page is half as wide in CSS pixels: nothing may need a side scroll
    browser.execute_script("document.body.style.zoom = '200%'")
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    with open(saved, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    decided = [r for r in rows if r["decision"]]
    assert len(decided) == 3 and {r["reviewer"] for r in decided} == {"Ada Lovelace"}
    originals = {i["text"] for i in items(before, raw) if i["kind"] == "redaction"}
    assert not any(o in saved.read_text(encoding="utf-8-sig") for o in originals)

    # applied as the page and the report say: `kodeklar anonymise` into the same folder
    result = run_cli("anonymise", out / "private" / "raw" / "intervju-01.json", "-o", out,
                     "--config", config, "--decisions", saved)
    assert result.returncode == 0, result.stderr
    after = load(out / "anonymised" / "intervju-01.json")

    old, _ = _items(before, raw)
    new, categories = _items(after, raw)
    added = (seg.id, a, a + len(word))
    assert new == (old - {("redaction", *kept), ("review", *redacted)}) | {
        ("redaction", *redacted), ("redaction", *added), ("kept", *kept)}
    assert categories[added[:2]] == "PERSON"
    human = [r for r in after.redactions if r.decided_by == "human"]
    assert len(human) == 2
    assert seg.text[kept[1]:kept[2]] in after.segments[0].text   # the kept original is back
    assert word not in after.segments[0].text
    assert word not in (out / "anonymised" / "intervju-01.txt").read_text(encoding="utf-8")
    signed = json.loads((out / "reports" / "intervju-01.report.json").read_text("utf-8"))
    assert signed["sign_off"]["complete"] is True  # every item decided, with name and date
    assert signed["sign_off"]["by"] == [f"Ada Lovelace, {decided[0]['date']}"]
    records = after.provenance.stages["anonymise"]["decisions"]
    assert {(d["kind"], d["decision"], d["reviewer"]) for d in records} == {
        ("redaction", "keep", "Ada Lovelace"), (review.get_attribute("data-kind"), "redact",
                                                "Ada Lovelace"),
        ("added", "redact", "Ada Lovelace")}


def test_an_unknown_report_language_fails_before_any_recording(tmp_path):
    from kodeklar.commands import common
    from kodeklar.core.errors import UserError

    config = tmp_path / "prosjekt.toml"
    config.write_text('[output]\nlang = "de"\n', encoding="utf-8")
    with pytest.raises(UserError, match="unknown language 'de'"):
        common.build_config(config, {})
    assert common.build_config(None, {"lang": "en"}).output.lang == "en"
