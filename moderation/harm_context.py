"""Harms that only show in combination: grooming, and doxxing by description.

One cue alone is everyday peer-support talk: "how old are you?" in an intro
thread, "keep this between us" before a relapse is confessed, "age is just a
number, I got sober at 60", "my mum works at the hospital". What marks grooming
is cues of different kinds together (an age probe with secrecy, a move to a
private channel with requests for pictures); what marks doxxing without a phone
number is a member's identity or a hostile call to action joined to where they
can be found (workplace, school, home, accounts, car). Both read `normalize()`
output; harm.py takes the higher of these and the rule scores.
"""

from __future__ import annotations

import re

SCORE = 0.85


def _cues(**patterns: str) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(p) for name, p in patterns.items()}


_GROOMING = _cues(
    age=r"\b(?:how old are you|what age are you|are you (?:under|over) (?:18|16)|what year are "
    r"you in|you are (?:only |just )?1[0-7]\b|are you a virgin)",
    dismiss=r"\b(?:age is (?:just|only) a number|age (?:does not|should not) matter)\b",
    secret=r"\b(?:between (?:us|you and me|ourselves)|our (?:little )?secret|keep (?:this|it|"
    r"that|us) (?:a )?secret|do not tell (?:your |the )?(?:parents|mum|mom|dad|mods?|anyone)|"
    r"delete (?:this|the|our) (?:chat|messages|convo|conversation)|nobody (?:needs|has) to "
    r"know)\b",
    private=r"\b(?:(?:chat|talk|speak) (?:privately|in private|somewhere private)|(?:move|go|"
    r"switch|come) (?:this )?(?:to|on|over to) (?:dms?|snap|snapchat|whatsapp|telegram|kik|"
    r"private)|add me on (?:snap|snapchat|whatsapp|insta|instagram|kik|telegram|discord)|what "
    r"is your (?:snap|snapchat|whatsapp|kik|insta|number)|private chat)\b",
    pics=r"\b(?:(?:send|share|show) (?:me )?(?:a |some |more |your )?(?:pics?|pictures?|photos?"
    r"|selfies?|snaps?)|(?:pics?|photos?|selfies?) of (?:you|yourself))\b",
    flatter=r"\b(?:you are (?:so |really |very )?(?:beautiful|pretty|gorgeous|hot|sexy|cute|fit|"
    r"stunning)|your body|special (?:girl|boy)|sexy|you are my (?:girl|boy)|mature for your "
    r"age)\b",
)
# Pairs of kinds that are ordinary together: confiding privately; a compliment on a photo.
_BENIGN_PAIRS = (frozenset({"secret", "private"}), frozenset({"pics", "flatter"}))
# A member reporting what someone did to them ("he asked me to keep it secret").
_THIRD_PARTY = re.compile(
    r"\b(?:he|she|they|someone|somebody|a guy|a man|this guy|my \w+) (?:\w+ )?(?:asked|asks|"
    r"asking|said|says|told|tells|wants|wanted|keeps|kept|sent|messaged)\b"
)

_DOX = _cues(
    real_name=r"(?:@\w+|\bhis|\bher|\btheir|\b\w+s) (?:real|full|actual|legal|irl) (?:name|"
    r"surname) is (?!on\b|in\b|not\b|the\b|a\b|private\b|hidden\b)\w+",
    hostile=r"\b(?:(?:tell|ring|call|email|message|text|contact|inform) (?:his|her|their) (?:boss|"
    r"manager|employer|work|school|teachers?|head|wife|husband|partner|mum|mom|dad|parents|"
    r"family|landlord)|(?:someone|somebody|everyone|go|lets|let us) (?:\w+ )?(?:find|visit|"
    r"sort|teach|message|tell) (?:her|him|them)|what (?:he|she|they) (?:posts|posted|has been "
    r"posting|have been posting|says|writes|wrote) (?:here|in here|on here)|ring the bell|"
    r"knock on (?:the|his|her|their) door|turn up at|pay (?:him|her|them) a visit|message "
    r"(?:her|him|them) about)\b",
    target=r"\b(?:(?:this is|that is|here is|meet) the (?:guy|girl|man|woman|person|one|mod|"
    r"member|prick|bitch|twat|idiot) (?:who|that)|the (?:guy|girl|one|person|mod) who "
    r"(?:reported|banned|blocked|muted) (?:me|us))\b",
    work=r"\bworks (?:nights |days |shifts |weekends )?(?:at|for)\b",
    school=r"\b(?:goes to|attends) (?:\w+ ){0,3}(?:school|college|sixth form|uni|university|"
    r"academy|high)\b",
    home=r"\b(?:lives|stays|is staying) (?:above|below|next to|opposite|behind|near|in|on|at|"
    r"round the corner from|by)\b",
    handle=r"\b(?:instagram|insta|facebook|twitter|tiktok|snapchat|linkedin|handle|onlyfans) is "
    r"@\w",
    vehicle=r"\bdrives (?:a|an) (?:\w+ ){0,2}\w+",
)
_STRONG = frozenset({"real_name", "hostile", "target"})


def grooming(norm: str) -> float:
    """SCORE when cues of two kinds that do not explain each other co-occur, else 0."""
    kinds = frozenset(k for k, p in _GROOMING.items() if p.search(norm))
    if len(kinds) < 2 or kinds in _BENIGN_PAIRS or _THIRD_PARTY.search(norm):
        return 0.0
    return SCORE


def doxxing(norm: str) -> float:
    """SCORE when a member is identified or targeted and where to find them is given."""
    kinds = {k for k, p in _DOX.items() if p.search(norm)}
    return SCORE if kinds & _STRONG and len(kinds) >= 2 else 0.0
