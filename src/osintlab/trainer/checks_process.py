"""One checks process per grading worker and module: the setup cells run once, each
submission's checks in a fresh fork.

:class:`~osintlab.trainer.preprocessors.IsolatedExecute` runs a notebook's test cells in a
kernel that has run only the locked setup cells. Starting that kernel and re-running the setup
(imports, loading the module's datasets) for every submission was most of the cost of isolated
grading. A :class:`ChecksProcess` does that work once:

* it starts inside the checks sandbox (:class:`~osintlab.trainer.sandbox.Box` with
  ``switchable=True``), runs the module's leading setup cells in an IPython shell and waits;
* for each submission the grader points ``/scratch`` (the trainee's files, read-only) and
  ``/checks`` (a fresh copy of the checks folder as the setup cells left it) at that
  submission's folders, and sends the cells to run: the later setup cells, and per test cell
  its answer loader and the test cell itself;
* the process forks; the child, which starts from the state right after the setup cells
  (never after another trainee's checks), runs the cells and sends their outputs back as
  notebook outputs (``stream``, ``display_data``, ``execute_result``, ``error``), which
  nbgrader scores exactly as it scores a kernel's;
* a cell over its time limit, or a child that dies, gets an error output and an incident
  note, as :class:`~osintlab.trainer.preprocessors.RobustExecute` gives a kernel; a new
  child replays the cells that ran before and goes on with the next cell.

The trainee's code never runs here: only answers (plain data) and the trainer's cells.

What the grader does → which function:

    get a process for a module's setup cells       checks_process(key, start)
    run one submission's checks                    ChecksProcess.run(cells, timeout)
    stop every process (end of a run, a test)      close_all()
"""

from __future__ import annotations

import base64
import json
import os
import select
import signal
import subprocess
import sys
import time

__all__ = ["ChecksProcess", "ChecksProcessError", "checks_process", "close_all", "serve"]

#: How the sandbox starts the process (run with the sandbox's Python).
SERVE = "from osintlab.trainer.checks_process import serve; serve()"

#: Processes kept per grading worker (one per module graded recently; tasks come in module
#: order, so a worker rarely needs an older one again).
KEEP = 2


class ChecksProcessError(RuntimeError):
    """The checks process did not start, or stopped answering."""


# ---------------------------------------------------------------------------------------------
# Inside the sandbox
# ---------------------------------------------------------------------------------------------


def _shell():
    """An IPython shell whose outputs are collected as notebook outputs in ``shell.outputs``."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    def _clean(data):
        return {
            k: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v
            for k, v in data.items()
        }

    class Hook(DisplayHook):
        def start_displayhook(self):
            pass

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            self.shell.outputs.append(
                {
                    "output_type": "execute_result",
                    "data": _clean(format_dict),
                    "metadata": md_dict or {},
                    "execution_count": self.shell.execution_count,
                }
            )

        def finish_displayhook(self):
            pass

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False):
            self.shell.outputs.append(
                {"output_type": "display_data", "data": _clean(data), "metadata": metadata or {}}
            )

        def clear_output(self, wait=False):
            self.shell.outputs.clear()

    class Shell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)

        def _showtraceback(self, etype, evalue, stb):
            self.outputs.append(
                {
                    "output_type": "error",
                    "ename": str(etype.__name__),
                    "evalue": str(evalue),
                    "traceback": list(stb),
                }
            )

    c = Config()
    c.HistoryManager.enabled = False
    c.InteractiveShell.colors = "NoColor"
    shell = Shell.instance(config=c)
    shell.outputs = []
    return shell


class _Stream:
    """``sys.stdout`` / ``sys.stderr`` of a cell: text becomes a ``stream`` output."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, shell, name):
        self.shell, self.name = shell, name

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            outs = self.shell.outputs
            if outs and outs[-1]["output_type"] == "stream" and outs[-1]["name"] == self.name:
                outs[-1]["text"] += text
            else:
                outs.append({"output_type": "stream", "name": self.name, "text": text})
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("a cell's output stream has no file descriptor")


