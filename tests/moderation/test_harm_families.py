"""The phrasing families of harm_families.py and harm_context.py, through the pipeline.

Each family has messages it must hold (phrased unlike the training lines it was
written from) and look-alikes it must let through: praise, idiom, members sharing
their own details, and people in crisis talking about themselves.
"""

from __future__ import annotations

import pytest

from moderation import Action, Pipeline
from moderation import harm_context as hc
from tests.moderation import test_harm_veiled as veiled

PIPELINE = Pipeline()

HELD = {
    "threat": [
        "i know which bus you get in the morning",
        "i know where your kids go to school",
        "keep posting and you will regret it",
        "one more comment and i will find you",
        "would be a shame if something happened to your family",
        "your kids are going to pay for this",
        "i'm gonna smash your head in",
        "I am going to make those women suffer.",
        "Execution is the only solution for those immigrants.",
    ],
    "hate": [
        "immigrants are parasites",
        "refugees are no better than rats",
        "travellers are all thieves",
        "hordes of immigrants are invading",
        "trans people shouldn't be allowed near children",
        "get rid of all the muslims",
        "black people are animals and should be deported",
    ],
    "sexual_harassment": [
        "how old are you? age is just a number",
        "you're so pretty, let's keep this between us",
        "add me on snap, send me some pics",
        "you look like you'd be fun in bed",
        "i want to touch your body",
    ],
    "encouraging_self_harm": [
        "go on then, prove it",
        "if you really wanted to die you would have done it by now",
        "the train tracks are over there",
        "just stop eating, you'll look better",
        "don't tell your gp, they'll only stop you",
    ],
    "self_harm_method": [
        "dm me and i'll tell you how many you'd need",
        "i can sell you my prescription",
        "buy them from different pharmacies so the pharmacist doesn't notice",
    ],
    "doxxing": [
        "her real name is emma jones and she goes to oakfield high school",
        "the guy who reported me works at the asda on park road, go tell his manager",
    ],
    "harassment": [
        "how are you this stupid",
        "no wonder your wife left you",
    ],
}

ALLOWED = [
    "i know what you mean, it's hard",
    "i'll destroy you at scrabble on sunday, old man",
    "i will kill you if you spoil the finale 😂",
    "you're dead to me for liking pineapple on pizza",
    "watch your back on the stairs, they're slippery",
    "i know which meeting you go to, see you there!",
    "keep it up and you will hit 100 days!",
    "be careful on the ice or you'll get hurt",
    "my mates live near your area too, small world",
    "i'll batter the fish for dinner",
    "go on then, one more biscuit",
    "do everyone a favour and bring biscuits next week",
    "if i really wanted to i would have done it by now",
    "i should have taken more pills",
    "i've been eating under 800 calories a day and i'm scared",
    "i skip meals when i'm anxious",
    "i thought you were going to do it, i was so scared, glad you're safe",
    "age is just a number, i got sober at 60",
    "keep this between us but i relapsed last night",
    "my sponsor's name is dave and he works at the bakery",
    "@kez my sister works at the council, she could help",
    "she lives near me, say hi if you see her",
    "dm me and i'll tell you how to get to the meeting",
    "those won't kill you, it's just a cold",
    "the bridge is that way, turn left at the pub",
    "schizophrenic people are not dangerous",
    "disabled people face dangerous levels of abuse",
    "it breaks my heart to see disabled people suffer",
    "we need to put an end to women being paid less",
    "my sponsor's number is on the group sheet, but mine is 0161 496 0555 if you're stuck",
]


# One table test for both rule tables: harm_families.py's cases here, harm_veiled.py's
# and harm_covert.py's in test_harm_veiled.py.
_TABLES_HELD = [(c, t) for held in (HELD, veiled.HELD) for c, texts in held.items() for t in texts]


@pytest.mark.parametrize(("category", "text"), _TABLES_HELD)
def test_family_is_held(category: str, text: str) -> None:
    found = PIPELINE.assess_rules(text)
    assert category in found.harmful_categories, (text, found.categories)


@pytest.mark.parametrize("text", [*ALLOWED, *veiled.ALLOWED])
def test_look_alike_is_not_held(text: str) -> None:
    found = PIPELINE.assess_rules(text)
    assert found.action is not Action.HOLD, (text, found.harmful_categories)


def test_one_grooming_cue_alone_is_ordinary() -> None:
    assert hc.grooming("how old are you? welcome") == 0.0
    assert hc.grooming("dm me privately, nobody needs to know") == 0.0  # confiding
    assert hc.grooming("he asked how old are you and said age is just a number") == 0.0
    assert hc.grooming("how old are you? age is just a number") == hc.SCORE


def test_doxxing_needs_identity_or_hostility_and_a_place() -> None:
    assert hc.doxxing("my mum works at the hospital") == 0.0
    assert hc.doxxing("his real name is tom") == 0.0  # no place to find him
    assert hc.doxxing("his real name is tom and he works at the bakery") == hc.SCORE
