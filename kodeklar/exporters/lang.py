"""The words of the pages a person reads (the redaction report, the batch summary, the review
page), in Norwegian bokmål and English: one language per page, chosen by `output.lang`
(`--lang`). Transcript exports keep their Norwegian marks ([uhørbart …], samtidig med)."""
from __future__ import annotations

from kodeklar.core.errors import UserError

LANGUAGES = ("nb", "en")

# key -> (bokmål, English)
TEXT = {
    # the redaction report
    "report": ("Anonymiseringsrapport", "Redaction report"),
    "made_by": ("Laget {when} av {tool}.", "Made {when} by {tool}."),
    "not_anonymised": ("Transkripsjonen er <strong>ikke</strong> anonymisert.",
                       "The transcript is <strong>not</strong> anonymised."),
    "damage": ("Lydfilen kan være avkortet eller skadet; sjekk opptaket ({what}).",
               "The recording may be cut off or damaged; check it ({what})."),
    "recording": ("Opptak (pseudonym)", "Recording (pseudonym)"),
    "duration": ("Varighet", "Duration"),
    "sha256": ("SHA-256 for lydfilen", "SHA-256 of the audio file"),
    "redactions": ("Erstatninger i teksten", "Replacements in the text"),
    "human_redacted": ("Erstattet etter manuell vurdering", "Replaced after human review"),
    "human_kept": ("Beholdt etter manuell vurdering", "Kept after human review"),
    "to_review": ("Til manuell kontroll", "To check by hand"),
    "untranscribed": ("Tale uten tekst (uhørbart)", "Speech without words (inaudible)"),
    "low_confidence": ("Usikkert hørte ord", "Words heard with low confidence"),
    "by_category": ("Erstatninger per kategori", "Replacements by category"),
    "by_detector": ("Erstatninger per regel (detektor)", "Replacements by rule (detector)"),
    "category": ("Kategori", "Category"),
    "count": ("Antall", "Count"),
    "detector": ("Detektor", "Detector"),
    "all_redactions": ("Alle erstatninger", "All replacements"),
    "no_originals": ("Originalteksten står ikke i denne rapporten; den finnes bare i "
                     "koblingsnøkkelen.",
                     "The original text is not in this report; only the key file holds it."),
    "id": ("ID", "ID"), "time": ("Tid", "Time"), "speaker": ("Taler", "Speaker"),
    "replacement": ("Erstattet med", "Replaced by"), "score": ("Sikkerhet", "Score"),
    "decided_by": ("Avgjort av", "Decided by"), "human": ("menneske", "human"),
    "rule": ("regel", "rule"), "segment": ("Segment", "Segment"), "kind": ("Type", "Kind"),
    "text": ("Tekst", "Text"), "none": ("Ingen.", "None."), "words": ("Ord", "Words"),
    "kept_intro": ("Kandidater et menneske har vurdert og valgt å beholde i teksten.",
                   "Candidates a human reviewed and chose to keep in the text."),
    "review_title": ("Til manuell kontroll (restrisiko)", "To check by hand (residual risk)"),
    "review_intro": ("Tekst som står igjen i den anonymiserte transkripsjonen og som kan peke "
                     "ut en person. Et menneske må vurdere hvert punkt. Tale uten tekst "
                     "(uhørbart) er ikke vurdert for identifiserende innhold: lytt til "
                     "opptaket der.",
                     "Text left in the anonymised transcript that may point to a person. A "
                     "human must judge each item. Speech without words (inaudible) has not "
                     "been checked for identifying content: listen to the recording there."),
    "low_title": ("Usikkert hørte ord", "Words heard with low confidence"),
    "low_intro": ("Ord talegjenkjenningen var usikker på (sannsynlighet under {threshold}); i "
                  "txt og docx står de i (parentes). Lytt og rett der det betyr noe.",
                  "Words the recogniser was unsure of (probability under {threshold}); txt "
                  "and docx show them in (parentheses). Listen and correct where it matters."),
    "how_title": ("Slik går du gjennom", "How to review"),
    "how_page": ("Gjennomgangssiden (viser originalteksten, bare for prosjektet): {page}",
                 "The review page (shows the original text, for the project only): {page}"),
    "how_sheet": ("Eller regnearket: {sheet} (fyll ut kolonnen decision med redact eller keep)",
                  "Or the sheet: {sheet} (fill the decision column with redact or keep)"),
    "how_command": ("Ta i bruk avgjørelsene (i utdatamappen; filen siden lagret kan stå i "
                    "stedet for regnearket):",
                    "Apply the decisions (in the output folder; the file the page saved can "
                    "stand in for the sheet):"),
    "decisions_title": ("Menneskelige avgjørelser", "Human decisions"),
    "decision": ("Avgjørelse", "Decision"), "reviewer": ("Gjennomgått av", "Reviewer"),
    "date": ("Dato", "Date"), "redact": ("sensurer", "redact"), "keep": ("behold", "keep"),
    "signed_off": ("Gjennomgangen er fullført: alle {n} punkter har en avgjørelse med navn og "
                   "dato ({who}).",
                   "The review is complete: all {n} items have a decision with a name and a "
                   "date ({who})."),
    "not_signed_off": ("Gjennomgangen er ikke fullført: {left} av {n} punkter mangler en "
                       "avgjørelse med navn og dato.",
                       "The review is not complete: {left} of {n} items lack a decision with a "
                       "name and a date."),
    "audio_title": ("Sensurert lyd", "Redacted audio"),
    "audio_intro": ("I den sensurerte lydfilen er disse tidsrommene erstattet:",
                    "In the redacted audio file these stretches are replaced:"),
    "from": ("Fra", "From"), "to": ("Til", "To"),
    "key_title": ("Koblingsnøkkel", "Key file"),
    "no_key": ("Ingen koblingsnøkkel ble skrevet for dette opptaket.",
               "No key file was written for this recording."),
    "voice_title": ("Lyd og stemme", "Audio and voice"),
    "voice_note": ("Stemmen i lydopptaket er fortsatt en personopplysning: en person kan "
                   "kjennes igjen på stemmen, også i lydfilen der navn og steder er erstattet "
                   "med pipetone eller stillhet. Lydfiler skal lagres og deles som "
                   "personopplysninger.",
                   "The voice in the recording is still personal data: a person can be "
                   "recognised by their voice, also in the audio file where names and places "
                   "are beeped or silenced. Store and share audio files as personal data."),
    "versions": ("Versjoner, modeller og innstillinger", "Versions, models and settings"),
    "tool": ("Verktøy", "Tool"), "engine": ("Talegjenkjenning", "Speech recognition"),
    "model": ("Modell", "Model"), "model_sha256": ("Modellens SHA-256", "Model SHA-256"),
    "transcribed": ("Transkribert", "Transcribed"),
    "params": ("Parametre og senere trinn", "Parameters and later stages"),
    "settings": ("Innstillinger for kjøringen", "Settings of the run"),
    "sign_title": ("Kontroll og godkjenning", "Check and sign-off"),
    "checklist": (["Direkte identifikatorer (navn, fødselsnummer, telefon, adresse, e-post) er "
                   "fjernet.",
                   "Indirekte identifikatorer (yrke, arbeidssted, alder, diagnose, sjeldne "
                   "hendelser) er vurdert, og alle punkter under «Til manuell kontroll» er gått "
                   "gjennom.",
                   "Koblingsnøkkelen er lagret atskilt fra transkripsjonene, kryptert, og bare "
                   "prosjektet har tilgang.",
                   "Lydopptakene lagres og slettes slik samtykket og godkjenningen (REK/Sikt) "
                   "sier."],
                  ["Direct identifiers (names, national identity numbers, phone, address, "
                   "e-mail) are removed.",
                   "Indirect identifiers (occupation, workplace, age, diagnosis, rare events) "
                   "are judged, and every item under «To check by hand» is reviewed.",
                   "The key file is stored apart from the transcripts, encrypted, and only the "
                   "project can open it.",
                   "The recordings are stored and deleted as the consent and the approval "
                   "(REK/Sikt) say."]),
    "sign_fields": (["Gjennomgått av (navn)", "Rolle", "Dato", "Signatur"],
                    ["Reviewed by (name)", "Role", "Date", "Signature"]),
    # the batch summary
    "batch_title": ("Samlerapport for kjøringen", "Summary of the run"),
    "batch_made": ("Laget {when}. {n} opptak, {failed} feilet; {redactions} erstatninger; "
                   "{review} punkter til manuell kontroll.",
                   "Made {when}. {n} recordings, {failed} failed; {redactions} replacements; "
                   "{review} items to check by hand."),
    "batch_by_category": ("Erstatninger per kategori, alle opptak",
                          "Replacements by category, all recordings"),
    "recordings": ("Opptak", "Recordings"), "status": ("Status", "Status"),
    "per_category": ("Per kategori", "By category"), "errors": ("Feil", "Errors"),
    "warnings": ("Advarsler", "Warnings"),
    "status_done": ("ferdig", "done"), "status_skipped": ("allerede ferdig", "already done"),
    "status_failed": ("feilet", "failed"),
    # the review page
    "page_title": ("Gjennomgang", "Review"),
    "page_private": ("Denne siden viser originalteksten og hører hjemme i den private mappen. "
                     "Ikke del den.",
                     "This page shows the original text and belongs in the private folder. Do "
                     "not share it."),
    "page_shareable": ("Denne utgaven viser verken originalteksten eller setningene, og kan "
                       "deles med etikkomiteen. Avgjørelser tas på siden i den private mappen.",
                       "This version shows neither the original text nor the sentences, and "
                       "may be shared with the ethics reviewer. Decisions are made on the page "
                       "in the private folder."),
    "page_intro": ("Gå gjennom hvert punkt: lytt, velg «behold» eller «sensurer», og rett "
                   "kategorien om den er feil. Marker tekst i transkripsjonen nederst for å "
                   "sensurere noe som ble oversett. Lagre avgjørelsene, og ta dem i bruk med "
                   "kommandoen under.",
                   "Go through every item: listen, choose «keep» or «redact», and correct the "
                   "category where it is wrong. Select text in the transcript below to redact "
                   "something that was missed. Save the decisions, and apply them with the "
                   "command below."),
    "audio_label": ("Opptaket", "The recording"),
    "no_audio": ("Ingen lydfil ved siden av denne siden.", "No audio file beside this page."),
    "play": ("Spill av {time}", "Play {time}"),
    "items_title": ("Punkter ({n})", "Items ({n})"),
    "added_status": ("Lagt til: «{text}»", "Added: «{text}»"),
    "original": ("Original", "Original"),
    "undecided": ("ikke avgjort", "not decided"),
    "as_found": ("som funnet", "as found"),
    "transcript_title": ("Transkripsjonen", "The transcript"),
    "add_help": ("Marker tekst i ett segment og trykk knappen for å sensurere den. Med "
                 "tastaturet: F7 slår på tekstmarkøren, Shift og piltastene markerer.",
                 "Select text within one segment and press the button to redact it. By "
                 "keyboard: F7 turns on the text cursor, Shift and the arrow keys select."),
    "add_button": ("Sensurer markert tekst", "Redact the selected text"),
    "add_none": ("Marker først tekst i ett segment av transkripsjonen.",
                 "First select text within one segment of the transcript."),
    "added_title": ("Lagt til av deg", "Added by you"),
    "remove": ("Fjern", "Remove"),
    "save_title": ("Lagre", "Save"),
    "save_button": ("Lagre avgjørelsene", "Save the decisions"),
    "saved": ("Lagret {file}: {decided} av {n} punkter avgjort.",
              "Saved {file}: {decided} of {n} items decided."),
    "need_reviewer": ("Skriv inn navn og dato før du lagrer.",
                      "Enter a name and a date before saving."),
    "apply": ("Ta i bruk avgjørelsene (i utdatamappen):",
              "Apply the decisions (in the output folder):"),
}


