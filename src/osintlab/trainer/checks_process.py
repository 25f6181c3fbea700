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
  child replays the cells that ran before and goes on with the next cell;
* each child runs in its own process group, killed when it ends (nothing it started lives on
  into the next submission), and what it left in the sandbox's ``/tmp`` is removed; every
  message carries the request's id, so a run cut short never feeds the next one.

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
import shutil
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


#: Text a cell may print before the rest is cut (a kernel's output would go on into the
#: notebook; the feedback shows a bounded part of it anyway).
STREAM_MAX = 1 << 20


class _Stream:
    """``sys.stdout`` / ``sys.stderr`` of a cell: text becomes a ``stream`` output.

    Text is kept as a list of pieces (joined once the cell ends) and cut after
    :data:`STREAM_MAX` characters per cell. Output a C library writes to file descriptor 1 or
    2 is not collected (it goes to ``/dev/null``): the checks print through Python."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, shell, name, budget):
        self.shell, self.name, self.budget = shell, name, budget

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        n = len(text)
        if text and self.budget[0] > 0:
            if n > self.budget[0]:
                text = text[: self.budget[0]] + "\n[... output cut ...]\n"
            self.budget[0] -= n
            outs = self.shell.outputs
            if outs and outs[-1]["output_type"] == "stream" and outs[-1]["name"] == self.name:
                outs[-1]["text"].append(text)
            else:
                outs.append({"output_type": "stream", "name": self.name, "text": [text]})
        return n

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
    budget = [STREAM_MAX]  # shared by stdout and stderr
    sys.stdout, sys.stderr = _Stream(shell, "stdout", budget), _Stream(shell, "stderr", budget)
    try:
        shell.run_cell(source, store_history=True)
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    for out in shell.outputs:
        if out["output_type"] == "stream":
            out["text"] = "".join(out["text"])
    return shell.outputs


def _send(fd: int, msg: dict) -> None:
    data = (json.dumps(msg, default=str) + "\n").encode()
    while data:
        data = data[os.write(fd, data) :]


class _Lines:
    """Read newline-ended JSON messages from a file descriptor, with a deadline."""

    def __init__(self, fd: int):
        self.fd = fd
        self.parts: list[bytes] = []  # the start of the next message (no newline in them)
        self.ready: list[bytes] = []  # whole messages read, not yet returned

    def read(self, timeout: float | None = None):
        """The next message; ``None`` at end of file; ``TimeoutError`` past the deadline."""
        end = None if timeout is None else time.monotonic() + timeout
        while not self.ready:
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None
            *whole, rest = chunk.split(b"\n")  # only the new bytes are searched
            if whole:
                self.ready += [b"".join([*self.parts, whole[0]]), *whole[1:]]
                self.parts = []
            if rest:
                self.parts.append(rest)
        return json.loads(self.ready.pop(0))


def _error(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [evalue]}


def _child(shell, cells, replay, start, fd, cwd, inherited) -> None:
    """In the fork: replay the cells that ran before (outputs dropped), then run the rest."""
    try:
        os.setpgid(0, 0)  # its own group: whatever it starts is stopped with it
        for other in inherited:  # the protocol is the parent's alone
            os.close(other)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(cwd)  # a link: this submission's folder
        for k in replay:
            _run_cell(shell, cells[k]["source"])
        for k in range(start, len(cells)):
            _send(fd, {"cell": k, "outputs": _run_cell(shell, cells[k]["source"])})
    finally:
        os._exit(0)


def _stop_group(pid: int) -> None:
    """Kill what is left of a fork's process group (it may have started processes)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_submission(
    shell,
    out_fd: int,
    cells: list,
    timeout: float,
    max_restarts: int,
    cwd: str,
    inherited=(),
    tag=None,
) -> None:
    """Run ``cells`` in forks of this process, one fork unless a cell times out or dies.

    Every message sent carries ``tag`` (the request's id)."""
    tag = tag or {}
    ran: list[int] = []  # cells that ran to the end (with or without an error output)
    k, restarts = 0, 0
    while k < len(cells):
        if restarts > max_restarts:
            for j in range(k, len(cells)):
                _send(
                    out_fd,
                    {
                        **tag,
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
            _child(shell, cells, list(ran), k, w, cwd, inherited)
        try:
            os.setpgid(pid, pid)  # as the child does: no race with the kill below
        except OSError:
            pass  # the child did it first (or has already ended)
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
                            **tag,
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
                            **tag,
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
                _send(out_fd, {**msg, **tag})
                ran.append(k)
                k += 1
                grace = timeout
        finally:
            os.close(r)
            _stop_group(pid)
            os.waitpid(pid, 0)


def _tidy_tmp(keep: set) -> None:
    """Remove what a submission's checks left in the sandbox's own ``/tmp`` (the entries
    there after the setup cells stay): the next submission starts from the same ``/tmp``."""
    for name in set(os.listdir("/tmp")) - keep:
        path = os.path.join("/tmp", name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def serve() -> None:
    """The checks process (run inside the sandbox): setup once, then one fork per request.

    Messages, one JSON object per line: in ``{"setup": [source, ...], "own_tmp": bool}`` →
    out ``{"setup": [outputs, ...]}``; in ``{"run": [{"source": ...}, ...], "timeout": s,
    "id": n}`` → out ``{"id": n, "cell": k, "outputs": [...], "incident"?: ...}`` per cell,
    then ``{"id": n, "done": true}``. ``own_tmp``: ``/tmp`` is the sandbox's own (tidied after
    every submission); never set outside a sandbox."""
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # a C library writing to fd 1 must not break the messages
        os.dup2(devnull, fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lines = _Lines(proto_in)
    shell = _shell()
    tmp_after_setup = None
    while True:
        msg = lines.read()
        if msg is None or msg.get("close"):
            return
        if "setup" in msg:
            _send(proto_out, {"setup": [_run_cell(shell, s) for s in msg["setup"]]})
            if msg.get("own_tmp"):
                tmp_after_setup = set(os.listdir("/tmp"))
        elif "run" in msg:
            tag = {"id": msg.get("id")}
            try:
                _run_submission(
                    shell,
                    proto_out,
                    msg["run"],
                    float(msg.get("timeout", 120)),
                    int(msg.get("max_restarts", 3)),
                    msg.get("cwd") or os.getcwd(),
                    inherited=(proto_in, proto_out),
                    tag=tag,
                )
            finally:
                if tmp_after_setup is not None:
                    _tidy_tmp(tmp_after_setup)
            _send(proto_out, {**tag, "done": True})


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
        self._runs = 0
        # inside the sandbox /tmp is the process's own: tidied after each submission
        self._send({"setup": list(setup), "own_tmp": bool(box.isolate)})

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
        self._runs += 1
        run_id = self._runs
        got: dict[int, tuple] = {}
        try:
            self.setup_outputs()
            self._send(
                {
                    "run": [{"source": s} for s in cells],
                    "timeout": timeout,
                    "max_restarts": max_restarts,
                    "cwd": self.box.work,
                    "id": run_id,
                }
            )
            # the fork replays cells after a restart: allow every cell its limit twice, and more
            wait = 2 * timeout * (len(cells) + 1) + 60
            while True:
                msg = self._read(wait)
                if msg.get("id") != run_id:  # never another submission's outputs
                    continue
                if msg.get("done"):
                    break
                got[int(msg["cell"])] = (msg.get("outputs", []), msg.get("incident"))
        except BaseException:
            # interrupted half way (Ctrl-C, an error here): its answers must not be left
            # unread for the next submission; the next call starts a new process
            self._stop()
            raise
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
