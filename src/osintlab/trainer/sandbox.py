"""Run a grading kernel inside bubblewrap (``bwrap``), with resource limits.

The cohort grader starts every trainee's kernel (and the kernel that runs the checks) through
:class:`SandboxKernelManager`, a ``jupyter_client`` kernel manager whose kernel command is
wrapped by :meth:`Box.wrap`:

* a new mount namespace in which only the system folders (``/usr``, ``/etc``, ...), the Python
  installation, the folders on ``sys.path`` (the ``osintlab`` package, site-packages) and the
  datasets are visible, all **read-only**; the course (its ``solutions/`` masters), the
  gradebook, the ``--out`` folder and the other trainees' scratch folders are not there at all;
* a private writable scratch folder ``/scratch`` (``work`` = the kernel's current folder,
  ``home`` = ``HOME``, ``tmp`` = ``TMPDIR`` and ``/tmp``);
* ``--unshare-net`` (no network: the kernel talks to the grader over Unix sockets, zmq's
  ``ipc`` transport), ``--unshare-pid --die-with-parent`` (when the kernel ends, every process
  it started ends too: a daemon cannot outlive its notebook);
* an unprivileged user of its own (uid 200000 + the grading worker's pid, so two workers
  never share one) when the grader runs as root, and ``setrlimit`` limits on memory (address
  space), file size, open files and CPU seconds (:class:`Limits`), set in the sandboxed process
  before the kernel starts; the process limit needs that user of its own, so it applies only
  when grading as root (a trainer grading as themselves relies on the pid namespace, which
  ends every process with the notebook).

The checks sandbox of :mod:`osintlab.trainer.checks_process` lives across submissions: with
``Box(switchable=True)`` it binds the folder of trainees' scratch folders (read-only) and of
checks folders, and ``/scratch`` and ``/checks`` are links the grader points at the submission
being checked.

Where ``bwrap`` is missing or does not work (no user namespaces, macOS, Windows) :func:`probe`
says why; the grader then runs the kernels without a sandbox and says plainly, in
``grades.csv``, the report and on the console, that grading was NOT isolated. The separation of
answers and checks (:mod:`osintlab.trainer.answers`) and the integrity check of the trainer's
files apply either way.

    >>> Limits().as_args()[:2]
    ['--as', '4096']
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import zmq.asyncio
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

__all__ = [
    "Limits",
    "Box",
    "probe",
    "SandboxKernelManager",
    "manager_class",
    "socket_folder",
    "NOT_ISOLATED",
]

NOT_ISOLATED = "NOT isolated"

#: Where the checks kernel sees the trainer's grading keys (``osintlab grade`` with a secret
#: cohort seed); the trainee's kernel never sees them.
KEYS_INSIDE = "/keys/answer_keys.json"

#: System folders bound read-only when they exist.
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt")

#: The sandboxed launcher: set rlimits, drop to an unprivileged user, exec the kernel.
#: Runs with ``python -S -E`` (no site, no environment), so nothing of the trainee's can
#: change it.
LAUNCHER = r"""
import os, resource, sys
a = sys.argv[1:]
i = a.index("--")
opts, cmd = a[:i], a[i + 1:]
o = dict(zip(opts[::2], opts[1::2]))
def lim(r, v):
    v = int(v)
    try:
        resource.setrlimit(r, (v, v))
    except (ValueError, OSError):
        soft, hard = resource.getrlimit(r)
        resource.setrlimit(r, (min(v, hard) if hard >= 0 else v, hard))
MB = 1024 * 1024
lim(resource.RLIMIT_AS, int(o["--as"]) * MB)
lim(resource.RLIMIT_FSIZE, int(o["--fsize"]) * MB)
lim(resource.RLIMIT_CPU, o["--cpu"])
lim(resource.RLIMIT_NOFILE, o["--nofile"])
lim(resource.RLIMIT_CORE, 0)
uid = int(o.get("--uid", "-1"))
if uid >= 0:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    # per user: only meaningful for a uid of its own (a trainer's own uid runs their desktop)
    lim(resource.RLIMIT_NPROC, o["--nproc"])