def _run_cell(shell, source: str) -> list:
    shell.outputs = []
    sys.stdout, sys.stderr = _Stream(shell, "stdout"), _Stream(shell, "stderr")
    try:
        shell.run_cell(source, store_history=True)
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return shell.outputs


def _send(fd: int, msg: dict) -> None:
    data = (json.dumps(msg, default=str) + "\n").encode()
    while data:
        data = data[os.write(fd, data) :]


class _Lines:
    """Read newline-ended JSON messages from a file descriptor, with a deadline."""

    def __init__(self, fd: int):
        self.fd, self.buf = fd, b""

    def read(self, timeout: float | None = None):
        """The next message; ``None`` at end of file; ``TimeoutError`` past the deadline."""
        end = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)


def _error(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [evalue]}


def _child(shell, cells, replay, start, fd, cwd) -> None:
    """In the fork: replay the cells that ran before (outputs dropped), then run the rest."""
    try:
        os.chdir(cwd)  # a link: this submission's folder
        for k in replay:
            _run_cell(shell, cells[k]["source"])
        for k in range(start, len(cells)):
            _send(fd, {"cell": k, "outputs": _run_cell(shell, cells[k]["source"])})
    finally:
        os._exit(0)


def _run_submission(
    shell, out_fd: int, cells: list, timeout: float, max_restarts: int, cwd: str
) -> None:
    """Run ``cells`` in forks of this process, one fork unless a cell times out or dies."""
    ran: list[int] = []  # cells that ran to the end (with or without an error output)
    k, restarts = 0, 0
    while k < len(cells):
        if restarts > max_restarts:
            for j in range(k, len(cells)):
                _send(
                    out_fd,
                    {
                        "cell": j,
                        "outputs": [_error("NotRun", "not run: the checks kept failing earlier")],
                        "incident": "not run",
                    },
                )
            return
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _child(shell, cells, list(ran), k, w, cwd)
        os.close(w)
        lines = _Lines(r)
        grace = timeout * (1 + len(ran)) if ran else timeout  # the replay runs first
        try:
            while k < len(cells):
                try:
                    msg = lines.read(grace)
                except TimeoutError:
                    os.kill(pid, signal.SIGKILL)
                    _send(
                        out_fd,
                        {
                            "cell": k,
                            "outputs": [
                                _error(
                                    "CellTimeoutError",
                                    f"the cell did not finish in {timeout:g} s; it was stopped",
                                )
                            ],
                            "incident": "timeout",
                        },
                    )
                    k += 1
                    break
                if msg is None:  # the fork ended without finishing the cell
                    _send(
                        out_fd,
                        {
                            "cell": k,
                            "outputs": [
                                _error(
                                    "KernelRestarted",
                                    "the kernel died while running this cell; the kernel "
                                    "was restarted",
                                )
                            ],
                            "incident": "kernel died",
                        },
                    )
                    k, restarts = k + 1, restarts + 1
                    break
                _send(out_fd, msg)
                ran.append(k)
                k += 1
                grace = timeout
        finally:
            os.close(r)
            os.waitpid(pid, 0)


