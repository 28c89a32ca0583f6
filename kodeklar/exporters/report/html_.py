"""The HTML of the reports: the shared page and style (the review page uses them too), the
report of one recording and the batch summary."""
from __future__ import annotations

import html
import json
from typing import Any

from kodeklar.core.timefmt import clock
from kodeklar.exporters.lang import category, kind, words


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:2px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:.6em 1em}
.warn{background:#fde8e8;border-left:4px solid #c62828;padding:.6em 1em}
.ok{background:#e6f4ea;border-left:4px solid #1e7e34;padding:.6em 1em}
.check li{list-style:none;margin:.4em 0}.check li:before{content:"\\2610  ";font-size:1.2em}
.sign td{height:2.2em}.sign td:first-child{width:30%}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}
@media print{body{margin:0}h2{page-break-after:avoid}}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[Any]], numeric: set[int] = frozenset(),
           empty: str = "Ingen.") -> str:
    if not rows:
        return f"<p>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{esc(v)}</td>' if i in numeric
                                    else f"<td>{esc(v)}</td>" for i, v in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str, lang: str, css: str = "", script: str = "") -> str:
    """A whole self-contained HTML page: its style (and script) inline, nothing fetched."""
    script = f"<script>{script}</script>\n" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n"
            f"{body}\n{script}</body>\n</html>\n")


