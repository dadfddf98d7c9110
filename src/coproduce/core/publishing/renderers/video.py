"""The summary as a captioned video (MP4): one slide per section, shown while the narration of
that section plays, with closed captions both as a WebVTT file and as a soft subtitle track in
the MP4. Slides are laid out as HTML (WeasyPrint) and drawn by PDFium; ffmpeg puts it together.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

from coproduce.core.publishing.model import Publication
from coproduce.core.publishing.renderers.audio import Spoken, speak_all, tool
from coproduce.core.publishing.renderers.html import esc

SENTENCE = re.compile(r"[^.!?]+[.!?]*")
SLIDE_STYLE = """
@page { size: 1280px 720px; margin: 0; }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; background: #00594f; color: #fff; }
section { height: 720px; padding: 250px 90px 0; box-sizing: border-box; }
p.study { font-size: 26px; margin: 0 0 24px; color: #cdeee8; }
h1 { font-size: 56px; line-height: 1.2; margin: 0; }
"""


def slide_pngs(study: str, titles: list[str]) -> list[bytes]:
    """One slide a section, laid out in one document (a page each) and drawn page by page."""
    import pypdfium2
    from weasyprint import HTML

    pages = "".join(
        f'<section style="page-break-after: always"><p class="study">{esc(study)}</p>'
        f"<h1>{esc(title)}</h1></section>"
        for title in titles
    )
    page = (
        f'<html lang="en-GB"><head><title>{esc(study)}</title><style>{SLIDE_STYLE}</style>'
        f"</head><body>{pages}</body></html>"
    )
    document = pypdfium2.PdfDocument(HTML(string=page).write_pdf())
    images = []
    try:
        for n in range(len(titles)):
            image = document[n].render(scale=1.0).to_pil().convert("RGB").resize((1280, 720))
            out = io.BytesIO()
            image.save(out, format="PNG")
            images.append(out.getvalue())
    finally:
        document.close()
    return images


def stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def captions(spoken: list[Spoken]) -> str:
    """WebVTT cues: each sentence of the narration, timed in proportion to its length within
    the section it belongs to."""
    cues, start = ["WEBVTT", ""], 0.0
    for section in spoken:
        sentences = [s.strip() for s in SENTENCE.findall(section.words) if s.strip()]
        total = sum(len(s) for s in sentences) or 1
        at = start
        for sentence in sentences:
            length = section.seconds * len(sentence) / total
            cues += [f"{stamp(at)} --> {stamp(at + length)}", sentence, ""]
            at += length
        start += section.seconds
    return "\n".join(cues)


def render_video(pub: Publication, spoken: list[Spoken] | None = None) -> dict[str, bytes]:
    """video/summary.mp4 and its captions, video/summary.vtt. `spoken` is the narration when
    the audio has just been made (it is spoken again otherwise)."""
    ffmpeg = tool("ffmpeg", "ffmpeg")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        spoken = spoken or speak_all(pub, folder)
        pictures = slide_pngs(pub.title, [section.title for section in spoken])
        slides, sounds = [], []
        for n, section in enumerate(spoken, start=1):
            image = folder / f"slide-{n}.png"
            image.write_bytes(pictures[n - 1])
            slides.append(f"file '{image}'\nduration {section.seconds:.3f}\n")
            sounds.append(f"file '{section.wav}'\n")
        # The concat demuxer holds the last image only if it is named once more.
        (folder / "slides.txt").write_text(
            "".join(slides) + f"file '{folder / f'slide-{len(spoken)}.png'}'\n"
        )
        (folder / "sounds.txt").write_text("".join(sounds))
        vtt = captions(spoken)
        (folder / "captions.vtt").write_text(vtt, encoding="utf-8")
        out = folder / "summary.mp4"
        subprocess.run(
            [
                ffmpeg,
                "-nostdin",
                "-loglevel",
                "error",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(folder / "slides.txt"),
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(folder / "sounds.txt"),
                "-i",
                str(folder / "captions.vtt"),
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-map",
                "2:s",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-tune",
                "stillimage",
                "-r",
                "1",  # slides change with the sections: a frame a second is plenty
                "-pix_fmt",
                "yuv420p",
                "-threads",
                "2",
                "-c:a",
                "aac",
                "-aac_coder",
                "fast",
                "-b:a",
                "64k",
                "-ac",
                "1",
                "-c:s",
                "mov_text",
                "-metadata:s:s:0",
                "language=eng",
                "-metadata",
                f"title={pub.title}: summary",
                "-fflags",
                "+bitexact",
                "-flags",
                "+bitexact",
                "-map_metadata",
                "-1",
                "-movflags",
                "+faststart",
                "-t",
                f"{sum(section.seconds for section in spoken):.3f}",
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        return {"video/summary.mp4": out.read_bytes(), "video/summary.vtt": vtt.encode("utf-8")}
