"""Every field of `UserYear` declares its role, and the derived views follow the roles.

The grounding index, the input-side safety screen and the prompt's data block are derived from
the `Role` on each field (`wrapped.stats.roles`): a new statistic is one edit to the model.
"""

from __future__ import annotations

from typing import Annotated

import pytest
from _gate_helpers import DAY, user_year_dict
from pydantic import BaseModel

from wrapped.gate.facts import build_index
from wrapped.gate.grounding import verify_grounding
from wrapped.prompts.datablock import build_data_block
from wrapped.safety.screen import _sanitize, _string_groups
from wrapped.stats.fastmodel import _model_in
from wrapped.stats.model import Totals, UserYear
from wrapped.stats.roles import COUNT, MINUTES, NAME, NESTED, TEXT, Role, role_of, roles_of
from wrapped.story import StoryRequest


def _models(cls: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """`cls` and every model class reachable from its fields (by annotation, not by roles)."""
    seen.add(cls)
    for info in cls.model_fields.values():
        sub, _ = _model_in(info.annotation)
        if sub is not None and sub not in seen:
            _models(sub, seen)
    return seen


def test_every_field_of_user_year_and_its_models_declares_a_role() -> None:
    models = _models(UserYear, set())
    assert len(models) >= 15  # UserYear, Totals, Amount, Ranked, ... LogEntry
    missing = [
        f"{cls.__name__}.{name}"
        for cls in models
        for name in cls.model_fields
        if role_of(cls, name) is None
    ]
    assert missing == []


def test_a_field_without_a_role_is_refused_by_every_view() -> None:
    class Forgotten(BaseModel):
        plays: Annotated[int, COUNT]
        venue: str  # no role: no view would know what it is

    with pytest.raises(TypeError, match="Forgotten.venue declares no Role"):
        roles_of(Forgotten)


def test_a_series_of_numbers_must_say_what_its_positions_are() -> None:
    class Unlabelled(BaseModel):
        minutes_by_month: Annotated[list[int], MINUTES]

    with pytest.raises(TypeError, match="needs labels or keys"):
        roles_of(Unlabelled)


# --- a new statistic is one edit: declare it with a role, every view picks it up -------------


class _Totals(Totals):
    encore_plays: Annotated[int, COUNT] = 0
    encore_minutes: Annotated[int, MINUTES(hours=True)] = 0
    favourite_venue: Annotated[str | None, NAME] = None
    venue_note: Annotated[str | None, TEXT] = None
    secret: Annotated[str | None, NAME(private=True)] = None


class _Year(UserYear):
    totals: Annotated[_Totals, NESTED]


def _year(**totals: object) -> _Year:
    data = user_year_dict()
    data["totals"].update(
        {"encore_plays": 4321, "encore_minutes": 9876, "favourite_venue": "Brixton Academy"}
    )
    data["totals"].update(totals)
    return _Year.model_validate(data)


def test_a_new_statistic_is_indexed_for_grounding() -> None:
    uy = _year()
    ix = build_index(uy, DAY)
    assert ("totals.encore_plays", 4321.0, "count") in {
        (f.path, f.value, f.unit) for f in ix.numbers
    }
    assert "brixton academy" in ix.names
    good = verify_grounding("You came back for 4,321 encore plays at Brixton Academy.", uy, DAY)
    assert good.status == "pass", good.reasons
    hours = verify_grounding("That is about 165 hours of encores.", uy, DAY)  # 9876 / 60
    assert hours.status == "pass", hours.reasons
    wrong = verify_grounding("You came back for 4,322 encore plays at Brixton Academy.", uy, DAY)
    assert wrong.status == "fail"
    # without the field, the same story is not grounded: the index really came from it
    plain = UserYear.model_validate(user_year_dict())
    assert verify_grounding("Brixton Academy was your venue.", plain, DAY).status == "fail"


def test_a_new_name_is_screened_and_removed_by_the_safety_policy() -> None:
    uy = _year(favourite_venue="Cocaine Lounge", venue_note="Nights at Cocaine Lounge.")
    assert any("Cocaine Lounge" in group for group in _string_groups(uy))
    safe = _sanitize(uy)
    assert "Cocaine Lounge" in safe.flagged
    assert any(f.path == "totals.favourite_venue" for f in safe.flags)
    totals = safe.user_year.totals
    assert isinstance(totals, _Totals)
    assert totals.favourite_venue is None
    assert totals.venue_note is not None and "Cocaine" not in totals.venue_note


def test_a_new_statistic_is_shown_in_the_data_block_and_a_private_one_is_not() -> None:
    uy = _year(secret="Flat 3, 12 Acacia Avenue")
    block = build_data_block(StoryRequest(user_year=uy, day=DAY), budget_tokens=4000)
    totals = block.data["listener"]["totals"]
    assert totals["encore_plays"] == 4321 and totals["favourite_venue"] == "Brixton Academy"
    assert totals["secret"] is None
    assert "Acacia" not in block.text


def test_roles_are_options_of_one_kind() -> None:
    assert MINUTES(hours=True) == Role(MINUTES.kind, hours=True)
    assert role_of(UserYear, "birth_date") is not None and role_of(UserYear, "birth_date").private
