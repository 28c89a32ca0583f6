"""The one clock formatter every export and report shares."""
from __future__ import annotations


def millis(seconds: float) -> int:
    """Seconds as whole milliseconds; rounding here first keeps 1.9999999 from showing as 1.9."""
    return max(0, round(seconds * 1000))


def clock(seconds: float, digits: int = 0, sep: str = ".") -> str:
    """`hh:mm:ss`, with `digits` (0-3) decimals of a second after `sep`.

    Decimals are cut, not rounded: a timestamp that jumps to the audio must never land
    after the words start, and cutting keeps a sorted list of times sorted."""
    ms = millis(seconds)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    out = f"{h:02d}:{m:02d}:{s:02d}"
    if digits:
        out += f"{sep}{ms // 10 ** (3 - digits):0{digits}d}"
    return out


def duration(seconds: float) -> str:
    """A length of time as `h:mm:ss`, rounded to the second (progress lines, summaries);
    not a position in the audio, so no zero-padded hours and no cutting."""
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