os.execv(cmd[0], cmd)
"""


@dataclass
class Limits:
    """Resource limits of one sandboxed kernel (and everything it starts)."""

    memory_mb: int = 4096  # address space per process
    processes: int = 256  # processes and threads of the sandbox's user
    file_mb: int = 512  # largest file it may write
    cpu_seconds: int = 900  # CPU time per process
    open_files: int = 1024
    notebook_seconds: int = 900  # wall clock for the whole notebook (see IsolatedExecute)

    def as_args(self) -> list[str]:
        return [
            "--as",
            str(self.memory_mb),
            "--fsize",
            str(self.file_mb),
            "--cpu",
            str(self.cpu_seconds),
            "--nofile",
            str(self.open_files),
            "--nproc",
            str(self.processes),
        ]


def _bwrap() -> str | None:
    return shutil.which("bwrap") or ("/usr/bin/bwrap" if Path("/usr/bin/bwrap").is_file() else None)


def _python_path() -> str:
    """``$PYTHONPATH`` as absolute folders. Python made the entries of ``sys.path`` absolute
    at start-up; nbgrader changes the working folder later, so relative entries in the
    environment (``PYTHONPATH=src``) would point elsewhere by now."""
    prefixes = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
    keep = [
        p
        for p in sys.path
        if p and os.path.isabs(p) and os.path.isdir(p) and not p.startswith(prefixes)
    ]
    return os.pathsep.join(dict.fromkeys(keep))


def _read_only_paths(extra=()) -> list[str]:
    paths = [p for p in SYSTEM if os.path.isdir(p)]
    cwd = os.path.realpath(os.getcwd())
    for p in [sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path, *extra]:
        if not p or not os.path.isabs(p):
            continue
        rp = os.path.realpath(p)
        if not os.path.exists(rp) or rp == cwd or rp == "/":
            continue
        if p not in extra and any(
            os.path.exists(os.path.join(rp, n)) for n in ("nbgrader_config.py", "solutions")
        ):
            continue  # a course checkout on sys.path: its masters must stay out of view
        if os.path.isfile(rp):  # python311.zip and friends
            rp = os.path.dirname(rp)
            if not os.path.isdir(rp):
                continue
        paths.append(rp)
    # keep the outermost of nested folders (a bind below a bind is redundant)
    out: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p == q or p.startswith(q.rstrip("/") + "/") for q in out):
            out.append(p)
    return out


@dataclass
class Box:
    """One sandbox: its scratch folder on the host and how to wrap a command into it."""

    scratch: Path  # host folder mounted as /scratch (work, home, tmp inside)
    sockets: Path  # host folder for the kernel's connection file and ipc sockets
    datasets: str = ""
    limits: Limits = field(default_factory=Limits)
    uid: int = -1  # drop to this uid inside (only when the grader is root)
    isolate: bool = True  # False: no bwrap (the grader says NOT isolated)
    read_only_extra: tuple = ()  # more host folders to show read-only
    visible: dict = field(default_factory=dict)  # host folder -> path inside, read-only
    scratch_read_only: bool = False
    checks: Path | None = None  # the checks kernel's own writable folder (then /checks)
    keys: str = ""  # the trainer's grading keys file, for the checks kernel only (then /keys)
    #: ``scratch`` and ``checks`` are links (``<area>/current``) the grader points at another
    #: submission's folders while the sandbox runs (:mod:`osintlab.trainer.checks_process`):
    #: the areas are bound, ``/scratch`` and ``/checks`` are links into them
    switchable: bool = False

    def __post_init__(self):
        self.scratch = Path(self.scratch)
        self.sockets = Path(self.sockets)
        if self.checks is not None:
            self.checks = Path(self.checks)
            self.scratch_read_only = True
        own = self._own_host()
        for sub in ("work", "home", "tmp"):
            (own / sub).mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self.uid >= 0 and self.isolate:
            for p in (own, *(own / s for s in ("work", "home", "tmp"))):
                os.chown(p, self.uid, self.uid)
            os.chown(self.sockets, self.uid, self.uid)

    def _own_host(self) -> Path:
        return self.checks if self.checks is not None else self.scratch

    def _own(self) -> str:
        """The writable folder as the kernel sees it."""
        if not self.isolate:
            return str(self._own_host())
        return "/checks" if self.checks is not None else "/scratch"

    def scratch_path(self, host: Path) -> str:
        """A host path inside the trainee's scratch folder, as the kernels see it."""
        rel = Path(host).relative_to(self.scratch)
        return str(Path("/scratch") / rel) if self.isolate else str(host)

    # paths the kernel sees
    @property
    def work(self) -> str:
        return self._own() + "/work"

    def env(self) -> dict[str, str]:
        home = self._own() + "/home"
        tmp = self._own() + "/tmp"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "TMPDIR": tmp,
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "MPLBACKEND": "agg",
            "PYTHONNOUSERSITE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        if os.environ.get("PYTHONPATH"):
            env["PYTHONPATH"] = _python_path()
        if self.datasets:
            env["OSINTLAB_DATA"] = str(self.datasets)
        if self.keys:
            env["OSINTLAB_KEYS"] = KEYS_INSIDE if self.isolate else self.keys
        return env

    def wrap(self, cmd: list[str]) -> list[str]:
        """The kernel command ``cmd`` run inside this sandbox, with its limits."""
        launcher = [sys.executable, "-S", "-E", "-c", LAUNCHER, *self.limits.as_args()]
        if self.uid >= 0 and self.isolate:
            launcher += ["--uid", str(self.uid)]
        launcher += ["--", *cmd]
        if not self.isolate:
            return launcher
        args = [
            _bwrap(),
            "--die-with-parent",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--hostname",
            "osintlab-sandbox",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/run",
        ]
        # /tmp first: folders bound below come on top of it (pytest's and the grader's
        # temporary folders live in /tmp on the host)
        if self.scratch_read_only:
            args += ["--tmpfs", "/tmp"]
        else:
            args += ["--bind", str(self.scratch / "tmp"), "/tmp"]
        extra = [self.datasets] if self.datasets else []
        ro = _read_only_paths([*extra, *self.read_only_extra])
        # bwrap creates missing parents as 0700 (root only); the unprivileged kernel must be
        # able to walk through them (/root/.pyenv/...), so create them 0755 first.
        parents = sorted(
            {str(q) for p in [*ro, str(self.sockets)] for q in Path(p).parents if str(q) != "/"},
            key=lambda x: (x.count("/"), x),
        )
        for d in parents:
            if d != "/tmp" and not any(d == s or d.startswith(s + "/") for s in SYSTEM):
                args += ["--perms", "0755", "--dir", d]
        for p in ro:
            args += ["--ro-bind", p, p]
        bind = "--ro-bind" if self.scratch_read_only else "--bind"
        if self.switchable and self.checks is not None:
            args += [bind, str(self.scratch.parent), "/osl-t", "--bind", str(self.checks.parent)]
            args += ["/osl-c", "--symlink", f"/osl-t/{self.scratch.name}", "/scratch"]
            args += ["--symlink", f"/osl-c/{self.checks.name}", "/checks"]
        else:
            args += [bind, str(self.scratch), "/scratch"]
            if self.checks is not None:
                args += ["--bind", str(self.checks), "/checks"]
        if self.keys:
            args += ["--perms", "0755", "--dir", os.path.dirname(KEYS_INSIDE)]
            args += ["--ro-bind", self.keys, KEYS_INSIDE]
        for host, inside in self.visible.items():
            args += ["--ro-bind", str(host), inside]
        args += ["--bind", str(self.sockets), str(self.sockets)]
        args += ["--chdir", self.work, "--clearenv"]
        for k, v in self.env().items():
            args += ["--setenv", k, v]
        return [*args, "--", *launcher]


