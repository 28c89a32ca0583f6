"""The review page: one self-contained HTML file per recording (style and script inline;
nothing is fetched, no framework) on which a researcher goes through every redaction and
every review item in its sentence, listens to its stretch of the recording (the audio file
beside the page, by relative path), decides keep or redact (and the category), marks
text that was missed, signs with a name and a date, and saves the decisions file that
`kodeklar anonymise --decisions` and `kodeklar run --decisions` read
(anonymise.decisions; the same columns as the review sheet).

Two versions: the private page (OUT/private/review/) shows each item in its sentence, with
the original text, and makes decisions; the shareable page (OUT/reports/) is read-only and,
like the report beside it, shows of the text only the replacements and the review items'
words (reports/ holds no transcript text), with the same play buttons.
The saved file holds no original text (downloads folders are not private): a redaction's
row names it by its offsets and category."""
from __future__ import annotations

import json
import os
from pathlib import Path

from kodeklar.core.files import write_atomic
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript
from kodeklar.exporters import speaker_name
from kodeklar.exporters.lang import category as category_name, kind, words
from kodeklar.exporters.report.data import items
from kodeklar.exporters.report.html_ import esc, page
from kodeklar.exporters.report.sheets import REVIEW_COLUMNS

# played before and after an item's own words, so the listener hears it in its sentence
CONTEXT_SECONDS = 0.5


def _categories() -> dict[str, str]:
    """Category -> its Norwegian label (anonymise.categories)."""
    from anonymise.categories import TABLE

    return {name: c.label for name, c in TABLE.items()}


def _code(category: str) -> str:
    """The category of a name (PLACE) or of its Norwegian label (STED)."""
    labels = _categories()
    if category in labels:
        return category
    return {label: code for code, label in labels.items()}.get(category, "")