def serve() -> None:
    """The checks process (run inside the sandbox): setup once, then one fork per request.

    Messages, one JSON object per line: in ``{"setup": [source, ...]}`` → out
    ``{"setup": [outputs, ...]}``; in ``{"run": [{"source": ...}, ...], "timeout": s}`` → out
    ``{"cell": k, "outputs": [...], "incident"?: ...}`` per cell, then ``{"done": true}``."""
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # a C library writing to fd 1 must not break the messages
        os.dup2(devnull, fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lines = _Lines(proto_in)
    shell = _shell()
    while True:
        msg = lines.read()
        if msg is None or msg.get("close"):
            return
        if "setup" in msg:
            _send(proto_out, {"setup": [_run_cell(shell, s) for s in msg["setup"]]})
        elif "run" in msg:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # forks start with a normal SIGINT
            try:
                _run_submission(
                    shell,
                    proto_out,
                    msg["run"],
                    float(msg.get("timeout", 120)),
                    int(msg.get("max_restarts", 3)),
                    msg.get("cwd") or os.getcwd(),
                )
            finally:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            _send(proto_out, {"done": True})


# ---------------------------------------------------------------------------------------------
# On the grader's side
# ---------------------------------------------------------------------------------------------


class ChecksProcess:
    """A checks process in ``box`` that has run ``setup`` (the leading setup cells' sources).

    The setup runs while the caller goes on (the trainee's kernel runs meanwhile);
    :meth:`setup_outputs` waits for it."""

    def __init__(self, box, setup: list[str], startup_timeout: float = 120, cleanup=None):
        self.box, self.startup_timeout, self._cleanup = box, startup_timeout, cleanup
        env = dict(os.environ)
        env.pop("OSINTLAB_KEYS", None)
        env.update(box.env())
        self.proc = subprocess.Popen(
            box.wrap([sys.executable, "-c", SERVE]),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=None if box.isolate else box.work,
        )
        self._lines = _Lines(self.proc.stdout.fileno())
        self._setup: list | None = None
        self._send({"setup": list(setup)})

    def _send(self, msg: dict) -> None:
        try:
            self.proc.stdin.write((json.dumps(msg) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ChecksProcessError(f"the checks process is gone ({exc})") from exc

    def _read(self, timeout: float):
        try:
            msg = self._lines.read(timeout)
        except TimeoutError:
            self._stop()
            raise ChecksProcessError(
                f"the checks process did not answer in {timeout:g} s"
            ) from None
        if msg is None:
            code = self.proc.poll()
            self._stop()
            raise ChecksProcessError(f"the checks process ended (exit {code})")
        return msg

    def alive(self) -> bool:
        return self.proc.poll() is None

    def setup_outputs(self) -> list:
        """The outputs of the setup cells (waits for them the first time)."""
        if self._setup is None:
            self._setup = self._read(self.startup_timeout + 60)["setup"]
        return self._setup

    def run(self, cells: list[str], timeout: float, max_restarts: int = 3) -> list[tuple]:
        """Run ``cells`` (sources) in a fresh fork; ``[(outputs, incident or None), ...]``."""
        self.setup_outputs()
        self._send(
            {
                "run": [{"source": s} for s in cells],
                "timeout": timeout,
                "max_restarts": max_restarts,
                "cwd": self.box.work,
            }
        )
        got: dict[int, tuple] = {}
        # the fork replays cells after a restart: allow every cell its limit twice, and more
        wait = 2 * timeout * (len(cells) + 1) + 60
        while True:
            msg = self._read(wait)
            if msg.get("done"):
                break
            got[int(msg["cell"])] = (msg.get("outputs", []), msg.get("incident"))
        return [got.get(k, ([_error("NotRun", "not run")], "not run")) for k in range(len(cells))]

    def close(self) -> None:
        """Stop the process and remove its folders."""
        self._stop()
        if self._cleanup is not None:
            cleanup, self._cleanup = self._cleanup, None
            cleanup()

    def _stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


_PROCESSES: dict = {}  # key -> ChecksProcess, oldest first


def checks_process(key, start) -> ChecksProcess:
    """The live process for ``key``, or a new one from ``start()`` (the oldest beyond
    :data:`KEEP` is stopped)."""
    proc = _PROCESSES.pop(key, None)
    if proc is not None and not proc.alive():
        proc.close()
        proc = None
    if proc is None:
        if not _PROCESSES:
            _register_exit()
        proc = start()
    _PROCESSES[key] = proc
    while len(_PROCESSES) > KEEP:
        _PROCESSES.pop(next(iter(_PROCESSES))).close()
    return proc


def discard(key) -> None:
    """Stop the process for ``key`` (it failed)."""
    proc = _PROCESSES.pop(key, None)
    if proc is not None:
        proc.close()


def close_all() -> None:
    """Stop every checks process of this Python process."""
    while _PROCESSES:
        _PROCESSES.pop(next(iter(_PROCESSES))).close()


_registered = False


def _register_exit() -> None:
    # pool workers end with os._exit (no atexit): multiprocessing's finalizers still run
    global _registered
    if _registered:
        return
    import atexit
    from multiprocessing import util

    atexit.register(close_all)
    util.Finalize(None, close_all, exitpriority=10)
    _registered = True
