"""Two fixes to how Rasa 3.6 calls the action server, kept apart so an upgrade can drop them.

1. Rasa validates every action-server response by building a JSON-schema validator from scratch on
   each call: about a fifth of the engine's CPU per message under load. The schema never changes, so
   the validator is built once; what it accepts and rejects is unchanged.
2. A call that fails before the action server took it (connection refused or reset, "Cannot write
   to closing transport") is retried: Rasa would otherwise drop the action's events and the user
   would hear nothing. An HTTP error status or a dropped answer is not retried (the action may have
   run); the conversation layer then apologises instead of staying silent.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

ACTION_CALL_ATTEMPTS = 3
ACTION_RETRY_DELAY = 0.2  # seconds, doubled after each failed attempt


def build_action_validation_once() -> None:
    """Make `RemoteAction` reuse one validator for its (constant) response schema."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction, "_validator_built_once", False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the Action "
                f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise

    RemoteAction._validate_action_result = validate_action_result
    RemoteAction._validator_built_once = True


class RetryingEndpointConfig(EndpointConfig):
    """The action server's endpoint, retried when the request never reached it."""

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        delay = ACTION_RETRY_DELAY
        for attempt in range(1, ACTION_CALL_ATTEMPTS + 1):
            try:
                return await super().request(*args, **kwargs)
            except (aiohttp.ClientConnectorError, aiohttp.ClientOSError) as error:  # the request was not taken
                if attempt == ACTION_CALL_ATTEMPTS:
                    raise
                log.warning("The action server call failed (%s); retry %d of %d", type(error).__name__, attempt, ACTION_CALL_ATTEMPTS - 1)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")