#: The longest temporary folder the kernels' ipc sockets go in: a Unix socket's path may be at
#: most 107 bytes long (Linux), and ``/osl-k-XXXXXXXX/kc/k-65535`` adds 27 to it.
SOCKET_TMP_MAX = 60


def socket_folder() -> Path:
    """A new folder for one notebook's connection files and ipc sockets, on a path short
    enough for a Unix socket: in the temporary folder, or in ``/tmp`` when the temporary
    folder is nested deep (a test session's, a scratch course's)."""
    tmp = tempfile.gettempdir()
    if len(tmp) > SOCKET_TMP_MAX and os.access("/tmp", os.W_OK):
        tmp = "/tmp"
    folder = Path(tempfile.mkdtemp(prefix="osl-k-", dir=tmp))
    os.chmod(folder, 0o755)
    return folder


def readable_datasets(datasets: str, dest: Path) -> str:
    """``datasets`` itself if every folder in it is open to other users, else a mirror in
    ``dest`` (folders 0755, files hard-linked, or copied when they are not world-readable)
    that the sandbox's unprivileged user can read. ``osintlab data build`` into a temporary
    folder makes 0700 folders."""
    src = Path(datasets)
    closed = False
    for dirpath, _dirs, _files in os.walk(src):
        if os.stat(dirpath).st_mode & 0o005 != 0o005:
            closed = True
            break
    if not closed:
        return str(src)
    for dirpath, _dirs, files in os.walk(src):
        target = dest / Path(dirpath).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        os.chmod(target, 0o755)
        for name in files:
            a, b = Path(dirpath) / name, target / name
            if os.stat(a).st_mode & 0o004:
                try:
                    os.link(a, b)
                    continue
                except OSError:
                    pass
            shutil.copy2(a, b)
            os.chmod(b, 0o644)
    os.chmod(dest, 0o755)
    return str(dest)