def _report_html(d: dict) -> str:
    lang = d["lang"]
    w = words(lang)
    c = d["summary"]
    p = d["provenance"]

    def table(headers, rows, numeric=frozenset()):
        return _table([w[h] for h in headers], rows, numeric, w["none"])

    parts = [f"<h1>{esc(w['report'])}: {esc(d['recording'])}</h1>",
             f"<p>{esc(w['made_by'].format(when=d['generated'], tool=p['tool']))}</p>"]
    if not d["anonymised"]:
        parts.append(f'<p class="warn">{w["not_anonymised"]}</p>')
    if d["source"].get("damage"):
        parts.append(f'<p class="warn">{esc(w["damage"].format(what=d["source"]["damage"]))}</p>')
    so = d["sign_off"]
    parts.append(f'<p class="{"ok" if so["complete"] else "warn"}" id="sign-off-status">'
                 + esc(w["signed_off"].format(n=so["items"], who="; ".join(so["by"]))
                      if so["complete"] else
                      w["not_signed_off"].format(left=so["left"], n=so["items"])) + "</p>")
    low = d["low_confidence"]
    parts.append(_table(["", ""], [
        [w["recording"], d["recording"]],
        [w["duration"], clock(d["source"]["duration"])],
        [w["sha256"], d["source"]["sha256"]],
        [w["redactions"], c["redactions"]],
        [w["human_redacted"], c["human_redacted"]],
        [w["human_kept"], c["human_kept"]],
        [w["to_review"], c["review"]],
        [w["untranscribed"], c.get("untranscribed", 0)],
        [w["low_confidence"], len(low["stretches"])]]))
    files = d["review_files"]
    if files:
        parts += [f"<h2>{esc(w['how_title'])}</h2>", "<ul>",
                  f"<li>{esc(w['how_page'].format(page=files['page']))}</li>",
                  f"<li>{esc(w['how_sheet'].format(sheet=files['sheet']))}</li>", "</ul>",
                  f"<p>{esc(w['how_command'])}</p>", f"<pre>{esc(files['command'])}</pre>"]
    parts += [f"<h2>{esc(w['by_category'])}</h2>",
              table(["category", "count"],
                    [[category(k, lang), v] for k, v in c["by_category"].items()], {1}),
              f"<h2>{esc(w['by_detector'])}</h2>",
              table(["detector", "count"], [[k, v] for k, v in c["by_detector"].items()], {1}),
              f"<h2>{esc(w['all_redactions'])}</h2>", f"<p>{esc(w['no_originals'])}</p>",
              table(["id", "time", "speaker", "category", "replacement", "detector", "score",
                     "decided_by"],
                    [[r["id"], r["time"], r["speaker"], category(r["category"], lang),
                      r["replacement"],
                      r["detector"], f"{r['score']:.2f}",
                      w["human"] if r["decided_by"] == "human" else w["rule"]]
                     for r in d["redactions"]], {6}),
              f"<h2>{esc(w['human_kept'])}</h2>", f"<p>{esc(w['kept_intro'])}</p>",
              table(["segment", "time", "speaker", "kind"],
                    [[k["segment"], k["time"], k["speaker"], kind(k["kind"], d["lang"])]
                     for k in d["human_kept"]]),
              f"<h2>{esc(w['decisions_title'])}</h2>",
              table(["segment", "time", "speaker", "kind", "decision", "category", "reviewer",
                     "date"],
                    [[x["segment"], x["time"], x["speaker"], kind(x["kind"], d["lang"]),
                      w.get(x["decision"], x["decision"]), category(x["category"], lang),
                      x["reviewer"],
                      x["date"]] for x in d["decisions"]]),
              f"<h2>{esc(w['review_title'])}</h2>", f"<p>{esc(w['review_intro'])}</p>",
              table(["id", "time", "speaker", "kind", "text", "category", "detector", "score"],
                    [[r["id"], r["time"], r["speaker"], kind(r["kind"], d["lang"]), r["text"],
                      category(r["category"], lang),
                      r["detector"], f"{r['score']:.2f}" if r["detector"] else ""]
                     for r in d["review"]]
                    + [[u["id"], u["time"], "", kind(u["kind"], d["lang"]), u["text"], "", "", ""]
                       for u in d["untranscribed"]], {7}),
              f"<h2>{esc(w['low_title'])}</h2>",
              f"<p>{esc(w['low_intro'].format(threshold=low['threshold']))}</p>",
              table(["segment", "time", "speaker", "words", "score"],
                    [[x["segment"], x["time"], x["speaker"], x["words"], f"{x['p']:.2f}"]
                     for x in low["stretches"]], {3, 4})]
    if d["audio_redactions"]:
        parts += [f"<h2>{esc(w['audio_title'])}</h2>", f"<p>{esc(w['audio_intro'])}</p>",
                  table(["from", "to"], [[clock(a["start"], 3), clock(a["end"], 3)]
                                         for a in d["audio_redactions"]])]
    parts += [f"<h2>{esc(w['key_title'])}</h2>",
              f"<p>{esc(d['key_file'])}</p>" if d["key_file"] else f"<p>{esc(w['no_key'])}</p>",
              f"<h2>{esc(w['voice_title'])}</h2>", f'<p class="note">{esc(w["voice_note"])}</p>',
              f"<h2>{esc(w['versions'])}</h2>",
              _table(["", ""], [[w["tool"], p["tool"]], [w["engine"], p["engine"]],
                                [w["model"], p["model"]], [w["model_sha256"], p["model_sha256"]],
                                [w["transcribed"], p["created"]]]),
              f"<h3>{esc(w['params'])}</h3>",
              f"<pre>{esc(json.dumps({'params': p['params'], 'stages': p['stages']}, ensure_ascii=False, indent=1))}</pre>",
              f"<h3>{esc(w['settings'])}</h3>",
              f"<pre>{esc(json.dumps(d['settings'], ensure_ascii=False, indent=1))}</pre>",
              f"<h2>{esc(w['sign_title'])}</h2>",
              '<ul class="check">' + "".join(f"<li>{esc(i)}</li>" for i in so["checklist"])
              + "</ul>",
              '<table class="sign">' + "".join(f"<tr><td>{esc(f)}</td><td></td></tr>"
                                               for f in so["fields"]) + "</table>"]
    return page(f"{w['report']}: {d['recording']}", "\n".join(parts), d["lang"])


def _batch_html(s: dict) -> str:
    w = words(s["lang"])
    parts = [f"<h1>{esc(w['batch_title'])}</h1>",
             f"<p>{esc(w['batch_made'].format(when=s['generated'], n=s['recordings'], failed=s['failed'], redactions=s['redactions'], review=s['review']))}</p>",
             f"<h2>{esc(w['batch_by_category'])}</h2>",
             _table([w["category"], w["count"]],
                    [[category(k, s["lang"]), v] for k, v in s["by_category"].items()],
                    {1}, w["none"]),
             f"<h2>{esc(w['recordings'])}</h2>",
             _table([w[k] for k in ("recording", "status", "duration", "redactions",
                                    "per_category", "human_redacted", "human_kept",
                                    "to_review", "errors", "warnings")],
                    [[r["recording"], w.get(f"status_{r['status']}", r["status"]),
                      r["duration"], r["redactions"], r["by_category"], r["human_redacted"],
                      r["human_kept"], r["review"], r["error"], r["warnings"]]
                     for r in s["rows"]], {3, 5, 6, 7}, w["none"]),
             f"<h2>{esc(w['voice_title'])}</h2>", f'<p class="note">{esc(w["voice_note"])}</p>']
    return page(w["batch_title"], "\n".join(parts), s["lang"])
