"""Normalisation undoes the evasions the rules would otherwise need to spell out."""

from __future__ import annotations

import pytest

from moderation.normalize import normalize


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("I'm SOOOOO done", "i am so done"),
        ("k y s", "kys"),
        ("k.i.l.l myself", "kill myself"),
        ("K1ll mys3lf", "kill myself"),
        ("i wanna kms", "i want to kill myself"),
        ("I can’t go on", "i can not go on"),
        ("thinking about unaliving", "thinking about killing myself"),
        ("sewer slide", "suicide"),
        ("self-harm urges", "selfharm urges"),
        ("diiiieeee", "die"),
        ("tomé todas las pastillas", "tome todas las pastillas"),
        ("he said 'go away'", 'he said "go away"'),
        ("she says 'i can't go on'", 'she says "i can not go on"'),
        ("the kids' toys", "the kids toys"),
        ("I'm fixin to end it. Ain't nothing left", "i am going to end it. nothing left"),
        ("thinking of topping myself", "thinking of killing myself"),
        ("topped myself up with coffee", "topped myself up with coffee"),
        ("u r a loser", "you are a loser"),
    ],
)
def test_normalize(raw: str, canonical: str) -> None:
    assert normalize(raw) == canonical


def test_numbers_and_units_are_not_leetspeak() -> None:
    # Doses, times and hotline numbers must survive for the method and doxxing rules.
    assert normalize("took 50mg at 3am, call 988 or 116 123") == (
        "took 50mg at 3am, call 988 or 116 123"
    )


def test_emoji_survive_without_variation_selectors() -> None:
    assert normalize("⚰️ 💊💊💊") == "⚰ 💊💊💊"
