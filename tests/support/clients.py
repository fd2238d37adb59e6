"""Drive the real clients that check our exports: Debian's ffmpeg and headless Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import pathlib
import re
import shutil
import subprocess
import threading

_PAGE = """<!doctype html><html><body>
<video id=v><track id=t kind=subtitles src="{name}" default></video><pre id=out>pending</pre>
<script>
const t = document.getElementById('t');
t.addEventListener('load', () => {{
  const cues = [...t.track.cues].map(c => ({{id: c.id, start: c.startTime, end: c.endTime,
    text: c.text, plain: c.getCueAsHTML().textContent}}));
  document.getElementById('out').textContent = JSON.stringify(cues);
}});
t.addEventListener('error', () => {{ document.getElementById('out').textContent = 'ERROR'; }});
t.track.mode = 'hidden';
</script></body></html>"""

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FFMPEG = shutil.which("ffmpeg")


def chromium_track_cues(vtt: pathlib.Path) -> list[dict] | None:
    """Load `vtt` in a <track> element of headless Chromium; returns its cues, or None on a track error.

    Raises RuntimeError when chromium is not installed or prints no result.
    """
    if CHROMIUM is None:
        raise RuntimeError("chromium is not on PATH (Debian: apt-get install chromium)")
    folder = vtt.parent
    (folder / "track.html").write_text(_PAGE.format(name=vtt.name), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/track.html"
        out = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={folder / 'chromium-profile'}",
                "--virtual-time-budget=10000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
    match = re.search(r'<pre id="out">(.*?)</pre>', out.stdout, re.S)
    if match is None:
        raise RuntimeError(f"chromium gave no result: {out.stderr[-500:]}")
    body = match.group(1)
    if body == "ERROR":
        return None
    import html

    return json.loads(html.unescape(body))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def ffmpeg_roundtrip_srt(src: pathlib.Path, dst: pathlib.Path) -> subprocess.CompletedProcess[str]:
    """Have ffmpeg read `src` and write it as SRT to `dst`. Raises RuntimeError without ffmpeg."""
    if FFMPEG is None:
        raise RuntimeError("ffmpeg is not on PATH (Debian: apt-get install ffmpeg)")
    return subprocess.run(
        [FFMPEG, "-nostdin", "-loglevel", "error", "-y", "-i", str(src), str(dst)],
        capture_output=True,
        text=True,
        timeout=120,
    )
