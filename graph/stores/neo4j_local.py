"""Start, stop and query the local Neo4j of `tools/neo4j/neo4j.sh`, for the CLI and the tests.

The script does the work (fetches the jars once, starts a real Neo4j 5 on a free local port
with its data in a temporary folder); this module only runs it and reads what it prints.
A state directory identifies one server: `start(state_dir)` twice returns the running one.
"""
from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rekg.graph.errors import StoreError

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "neo4j" / "neo4j.sh"


@dataclass(frozen=True)
class ServerInfo:
    """How to reach a server: the three values of NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD."""

    uri: str
    user: str
    password: str

    def env_lines(self) -> str:
        """Shell lines that set and export the three variables, for `eval "$(rekg neo4j start)"`.

        >>> print(ServerInfo("bolt://127.0.0.1:7687", "neo4j", "it's").env_lines())
        export NEO4J_URI=bolt://127.0.0.1:7687
        export NEO4J_USER=neo4j
        export NEO4J_PASSWORD='it'"'"'s'
        """
        return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in self.env().items())

    def env(self) -> dict[str, str]:
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}


@dataclass(frozen=True)
class ServerStatus:
    """Whether the server of a state directory runs, and where."""

    running: bool
    uri: str | None = None
    pid: int | None = None


def parse_env(text: str) -> ServerInfo:
    """Read the NEO4J_* lines of `neo4j.sh start` (KEY=value) or of `env_lines` (export
    KEY=quoted); other lines are ignored.

    >>> parse_env("NEO4J_URI=bolt://h:1\\nNEO4J_USER=neo4j\\nNEO4J_PASSWORD=a=b\\n")
    ServerInfo(uri='bolt://h:1', user='neo4j', password='a=b')
    >>> info = ServerInfo("bolt://h:1", "neo4j", "a b'c")
    >>> parse_env(info.env_lines()) == info
    True
    """
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("export "):
            words = shlex.split(line)
            line = words[1] if len(words) == 2 else ""
        key, sep, value = line.partition("=")
        if sep and key in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
            values[key] = value
    missing = [k for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD") if k not in values]
    if missing:
        raise StoreError(f"neo4j.sh start printed no {', '.join(missing)}")
    return ServerInfo(values["NEO4J_URI"], values["NEO4J_USER"], values["NEO4J_PASSWORD"])


def parse_status(text: str) -> ServerStatus:
    """Read `neo4j.sh status`: 'running URI pid N' or 'stopped'.

    >>> parse_status("running bolt://127.0.0.1:7687 pid 42\\n")
    ServerStatus(running=True, uri='bolt://127.0.0.1:7687', pid=42)
    >>> parse_status("stopped\\n")
    ServerStatus(running=False, uri=None, pid=None)
    """
    words = text.split()
    if len(words) == 4 and words[0] == "running" and words[2] == "pid":
        return ServerStatus(True, words[1], int(words[3]))
    return ServerStatus(False)


def _run(command: str, args: list[str], state_dir: str | os.PathLike[str] | None,
         echo: bool) -> subprocess.CompletedProcess[str]:
    if not SCRIPT.is_file():
        raise StoreError(f"{SCRIPT} is missing: the local Neo4j launcher comes with a rekg checkout")
    argv = ["bash", str(SCRIPT), command, *args]
    if state_dir is not None:
        argv += ["--state", str(state_dir)]
    # stderr carries the script's progress ("fetching jars ...", "started ..."): shown live
    # when `echo`, otherwise kept for the error message
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=None if echo else subprocess.PIPE, text=True, check=False)


def _failure(command: str, done: subprocess.CompletedProcess[str]) -> StoreError:
    lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
    why = lines[-1].removeprefix("neo4j.sh: ") if lines else "see the messages above"
    return StoreError(f"neo4j.sh {command} failed (exit {done.returncode}): {why}")


def fetch(echo: bool = False) -> None:
    """Build the launcher and fetch the Neo4j jars into the cache, once."""
    done = _run("fetch", [], None, echo)
    if done.returncode != 0:
        raise _failure("fetch", done)


def start(state_dir: str | os.PathLike[str] | None = None, *, data_dir: str | os.PathLike[str] | None = None,
          port: int | None = None, password: str | None = None, echo: bool = False) -> ServerInfo:
    """Start the server of `state_dir` (default $REKG_NEO4J_STATE, else the script's) if it is
    not running, and return how to reach it.

    `data_dir` keeps the database there (default: a temporary folder removed by `stop`).
    """
    args: list[str] = []
    if data_dir is not None:
        args += ["--data", str(data_dir)]
    if port is not None:
        args += ["--port", str(port)]
    if password is not None:
        args += ["--password", password]
    done = _run("start", args, state_dir, echo)
    if done.returncode != 0:
        raise _failure("start", done)
    return parse_env(done.stdout)


def stop(state_dir: str | os.PathLike[str] | None = None, echo: bool = False) -> None:
    """Stop the server of `state_dir` (a clean shutdown; SIGKILL after a minute)."""
    done = _run("stop", [], state_dir, echo)
    if done.returncode != 0:
        raise _failure("stop", done)


def status(state_dir: str | os.PathLike[str] | None = None) -> ServerStatus:
    """Whether the server of `state_dir` runs; its URI and process id when it does."""
    done = _run("status", [], state_dir, False)
    if done.returncode not in (0, 3):
        raise _failure("status", done)
    return parse_status(done.stdout)
