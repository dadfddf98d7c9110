"""The summary read aloud, offline: one MP3 track per section in a British English voice
(espeak-ng, GPL-3.0-or-later), encoded by ffmpeg with ID3 titles, an M3U playlist and a track
list. What is spoken is written for the ear: "25%" is "25 per cent", "fewer than 5" stays words,
abbreviations are said in full, and quotes are introduced."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from coproduce.core.errors import ConfigurationError
from coproduce.core.publishing.model import Publication, shown

VOICE = "en-gb"
WORDS_A_MINUTE = 150
SAID = (
    (re.compile(r"(\d)\s*%"), r"\1 per cent"),
    (re.compile(r"\be\.g\."), "for example"),
    (re.compile(r"\bi\.e\."), "that is"),
    (re.compile(r"\betc\."), "and so on"),
    (re.compile(r"\bNHS\b"), "N H S"),
    (re.compile(r"\bVCSE\b"), "voluntary, community and social enterprise"),
    (re.compile(r"(\d),(\d{3})"), r"\1\2"),  # 1,234 is read as one number
    (re.compile(r"[“”\"]"), ""),
)


def for_the_ear(text: str) -> str:
    for pattern, spoken in SAID:
        text = pattern.sub(spoken, text)
    return " ".join(text.split())


def tracks(pub: Publication) -> list[tuple[str, str]]:
    """(title, words to speak) for each track, in order."""
    found = [
        (
            "Introduction",
            f"{pub.title}. {pub.summary} "
            + " ".join(
                f"In {s.title.lower()}, {shown(s.people)} people made {shown(s.items)} "
                "contributions."
                for s in pub.evidence
            ),
        )
    ]
    for f in pub.findings:
        quotes = " ".join(f"Someone said: {q.words}" for q in f.quotes)
        found.append(
            (
                f"Finding {f.number}: {f.title}",
                f"Finding {f.number}. {f.title}. {f.text} This rests on {shown(f.items)} "
                f"contributions from {shown(f.people)} people. {quotes}",
            )
        )
    if pub.recommendations:
        order = "" if pub.recommendations_ordered else " They are not in any order of priority."
        found.append(
            (
                "Recommendations",
                f"The study makes {len(pub.recommendations)} recommendations.{order} "
                + " ".join(f"{r.number}. {r.text}." for r in pub.recommendations),
            )
        )
    return [(title, for_the_ear(words)) for title, words in found]


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ConfigurationError(f"Audio needs {name}; install Debian's {package}.")
    return found


@dataclass(frozen=True)
class Spoken:
    title: str
    words: str
    wav: Path
    seconds: float


def speak_all(pub: Publication, folder: Path) -> list[Spoken]:
    """Each track spoken into a WAV file in `folder`, with its length."""
    speak = tool("espeak-ng", "espeak-ng")
    spoken = []
    for n, (title, words) in enumerate(tracks(pub), start=1):
        wav = folder / f"{n}.wav"
        subprocess.run(
            [speak, "-v", VOICE, "-s", "160", "-w", str(wav), words],
            check=True,
            capture_output=True,
            timeout=300,
        )
        with wave.open(str(wav)) as sound:
            seconds = sound.getnframes() / sound.getframerate()
        spoken.append(Spoken(title, words, wav, seconds))
    return spoken


def render_audio(pub: Publication, spoken: list[Spoken] | None = None) -> dict[str, bytes]:
    """The audio files by their path under audio/: MP3 tracks, a playlist and a track list.
    `spoken` is the narration when it was already made (it is spoken here otherwise)."""
    encode = tool("ffmpeg", "ffmpeg")
    files: dict[str, bytes] = {}
    listed = []
    with tempfile.TemporaryDirectory() as folder:
        for n, said in enumerate(spoken or speak_all(pub, Path(folder)), start=1):
            title, words, wav = said.title, said.words, said.wav
            mp3 = Path(folder) / f"{n}.mp3"
            subprocess.run(
                [
                    encode,
                    "-nostdin",
                    "-loglevel",
                    "error",
                    "-i",
                    str(wav),
                    "-codec:a",
                    "libmp3lame",
                    "-b:a",
                    "64k",
                    "-ac",
                    "1",
                    "-fflags",
                    "+bitexact",
                    "-flags:a",
                    "+bitexact",
                    "-id3v2_version",
                    "3",
                    "-metadata",
                    f"title={title}",
                    "-metadata",
                    f"album={pub.title}",
                    "-metadata",
                    f"track={n}",
                    str(mp3),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            name = f"{n:02d}.mp3"
            files[f"audio/{name}"] = mp3.read_bytes()
            listed.append((name, title, words))
    files["audio/playlist.m3u"] = (
        "#EXTM3U\n" + "".join(f"#EXTINF:-1,{t}\n{name}\n" for name, t, _w in listed)
    ).encode("utf-8")
    files["audio/tracks.txt"] = (
        f"{pub.title}: the summary read aloud\n\n"
        + "".join(f"{name}  {t}\n" for name, t, _w in listed)
    ).encode("utf-8")
    files["audio/transcript.txt"] = "".join(
        f"{name}  {t}\n\n{w}\n\n" for name, t, w in listed
    ).encode("utf-8")
    return files
