"""assign_speakers on hand-made transcripts."""
from kodeklar.core.transcript import Provenance, Segment, Source, Transcript, Word
from transcribe.assign import assign_speakers
from kodeklar.core.transcript import SpeakerTurn


def transcript(*segments):
    segs = []
    for n, words in enumerate(segments, start=1):
        ws = [Word(s, e, t) for s, e, t in words]
        segs.append(Segment(n, ws[0].start, ws[-1].end, "".join(w.text for w in ws).strip(),
                            words=ws, flags=["low_confidence"] if n == 1 else []))
    return Transcript(Source("t", "0" * 64, 30.0), Provenance("kodeklar", "e", "m", ""), "no",
                      segments=segs)


def test_segment_split_at_speaker_change_and_ids_renumbered():
    t = transcript([(0.0, 0.4, " Hei"), (0.5, 0.9, " og"), (1.0, 1.4, " velkommen."),
                    (2.0, 2.4, " Takk"), (2.5, 2.9, " skal")],
                   [(4.0, 4.5, " du"), (4.6, 5.0, " ha.")])
    turns = [SpeakerTurn(0.0, 1.6, "spk7"), SpeakerTurn(1.8, 3.5, "spk2"), SpeakerTurn(3.8, 5.2, "spk7")]
    out = assign_speakers(t, turns, {"S1": "Intervjuer"}, diariser={"backend": "embedded"})
    assert [(s.id, s.speaker, s.text) for s in out.segments] == [
        (1, "S1", "Hei og velkommen."), (2, "S2", "Takk skal"), (3, "S1", "du ha.")]
    assert out.segments[0].start == 0.0 and out.segments[1].start == 2.0
    assert out.segments[1].end == 2.9 and out.segments[1].flags == ["low_confidence"]
    assert all(w.speaker == s.speaker for s in out.segments for w in s.words)
    assert [(s.id, s.label) for s in out.speakers] == [("S1", "Intervjuer"), ("S2", "S2")]
    assert out.provenance.stages["diarise"] == {"backend": "embedded", "turns": 3, "speakers": 2}
    assert t.segments[0].speaker is None and len(t.segments) == 2  # the input is untouched


def test_largest_overlap_wins_and_words_outside_turns_take_the_nearest():
    t = transcript([(0.0, 1.0, " lang"), (5.0, 5.2, " sent"), (9.0, 9.3, " etter")])
    turns = [SpeakerTurn(0.0, 0.3, "a"), SpeakerTurn(0.3, 1.2, "b"), SpeakerTurn(5.5, 8.8, "a")]
    out = assign_speakers(t, turns)
    assert [w.speaker for w in out.words()] == ["S1", "S2", "S2"]
    assert [s.text for s in out.segments] == ["lang", "sent etter"]


def test_single_word_flip_inside_speech_is_smoothed_but_a_reply_after_a_pause_is_kept():
    flip = transcript([(0.0, 0.3, " jeg"), (0.35, 0.6, " tenker"), (0.65, 0.9, " at"),
                       (0.95, 1.2, " det")])
    turns = [SpeakerTurn(0.0, 0.62, "a"), SpeakerTurn(0.62, 0.92, "b"), SpeakerTurn(0.92, 1.3, "a")]
    assert {w.speaker for w in assign_speakers(flip, turns).words()} == {"S1"}

    reply = transcript([(0.0, 0.3, " Enig?"), (1.0, 1.2, " Ja."), (2.0, 2.3, " Fint.")])
    turns = [SpeakerTurn(0.0, 0.5, "a"), SpeakerTurn(0.9, 1.3, "b"), SpeakerTurn(1.9, 2.4, "a")]
    out = assign_speakers(reply, turns)
    assert [(s.speaker, s.text) for s in out.segments] == [
        ("S1", "Enig?"), ("S2", "Ja."), ("S1", "Fint.")]


def test_no_turns_leaves_no_speaker():
    out = assign_speakers(transcript([(0.0, 0.4, " Hei")]), [])
    assert out.speakers == [] and out.segments[0].speaker is None
    assert out.provenance.stages["diarise"]["turns"] == 0


def test_segment_without_words_takes_speaker_by_overlap():
    t = transcript([(0.0, 0.4, " Hei")])
    t.segments.append(Segment(2, 3.0, 4.0, "", words=[]))
    out = assign_speakers(t, [SpeakerTurn(0.0, 1.0, "x"), SpeakerTurn(2.9, 4.0, "y")])
    assert [(s.id, s.speaker) for s in out.segments] == [(1, "S1"), (2, "S2")]



def test_overlapping_turns_are_kept_and_reach_rttm():
    """Two people at once: each word goes to the one who holds it longest, but the
    transcript keeps both turns, and RTTM shows both speakers during the overlap."""
    from kodeklar.exporters import rttm
    from kodeklar.core.transcript import Transcript as T

    t = transcript([(0.0, 0.5, " ja"), (0.6, 1.5, " nettopp"), (2.5, 3.0, " mm")])
    turns = [SpeakerTurn(0.0, 2.0, "a"), SpeakerTurn(1.2, 3.2, "b"), SpeakerTurn(4.0, 4.5, "c")]
    out = assign_speakers(t, turns)
    assert [w.speaker for w in out.words()] == ["S1", "S1", "S2"]
    assert [(x.start, x.end, x.speaker) for x in out.turns] == [
        (0.0, 2.0, "S1"), (1.2, 3.2, "S2"), (4.0, 4.5, "S3")]
    assert [s.id for s in out.speakers] == ["S1", "S2", "S3"]
    lines = rttm.render(T.from_dict(out.to_dict())).splitlines()
    assert [(x.split()[3], x.split()[4], x.split()[7]) for x in lines] == [
        ("0.000", "2.000", "S1"), ("1.200", "2.000", "S2"), ("4.000", "0.500", "S3")]