@functools.lru_cache(maxsize=1)
def probe() -> tuple[bool, str]:
    """(True, "") if bwrap can start a sandbox here, else (False, why not)."""
    exe = _bwrap()
    if exe is None:
        return False, "bubblewrap (bwrap) is not installed"
    if os.environ.get("OSINTLAB_NO_SANDBOX"):
        return False, "OSINTLAB_NO_SANDBOX is set"
    tmp = Path(tempfile.mkdtemp(prefix="osl-probe-"))
    try:
        box = Box(tmp / "s", tmp / "k", uid=65534 if os.geteuid() == 0 else -1)
        cmd = box.wrap([sys.executable, "-S", "-c", "import os; print(os.getuid())"])
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"bwrap does not start ({type(exc).__name__}: {exc})"
        if res.returncode != 0:
            err = (res.stderr or res.stdout).strip().splitlines()
            return False, "bwrap does not work here: " + (
                err[-1] if err else f"exit {res.returncode}"
            )
        return True, ""
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def grading_context() -> zmq.asyncio.Context:
    """The one zmq context every grading kernel manager and client of this process uses.

    ``jupyter_client`` gives each manager and each client a context of its own and destroys
    it when the object is collected. After a kernel restart or a timeout a client can become
    garbage in a reference cycle together with its sockets; the collector then clears the
    context's weak list of sockets before the sockets are closed, and the context's
    ``destroy()`` waits for them for ever (a grading worker hung this way in CI). A context
    that lives as long as the process is never destroyed by the collector: a leaked socket is
    just closed on its own. The context is never terminated (the process ends instead).
    """
    return zmq.asyncio.Context.instance()


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in a :class:`Box` and talks over ipc sockets."""

    box: Box | None = None  # set on the subclass made by manager_class()

    @default("context")
    def _grading_context(self):
        return grading_context()  # _created_context stays False: nobody destroys it

    def client(self, **kwargs):
        kwargs.setdefault("context", grading_context())
        return super().client(**kwargs)

    def __init__(self, **kwargs):
        box = type(self).box
        if box is not None:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(box.sockets / "k"))
            kwargs.setdefault(
                "connection_file", str(box.sockets / f"kernel-{uuid.uuid4().hex[:8]}.json")
            )
        kwargs["kernel_name"] = "python3"  # never the kernel a submission names
        super().__init__(**kwargs)

    def write_connection_file(self, **kwargs):
        result = super().write_connection_file(**kwargs)
        box = type(self).box
        if (
            box is not None
            and box.isolate
            and box.uid >= 0
            and os.path.exists(self.connection_file)
        ):
            os.chown(self.connection_file, box.uid, box.uid)
        return result

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        box = type(self).box
        if box is not None and box.isolate and self.kernel_spec is not None:
            # A signal to bwrap does not reach the kernel in its own pid namespace; ipykernel
            # interrupts itself on an interrupt_request message instead.
            self.kernel_spec.interrupt_mode = "message"
        return box.wrap(cmd) if box is not None else cmd

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        box = type(self).box
        if box is not None:
            env = dict(kw.get("env") or os.environ)
            env.pop("OSINTLAB_KEYS", None)  # only the checks kernel reads the grading keys
            # outside the sandbox (no bwrap) the kernel still gets the private HOME/TMPDIR
            env.update(box.env())
            kw["env"] = env
            kw["stdout"] = kw["stderr"] = subprocess.DEVNULL  # start-up chatter
            if box.isolate:
                kw.pop("cwd", None)
            else:
                kw["cwd"] = box.work
        return await super()._async_launch_kernel(kernel_cmd, **kw)


def manager_class(box: Box) -> type:
    """A :class:`SandboxKernelManager` subclass bound to ``box`` (for nbclient's
    ``kernel_manager_class``)."""
    return type("BoxedKernelManager", (SandboxKernelManager,), {"box": box})