def _category_select(name: str, label: str, current: str, lang: str, w: dict,
                     with_as_found: bool) -> str:
    options = [("", w["as_found"])] if with_as_found else []
    options += [(code, code if lang == "en" else label_)
                for code, label_ in _categories().items()]
    body = "".join(f'<option value="{esc(v)}"{" selected" if v == current else ""}>{esc(t)}'
                   f"</option>" for v, t in options)
    return (f'<label class="cat">{esc(label)} <select name="{esc(name)}">{body}</select>'
            f"</label>")


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` escaped, with each (start, end, css class) span in a <mark>. The marks only
    wrap: the element's text stays `text`, which the page's offsets count in."""
    out, last = [], 0
    for a, b, cls in sorted(spans):
        if a < last:
            continue  # overlapping spans: the first one is marked
        out += [esc(text[last:a]), f'<mark class="{cls}">{esc(text[a:b])}</mark>']
        last = b
    return "".join(out) + esc(text[last:])


def _item_html(i: dict, context: str, private: bool, lang: str, w: dict) -> str:
    iid = i["item"]
    category = _code(i.get("category") or "")
    head = " · ".join(x for x in [iid, i["time"], i["speaker"], kind(i["kind"], lang),
                                  category_name(i["category"], lang) if i["category"] else ""]
                      if x)
    if i.get("replacement"):  # a redaction in the text; a kept one has none
        head += f" → {i['replacement']}"
    start = max(0.0, i["start"] - CONTEXT_SECONDS)
    end = i["end"] + CONTEXT_SECONDS
    play = w["play"].format(time=f"{clock(start)}–{clock(end)}")
    parts = [f'<li class="item" id="item-{esc(iid)}" data-item="{esc(iid)}" '
             f'data-segment="{i["segment"]}" data-char-start="{i["char_start"]}" '
             f'data-char-end="{i["char_end"]}" data-kind="{esc(i["kind"])}" '
             f'data-time="{esc(i["time"])}" data-speaker="{esc(i["speaker"])}">',
             f"<h3>{esc(head)}</h3>", f'<p class="context">{context}</p>',
             f'<button type="button" class="play" data-start="{start:.2f}" '
             f'data-end="{end:.2f}">{esc(play)}</button>']
    if private:
        name = f"d-{iid}"
        radios = "".join(
            f'<label><input type="radio" name="{name}" value="{v}"'
            f'{" checked" if v == i["decision"] else ""}> {esc(t)}</label>'
            for v, t in (("", w["undecided"]), ("keep", w["keep"]), ("redact", w["redact"])))
        parts.append(f'<fieldset><legend>{esc(w["decision"])}: {esc(iid)}</legend>{radios}'
                     + _category_select(f"c-{iid}", w["category"], category, lang, w,
                                        i["kind"] != "redaction")
                     + "</fieldset>")
    return "".join(parts) + "</li>"


def render(anonymised: Transcript, raw: Transcript, *, media_href: str | None, lang: str,
           command: str, private: bool) -> str:
    """The page as text. `media_href`: the audio file relative to the page; `command`:
    how to apply the saved file (shown under the save button)."""
    w = words(lang)
    name = anonymised.source.name
    found = items(anonymised, raw)
    raw_segs = {s.id: s for s in raw.segments}

    def context(i: dict) -> str:
        if private:
            seg = raw_segs[i["segment"]]
            return _marked(seg.text, [(i["char_start"], i["char_end"], "this")])
        # like the report: the replacement, or the review item's words, but no sentence
        shown = i.get("replacement") or i["text"]
        return f'<mark class="this">{esc(shown)}</mark>'

    audio = (f'<audio id="audio" controls preload="auto" src="{esc(media_href)}"></audio>'
             if media_href else f"<p>{esc(w['no_audio'])}</p>")
    body = [f'<a class="skip" href="#items">{esc(w["items_title"].format(n=len(found)))}</a>',
            f"<header><h1>{esc(w['page_title'])}: {esc(name)}</h1>",
            f'<p class="{"warn" if private else "note"}">'
            f'{esc(w["page_private"] if private else w["page_shareable"])}</p>',
            f"<p>{esc(w['page_intro'])}</p>" if private else "", "</header>",
            f'<section class="player" aria-label="{esc(w["audio_label"])}">{audio}</section>']
    if private:
        # the last reviewer's name stands ready for the next look; the date is today's
        signed = [i["reviewer"] for i in found if i["reviewer"]]
        body.append(f'<section class="who"><p><label for="reviewer">{esc(w["reviewer"])}</label> '
                    f'<input id="reviewer" name="reviewer" autocomplete="name" '
                    f'value="{esc(signed[-1] if signed else "")}"></p>'
                    f'<p><label for="date">{esc(w["date"])}</label> '
                    f'<input id="date" name="date" type="date"></p></section>')
    body += [f'<section id="items" tabindex="-1"><h2>{esc(w["items_title"].format(n=len(found)))}'
             f'</h2><ol class="items">',
             *(_item_html(i, context(i), private, lang, w) for i in found), "</ol></section>"]
    if private:
        marks: dict[int, list] = {}
        for i in found:
            cls = "red" if i["kind"] == "redaction" else "rev"
            marks.setdefault(i["segment"], []).append((i["char_start"], i["char_end"], cls))
        lines = "".join(
            f'<p class="seg"><span class="meta">[{clock(s.start)}] '
            f'{esc(speaker_name(raw, s.speaker))}:</span> <span class="text" '
            f'data-segment="{s.id}">{_marked(s.text, marks.get(s.id, []))}</span></p>'
            for s in raw.segments)
        body += [f'<section class="transcript"><h2>{esc(w["transcript_title"])}</h2>',
                 f'<p id="add-help">{esc(w["add_help"])}</p>',
                 f'<div id="transcript">{lines}</div>',
                 f'<p><button type="button" id="add" aria-describedby="add-help">'
                 f'{esc(w["add_button"])}</button></p>',
                 '<p id="add-status" role="status" aria-live="polite"></p>',
                 f'<h3>{esc(w["added_title"])}</h3><ul id="added"></ul></section>',
                 f'<section class="save"><h2>{esc(w["save_title"])}</h2>',
                 f'<p><button type="button" id="save">{esc(w["save_button"])}</button></p>',
                 '<p id="save-status" role="status" aria-live="polite"></p>',
                 f"<p>{esc(w['apply'])}</p><pre>{esc(command)}</pre></section>"]
        data = {"recording": name, "file": f"{name}.decisions.csv", "columns": REVIEW_COLUMNS,
                "words": {k: w[k] for k in ("saved", "need_reviewer", "add_none", "remove",
                                              "category", "added_status")},
                "categories": [[c, c if lang == "en" else label]
                               for c, label in _categories().items()]}
        # "</" cannot end the script early once every "<" is escaped
        body.append('<script type="application/json" id="data">'
                    + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + "</script>")
    return page(f"{w['page_title']}: {name}", "\n".join(b for b in body if b), lang, CSS,
                PLAY_JS + (DECIDE_JS if private else ""))


def write(anonymised: Transcript, raw: Transcript, path: Path, *, media: Path | None,
          lang: str, command: str, private: bool) -> Path:
    """Write the page to `path`; the audio is linked relative to it. A private page is
    readable by its owner only."""
    path = Path(path)
    href = None
    if media is not None:
        href = Path(os.path.relpath(Path(media).absolute(), path.parent.absolute())).as_posix()
    text = render(anonymised, raw, media_href=href, lang=lang, command=command,
                  private=private)
    return write_atomic(path, text, mode=0o600 if private else None)


CSS = """
.skip{position:absolute;left:-999em}.skip:focus{left:1em;top:1em;background:#fff;padding:.4em}
.player{position:sticky;top:0;background:#fff;padding:.4em 0;z-index:1;border-bottom:1px solid #ccc}
audio{width:100%}
.items{padding-left:0;list-style:none}
.item{border:1px solid #bbb;border-radius:4px;padding:.6em 1em;margin:1em 0}
.item h3{font-size:1em;margin:.1em 0 .4em}.context{font-size:1.1em;margin:.3em 0}
mark{padding:0 .1em}mark.this,mark.red{background:#ffe08a;outline:1px solid #8a6d00}
mark.rev{background:#d7ecff;outline:1px dotted #0b4f8a}
fieldset{border:1px solid #ccc;margin:.6em 0 0;display:flex;flex-wrap:wrap;gap:.4em 1.4em}
fieldset label{white-space:nowrap}
button,select,input{font:inherit;padding:.25em .6em}
button{cursor:pointer;border:1px solid #333;border-radius:4px;background:#f4f4f4}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.seg{margin:.3em 0}.meta{color:#444;font-size:.9em}
.who{display:flex;flex-wrap:wrap;gap:0 2em}
"""

PLAY_JS = r"""
(function(){
  var audio=document.getElementById('audio'), stopAt=null;
  if(!audio) return;
  audio.addEventListener('timeupdate',function(){
    if(stopAt!==null&&audio.currentTime>=stopAt){audio.pause();stopAt=null;}
  });
  document.querySelectorAll('button.play').forEach(function(b){
    b.addEventListener('click',function(){
      stopAt=parseFloat(b.dataset.end);
      audio.currentTime=parseFloat(b.dataset.start);
      var p=audio.play(); if(p&&p.catch) p.catch(function(){});
    });
  });
})();
"""

DECIDE_JS = r"""
(function(){
  var data=JSON.parse(document.getElementById('data').textContent), w=data.words;
  var added=[], last=null;
  var date=document.getElementById('date');
  if(!date.value) date.value=new Date().toISOString().slice(0,10);
  function $(id){return document.getElementById(id);}
  function textOf(node){
    var el=node.nodeType===1?node:node.parentElement;
    return el&&el.closest('#transcript .text');
  }
  function offset(el,node,off){
    var r=document.createRange(); r.setStart(el,0); r.setEnd(node,off);
    return r.toString().length;
  }
  // the selection, remembered while it lies in one segment: pressing the button may clear it
  document.addEventListener('selectionchange',function(){
    var s=document.getSelection();
    if(!s.rangeCount||s.isCollapsed) return;
    var r=s.getRangeAt(0), el=textOf(r.startContainer);
    if(!el||el!==textOf(r.endContainer)) return;
    var a=offset(el,r.startContainer,r.startOffset), b=offset(el,r.endContainer,r.endOffset);
    var t=el.textContent;
    while(a<b&&/\s/.test(t[a])) a++;
    while(b>a&&/\s/.test(t[b-1])) b--;
    last=a<b?{segment:+el.dataset.segment,start:a,end:b,text:t.slice(a,b)}:null;
  });
  function renderAdded(){
    var ul=$('added'); ul.textContent='';
    added.forEach(function(x,n){
      var li=document.createElement('li'), lab=document.createElement('label');
      var sel=document.createElement('select');
      data.categories.forEach(function(c){
        var o=document.createElement('option'); o.value=c[0]; o.textContent=c[1];
        o.selected=c[0]===x.category; sel.appendChild(o);
      });
      sel.addEventListener('change',function(){x.category=sel.value;});
      lab.append(w.category+' ',sel);
      var rm=document.createElement('button'); rm.type='button';
      rm.textContent=w.remove+' «'+x.text+'»';
      rm.addEventListener('click',function(){added.splice(n,1);renderAdded();});
      li.append('«'+x.text+'» ',lab,' ',rm);
      ul.appendChild(li);
    });
  }
  $('add').addEventListener('click',function(){
    if(!last){$('add-status').textContent=w.add_none;return;}
    added.push({segment:last.segment,start:last.start,end:last.end,text:last.text,
                category:'PERSON'});
    $('add-status').textContent=w.added_status.replace('{text}',last.text);
    last=null; document.getSelection().removeAllRanges(); renderAdded();
  });
  function cell(v){
    v=v==null?'':String(v);
    if(/^[=+\-@\t\r]/.test(v)) v="'"+v;
    return /[",;\r\n]/.test(v)?'"'+v.replace(/"/g,'""')+'"':v;
  }
  $('save').addEventListener('click',function(){
    var who=$('reviewer').value.trim(), when=date.value;
    if(!who||!when){$('save-status').textContent=w.need_reviewer;
      (who?date:$('reviewer')).focus();return;}
    var rows=[], decided=0, items=document.querySelectorAll('li.item');
    items.forEach(function(li){
      var id=li.dataset.item, d=li.querySelector('input[name="d-'+id+'"]:checked');
      var verdict=d?d.value:'', sel=li.querySelector('select[name="c-'+id+'"]');
      if(verdict) decided++;
      rows.push({recording:data.recording,item:id,segment:li.dataset.segment,
        char_start:li.dataset.charStart,char_end:li.dataset.charEnd,kind:li.dataset.kind,
        time:li.dataset.time,speaker:li.dataset.speaker,text:'',category:sel?sel.value:'',decision:verdict,
        reviewer:verdict?who:'',date:verdict?when:''});
    });
    added.forEach(function(x){
      rows.push({recording:data.recording,item:'',segment:x.segment,char_start:x.start,
        char_end:x.end,kind:'added',time:'',speaker:'',text:'',category:x.category,
        decision:'redact',reviewer:who,date:when});
    });
    var csv='\ufeff'+data.columns.join(',')+'\r\n'+rows.map(function(r){
      return data.columns.map(function(c){return cell(r[c]);}).join(',');}).join('\r\n')+'\r\n';
    var a=document.createElement('a');
    a.href=URL.createObjectURL(new Blob([csv],{type:'text/csv;charset=utf-8'}));
    a.download=data.file; document.body.appendChild(a); a.click(); a.remove();
    $('save-status').textContent=w.saved.replace('{file}',data.file)
      .replace('{decided}',decided).replace('{n}',items.length);
  });
})();
"""
