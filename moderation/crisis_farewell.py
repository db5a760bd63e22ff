"""Goodbye messages that no single phrase gives away.

"i'm sorry everyone, i love you all. bye" or "goodbye hearth. you were good to me"
are goodbyes because several farewell signals come together; each alone ("bye all",
"love you guys", "sorry for everything earlier") is everyday chat. So a message is a
goodbye when it has two or more distinct signals, at least one of them final
(a "goodbye", a last post, giving things away, "won't need it", a will), or three of
any kind, and nothing says the author is only logging off ("see you tomorrow").
Input is `normalize()` output with quotations already removed.
"""

from __future__ import annotations

import re

from moderation.prefilter import Prefilter

# (pattern, final?) — "final" signals say the author will not be back.
_SIGNALS: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(p), final)
    for p, final in (
        (r"\b(?:goodbye|farewell)\b", True),
        (r"\bbye\b", False),
        (
            r"\b(?:thank you|thanks)\b(?! for (?:the (?:chat|advice|tip|info|link|reply)|listening|"
            r"asking|sharing))|\byou (?:all |guys )?(?:were|have been) (?:so )?(?:good|kind) "
            r"to me\b"
            r"|\b(?:meant|mean) (?:so much|a lot|everything) to me\b|\byou (?:all |guys )?meant\b",
            False,
        ),
        (
            r"\b(?:i am )?sorry (?:for everything|everyone|to everyone|for being (?:a burden|"
            r"like this|me))\b|\bforgive me\b",
            False,
        ),
        (r"\b(?:i )?love you (?:all|guys|everyone|so much)\b", False),
        (
            r"\btake care of (?:yourselves|each other|my \w+)\b"
            r"|\blook after (?:each other|my \w+)\b",
            False,
        ),
        (
            r"\b(?:last|final) (?:message|post|time|one|words)\b|\bthis is (?:it|the end|the last)"
            r"\b|\bdeleted (?:all )?my (?:accounts|socials|profiles)\b",
            True,
        ),
        (
            r"\bdo not look for me\b|\bwill not be (?:here|around|alive)\b|\bi am not coming back\b"
            r"|\bi am (?:done|ready)"
            r"(?= *(?:[.!,]|$))|\bwill not (?:need|be needing)\b|\bwhere i am going\b",
            True,
        ),
        (
            r"\b(?:gave|give|giving|given|sold|selling) (?:away )?(?:all )?(?:of )?my (?:stuff|"
            r"things|belongings|possessions|everything)\b|\bgave away\b|\bgave my \w+ to\b",
            True,
        ),
        (r"\b(?:updated|wrote|made|finished|sorted) (?:out )?my will\b|\baffairs in order\b", True),
        (
            r"\b(?:left|leaving|wrote|written|writing) (?:\w+ ){0,4}(?:letters?|notes?) (?:for|to) "
            r"(?:my|everyone|each)\b",
            True,
        ),
        (r"\b(?:left|gave|sent|wrote down) (?:\w+ ){0,2}(?:my )?passwords\b", True),
    )
)
# Everyday sign-offs: the author is coming back.
_COMING_BACK = re.compile(
    r"\b(?:for now|for a (?:while|bit|few days)|goodnight|good night|night all|see (?:you|ya|"
    r"yall)|talk (?:to you )?(?:later|tomorrow|soon)|tomorrow|later|bed|break|logging off|"
    r"log off|heading (?:out|home|to)|off to|gotta go|got to go|brb|ttyl|back (?:later|soon|"
    r"tomorrow|in)|last day|graduat\w*|moving|new job|vacation|holiday|trip|shift)\b"
)

# Most messages hold none of the words the signals need (prefilter.py).
_SIGNAL_FILTER = Prefilter([pattern for pattern, _ in _SIGNALS])


def is_farewell(text: str) -> bool:
    """True when `text` reads as a goodbye message (see the module docstring)."""
    signals = [_SIGNALS[i] for i in _SIGNAL_FILTER.candidates(text)]
    found = [final for pattern, final in signals if pattern.search(text)]
    if len(found) < 2 or _COMING_BACK.search(text):
        return False
    return any(found) or len(found) >= 3
