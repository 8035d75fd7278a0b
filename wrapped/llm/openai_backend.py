"""`OpenAIBackend`: the Backend that writes a story through any OpenAI-compatible endpoint."""

from __future__ import annotations

from typing import Any

from wrapped.errors import ConfigError
from wrapped.llm.client import ChatClient
from wrapped.settings import Settings
from wrapped.story import Draft, DraftResult, WriteJob


class OpenAIBackend:
    """Sends the job's prompt, asks for a `Draft`, returns it with usage.

    `name` is "openai" for any OpenAI-compatible endpoint; `settings.backend` may say
    "scripted" or "local", which only changes `name` so outputs say plainly who wrote them.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        base_url: str | None = None,
        model: str | None = None,
        client: ChatClient | None = None,
        name: str | None = None,
    ) -> None:
        self.settings = settings
        self.client = client or ChatClient(settings, base_url=base_url, model=model)
        self.model = model or self.client.model
        self.name = name or (settings.backend if settings.backend != "embedded" else "openai")

    reads_prompt = True

    async def write(self, job: WriteJob) -> DraftResult:
        prompt = job.prompt
        if prompt is None:
            raise ConfigError(f"the {self.name} backend was handed no prompt to send")
        params = _model_params(prompt.params)
        # a value the user set explicitly (CLI, env, config) beats the prompt's tested default
        for name in ("temperature", "max_tokens"):
            if name in self.settings.model_fields_set:
                params[name] = getattr(self.settings, name)
        done = await self.client.complete(
            prompt.messages,
            schema=Draft,
            model=self.model,
            params=params,
            user_id=job.request.user_year.user_id,
            cache=self.settings.cache,
        )
        return DraftResult(
            draft=done.parsed,
            backend=self.name,
            model=done.model or self.model,
            usage=done.usage,
            prompt_version=prompt.version,
            prompt_hash=prompt.version_hash,
        )

    async def aclose(self) -> None:
        await self.client.aclose()


#: prompt-metadata params that are request fields (anything else in the metadata is ignored)
_REQUEST_PARAMS = ("temperature", "top_p", "max_tokens", "presence_penalty", "frequency_penalty")


def _model_params(intended: dict[str, Any]) -> dict[str, Any]:
    """The prompt version's intended request params (the prompt engineer's tested values;
    settings supply the defaults underneath). Other metadata keys are not request fields."""
    return {k: intended[k] for k in _REQUEST_PARAMS if k in intended}
