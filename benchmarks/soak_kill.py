"""Kill soak: SIGKILL the real editor at random moments and check that no work is lost.

Usage: python benchmarks/soak_kill.py [RUNS] [--cues N] [--seed S] [--keep DIR]

Each run starts the editor (offscreen, isolated settings and autosave folders) on a fresh
SRT file, drives it through the test-only control channel (tests/support/testing_channel.py,
started by the test entry point tests/support/controlled_app.py): edits typed into the
edit panel, saves and immediate autosaves at random pauses, then kills it with SIGKILL at
a random moment — while idle, right after an edit, in the middle of a save or of an
autosave. It then checks:

- the file on disk is byte for byte either the last saved version or the one being saved
  (the expected bytes are rendered independently with the core from the same edits);
- the editor restarted with `--restore yes` shows the document after exactly some prefix
  of the edits, and that prefix holds every edit acknowledged more than the autosave delay
  (plus `SLACK_S` for the background write on a busy machine) before the kill.

Prints one line per run and a summary: kills survived out of runs, and bytes lost (the
UTF-8 size of required edits that did not come back, plus the size of any file on disk
that was neither version). tests/test_kill_recovery.py runs the same driver a few times.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

REPO = pathlib.Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from editor.core import documents, edits, textio  # noqa: E402

DELAY_MS = 500
SLACK_S = 1.5
START_TIMEOUT_S = 90.0
ACK_TIMEOUT_S = 60.0
PHASES = ("idle", "edit", "save", "save-write", "autosave", "autosave-write")
_SAVE_S: dict[int, float] = {}  # longest save seen per document size, so kills can aim inside one
SAMPLE_TEXTS = (
    "Short line.",
    "Two lines\nof text.",
    "Accents: café, naïve, Ærø.",
    "日本語の字幕です。",
    "A longer cue that goes on for a while, so that it has to wrap somewhere.",
    'Quotes "and" <i>markup</i> & ampersands.',
)


def make_srt(path: pathlib.Path, cues: int) -> None:
    """Write an SRT file with `cues` plain cues (no speaker labels, UTF-8)."""
    parts = []
    for i in range(cues):
        start = i * 2000
        parts.append(f"{i + 1}\n{_ts(start)} --> {_ts(start + 1500)}\nLine {i + 1} of the soak document.\n")
    path.write_text("\n".join(parts), encoding="utf-8")


def _ts(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


class App:
    """One editor process and its control folder."""

    def __init__(
        self, workdir: pathlib.Path, doc: pathlib.Path, restore: str, data_dir: str = "data"
    ) -> None:
        self.control = workdir / f"control-{restore}"
        self.control.mkdir()
        self.seq = 0
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            CUELINE_HOME=str(workdir / "home"),
            XDG_CONFIG_HOME=str(workdir / "config"),
            XDG_DATA_HOME=str(workdir / data_dir),
            XDG_CACHE_HOME=str(workdir / "cache"),
            XDG_STATE_HOME=str(workdir / "state"),
            PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        )
        self.log = open(workdir / f"app-{restore}.log", "wb")  # closed in kill()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.controlled_app",
                str(self.control),
                str(doc),
                "--restore",
                restore,
            ],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def send(self, cmd: str, **args) -> int:
        """Queue a command; returns its sequence number."""
        seq = self.seq
        self.seq += 1
        path = self.control / f"cmd-{seq:06d}.json"
        tmp = self.control / f".cmd-{seq:06d}.tmp"
        tmp.write_text(json.dumps({"cmd": cmd, **args}), encoding="utf-8")
        os.replace(tmp, path)
        return seq

    def ack(self, seq: int, timeout_s: float = ACK_TIMEOUT_S) -> dict:
        """Wait for the acknowledgement of command `seq`; raises RuntimeError on timeout or exit."""
        path = self.control / f"ack-{seq:06d}.json"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"editor exited with {self.proc.returncode} before ack {seq}")
            time.sleep(0.005)
        raise RuntimeError(f"no ack for command {seq} within {timeout_s} s")

    def wait_begin(self, seq: int, timeout_s: float = ACK_TIMEOUT_S) -> None:
        """Wait until the editor has started command `seq`."""
        path = self.control / f"begin-{seq:06d}"
        deadline = time.monotonic() + timeout_s
        while not path.exists():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"command {seq} did not start")
            time.sleep(0.001)

    def call(self, cmd: str, **args) -> dict:
        result = self.ack(self.send(cmd, **args))
        if not result.get("ok"):
            raise RuntimeError(f"{cmd} failed: {result.get('error')}")
        return result

    def wait_loaded(self) -> dict:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            state = self.call("state")
            if state["loaded"]:
                return state
            time.sleep(0.05)
        raise RuntimeError("the editor did not finish loading the document")

    def kill(self) -> float:
        """SIGKILL the process; returns the wall-clock time of the kill."""
        when = time.time()
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()
        return when


@dataclass
class RunResult:
    run: int
    phase: str
    survived: bool
    edits: int = 0
    required: int = 0
    recovered: int = -1
    bytes_lost: int = 0
    mid_write: bool = False  # a temporary file was left: the kill landed inside a write
    disk: str = "old"  # the file on disk after the kill: "old", "new" (the save being made) or "torn"
    oldest_lost_s: float = 0.0  # age at the kill of the oldest edit that did not come back
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        state = "ok  " if self.survived else "LOST"
        extra = "; ".join(self.problems)
        return (
            f"run {self.run:3d} {state} kill during {self.phase:8s} edits {self.edits:3d} "
            f"required {self.required:3d} recovered {self.recovered:3d} bytes lost {self.bytes_lost}"
            f" file {self.disk}{' (mid-write)' if self.mid_write else ''}{' ' + extra if extra else ''}"
        )


class Model:
    """The expected document after each prefix of the edits, rendered with the core."""

    def __init__(self, doc_path: pathlib.Path) -> None:
        self.doc = documents.load(str(doc_path))
        self.info = self.doc.sources["source"]
        self.states: list[list[str]] = [[c.text for c in self.doc.cues]]

    def apply(self, row: int, text: str) -> None:
        edits.apply(self.doc, edits.set_field(self.doc.cues[row].id, "text", text))
        self.states.append([c.text for c in self.doc.cues])

    def file_bytes(self) -> bytes:
        """The bytes Save writes for the current state (same encoding, BOM and newlines)."""
        return textio.encode(documents.render(self.doc, self.info.format), self.info)


def _write_settings(workdir: pathlib.Path) -> None:
    folder = workdir / "config" / "cueline"
    folder.mkdir(parents=True)
    (folder / "cueline.ini").write_text(f"[autosave]\ndelay_ms={DELAY_MS}\n", encoding="utf-8")


def run_once(
    run: int,
    workdir: pathlib.Path,
    base: pathlib.Path,
    rng: random.Random,
    phase: str | None = None,
    break_autosave: bool = False,
) -> RunResult:
    """One start–edit–kill–restart cycle, killing during `phase` (random when None); returns what survived.

    `break_autosave` points the data folder at a file, so autosaves fail: a check that the
    soak notices lost work (the driver's own negative control).
    """
    workdir.mkdir(parents=True)
    _write_settings(workdir)
    doc_path = workdir / "doc.srt"
    shutil.copyfile(base, doc_path)
    model = Model(doc_path)
    cues = len(model.states[0])
    phase = phase or rng.choice(PHASES)
    result = RunResult(run, phase, survived=False)
    acked: list[float] = []  # ack time of each edit, in order
    disk_ok = [doc_path.read_bytes()]  # versions the file may hold at the kill
    save_s = _SAVE_S.get(cues, 0.05)  # how long a save takes here (measured from the acks below)

    def edit(app: App, wait: bool) -> int:
        row = rng.randrange(cues)
        text = f"{rng.choice(SAMPLE_TEXTS)} #{run}.{len(acked)}"
        seq = app.send("edit", row=row, text=text)
        model.apply(row, text)
        if wait:
            ack = app.ack(seq)
            if not ack["ok"]:
                raise RuntimeError(f"edit failed: {ack.get('error')}")
            acked.append(ack["t_done"])
        return seq

    data_dir = "data"
    if break_autosave:
        data_dir = "not-a-folder"
        (workdir / data_dir).write_text("a file where the data folder should be", encoding="utf-8")
    app = App(workdir, doc_path, "no", data_dir)
    try:
        state = app.wait_loaded()
        if state["autosave_delay_ms"] != DELAY_MS:
            raise RuntimeError(f"autosave delay is {state['autosave_delay_ms']} ms, not {DELAY_MS}")
        for _ in range(rng.randint(4, 14)):
            action = rng.random()
            if action < 0.7:
                edit(app, wait=True)
            elif action < 0.85:
                ack = app.call("save")
                save_s = _SAVE_S[cues] = max(save_s, ack["t_done"] - ack["t_received"])
                disk_ok = [model.file_bytes()]
                if doc_path.read_bytes() != disk_ok[0]:
                    raise RuntimeError("a completed save wrote other bytes than the core renders")
            else:
                app.call("autosave-now")
            time.sleep(rng.uniform(0, 1.5 * DELAY_MS / 1000))
        if phase == "idle":
            time.sleep(DELAY_MS / 1000 + SLACK_S + rng.uniform(0, 0.5))
        elif phase == "edit":
            edit(app, wait=False)
            time.sleep(rng.uniform(0, 0.05))
        elif phase == "save":
            disk_ok.append(model.file_bytes())
            app.wait_begin(app.send("save"))
            time.sleep(rng.uniform(0, 1.2 * save_s))
        elif phase == "save-write":  # aim at the write itself: its temporary file exists
            disk_ok.append(model.file_bytes())
            app.send("save")
            _wait_for_temp(workdir, app)
            time.sleep(rng.uniform(0, 0.005))
        elif phase == "autosave-write":
            app.send("autosave-now")
            _wait_for_temp(workdir / "data", app)
            time.sleep(rng.uniform(0, 0.005))
        else:
            app.wait_begin(app.send("autosave-now"))
            time.sleep(rng.uniform(0, 2 * save_s))  # the project format is written on a worker
        killed_at = app.kill()
    except BaseException:
        app.kill()
        raise
    result.edits = len(model.states) - 1
    result.required = sum(1 for t in acked if t < killed_at - DELAY_MS / 1000 - SLACK_S)
    result.mid_write = any(workdir.rglob(".~*.tmp"))  # atomic_write's temporary files

    on_disk = doc_path.read_bytes()
    if on_disk not in disk_ok:
        result.disk = "torn"
        result.problems.append(f"file on disk is neither version ({len(on_disk)} bytes)")
        result.bytes_lost += max(len(v) for v in disk_ok)
    elif len(disk_ok) > 1 and on_disk == disk_ok[-1] and on_disk != disk_ok[0]:
        result.disk = "new"

    again = App(workdir, doc_path, "yes", data_dir)
    try:
        again.wait_loaded()
        texts = again.call("texts")["texts"]
    finally:
        again.kill()
    matches = [k for k, state in enumerate(model.states) if state == texts]
    if not matches:
        result.problems.append("recovered document matches no prefix of the edits")
        final = model.states[-1]
        result.bytes_lost += sum(len(a.encode()) for a, b in zip(final, texts, strict=False) if a != b)
    else:
        result.recovered = k = max(matches)
        if k < result.required:
            result.problems.append(f"edits {k + 1}..{result.required} were older than the delay but lost")
            result.bytes_lost += sum(
                len(model.states[i + 1][_changed_row(model, i)].encode()) for i in range(k, result.required)
            )
        if k < len(acked):
            result.oldest_lost_s = killed_at - acked[k]
    result.survived = not result.problems
    return result


def _wait_for_temp(folder: pathlib.Path, app: App, timeout_s: float = 5.0) -> bool:
    """Poll until atomic_write's temporary file appears under `folder`; False on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and app.proc.poll() is None:
        for _root, _dirs, files in os.walk(folder):
            if any(name.startswith(".~") and name.endswith(".tmp") for name in files):
                return True
        time.sleep(0.0002)
    return False


def _changed_row(model: Model, i: int) -> int:
    """Row changed by edit i (0-based), found by comparing the states around it."""
    before, after = model.states[i], model.states[i + 1]
    return next((r for r, (a, b) in enumerate(zip(before, after, strict=True)) if a != b), 0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=50)
    parser.add_argument("--cues", type=int, default=4000, help="cues in the document (bigger: slower saves)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", metavar="DIR", help="keep every run's folder (logs, files) here")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    root = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="cueline-soak-"))
    root.mkdir(parents=True, exist_ok=True)
    base = root / "base.srt"
    make_srt(base, args.cues)
    print(f"kill soak: {args.runs} runs, {args.cues} cues, seed {seed}, autosave delay {DELAY_MS} ms")
    results: list[RunResult] = []
    start = time.perf_counter()
    for run in range(args.runs):
        try:
            res = run_once(run, root / f"run-{run:03d}", base, rng)
        except RuntimeError as exc:
            res = RunResult(run, "?", survived=False, problems=[f"driver: {exc}"])
        results.append(res)
        print(res.line(), flush=True)
    survived = sum(r.survived for r in results)
    lost = sum(r.bytes_lost for r in results)
    by_phase = {p: sum(1 for r in results if r.phase == p) for p in PHASES}
    in_save = [r for r in results if r.phase in ("save", "save-write")]
    disks = {d: sum(1 for r in in_save if r.disk == d) for d in ("old", "new", "torn")}
    print(
        f"\nkills survived: {survived}/{len(results)}; bytes lost: {lost}; "
        f"kills by phase: {by_phase}; mid-write kills: {sum(r.mid_write for r in results)}; "
        f"file after a kill during a save: {disks['old']} old, {disks['new']} new, {disks['torn']} torn; "
        f"edits: {sum(r.edits for r in results)}, required {sum(r.required for r in results)}; "
        f"oldest unrecovered edit: {max((r.oldest_lost_s for r in results), default=0):.2f} s "
        f"(limit {DELAY_MS / 1000 + SLACK_S:.1f} s); {time.perf_counter() - start:.0f} s"
    )
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if survived == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