# the kinds of item a human decides on (ReviewItem.kind, and the decisions file's kind)
KINDS = {
    "redaction": ("erstatning", "replacement"), "added": ("lagt til", "added"),
    "low_score": ("usikkert treff", "low score"), "capitalised": ("stor forbokstav", "capitalised"),
    "number": ("tall", "number"), "age": ("alder", "age"), "date": ("dato", "date"),
    "occupation": ("yrke", "occupation"), "diagnosis": ("diagnose", "diagnosis"),
    "country": ("land", "country"), "untranscribed": ("uhørbart", "inaudible"),
}


def check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise UserError(f"unknown language '{lang}' for the reports (choose from: "
                        f"{', '.join(LANGUAGES)})")
    return lang


def words(lang: str) -> dict:
    """Every text of the table in one language."""
    i = LANGUAGES.index(check(lang))
    return {key: pair[i] for key, pair in TEXT.items()}


def category(name: str, lang: str) -> str:
    """A category as a page in `lang` names it: its Norwegian label in bokmål (STED), its
    name in English (PLACE)."""
    from anonymise.categories import label

    return label(name) if check(lang) == "nb" else name


def kind(value: str, lang: str) -> str:
    """A kind of item in the page's language; an unknown kind as it is."""
    pair = KINDS.get(value)
    return pair[LANGUAGES.index(check(lang))] if pair else value
