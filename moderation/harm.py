"""Harm scores from rules: what detoxify does not cover, and a floor when it is absent.

Every category scores 0.0 unless a rule fires; rule hits score 0.6-0.95 (see
harm_lexicon.py). Context silences rules rather than lowering them:
counter-speech and negation silence attacks on groups ("I don't hate trans
people", 'saying "X are scum" gets you banned'); reported speech silences
direct insults ("she told me to kys" is a victim talking); supportive questions
and first-person crisis talk silence self-harm encouragement ("if you want to
hurt yourself, reach out"); reclaimed self-descriptions and homonyms silence
slurs. Quoted words are ignored when the message reports them.
"""

from __future__ import annotations

import re

from moderation import backstop, harm_context, harm_covert, harm_families, harm_veiled
from moderation import harm_lexicon as lx
from moderation.prefilter import Prefilter
from moderation.types import CATEGORIES

_QUOTED = re.compile(r'"[^"]*"')
# What a backstop hold scores: at or above every default threshold (types.Thresholds).
BACKSTOP_SCORE = 0.8
# Categories the backstop never raises: a word model cannot tell an identity mention
# from an attack on it (HateCheck), and doxxing hangs on numbers and whose they are.
RULES_ONLY = frozenset({"hate", "doxxing"})
_SENTENCE_END = re.compile(r"[.!?;\n]")
_RULES = [*lx.RULES, *harm_families.RULES, *harm_veiled.RULES, *harm_covert.RULES]
# Threat words in play: "i'll destroy you at chess", "i'll kill you if you spoil the finale",
# "you're dead to me for liking pineapple on pizza", "watch your back on the ice".
_PLAYFUL = re.compile(
    r"\b(?:at|in) (?:mario ?kart|chess|scrabble|monopoly|uno|cards|poker|fifa|darts|pool|"
    r"snooker|the pub quiz|pub quiz|trivia|bingo|bowling|wordle|ping pong|table tennis|tennis|"
    r"badminton|smash bros|fortnite|minecraft)\b|\bif you spoil\b"
    r"|\bdead to me for\b|\bwatch your back (?:on|when|with|in) (?:the )?(?:ice|stairs|roads?|"
    r"paths?|pavements?|lifting|gym|snow)\b"
)
# Most messages contain none of the strings the rules need: skip those rules (prefilter.py).
_RULE_FILTER = Prefilter([rule.pattern for rule in _RULES])

# Crisis and support lines: a member sharing one is helping, never doxxing.
_HOTLINES = frozenset(
    {
        "988",
        "911",
        "999",
        "112",
        "111",
        "000",
        "116123",
        "116111",
        "741741",
        "85258",
        "18002738255",
        "8002738255",
        "18002738",
        "0800585858",
        "131114",
        "1800551800",
        "3114",
        "024",
        "188",
        "08000684141",
        "08001110111",
        "08001110222",
        "18664887386",
        "8664887386",
        "18006624357",
        "8006624357",
        "18007997233",
        "8007997233",
        "0800689999",
        "0800581121",
        "0808801333",
        "1300224636",
        "18662255",
        "988988",
    }
)
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,18}\d(?!\w)")
_EMAIL = re.compile(r"\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b")
_ADDRESS = re.compile(
    r"\b\d{1,5}[a-z]? (?:[\w.']+ ){1,4}(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|"
    r"boulevard|blvd|court|ct|way|place|pl|terrace|crescent|close|square|highway|hwy|"
    r"parkway|circle)\b|\b(?:apt|apartment|unit|flat) ?#?\d+\b"
    r"|\b[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}\b"
)
_RESOURCE = re.compile(
    r"\b(?:helpline|hotline|lifeline|crisis (?:line|text|team|center|centre|service)|"
    r"samaritans|suicide (?:prevention|line)|support line|warmline|emergency (?:services|"
    r"number)|text line|befrienders|text home|infoline|nhs|shout|trevor|samhsa|"
    r"talk to someone|they are available|24/7|free(?:phone)?|call (?:them|this))\b"
)
_OWN = re.compile(
    r"\b(?:my (?:\w+ )?(?:number|phone|cell|email|e mail|address|contact)|call me|text me|"
    r"reach me|email me|dm me|contact me|message me|find me)\b"
)
_MINE = re.compile(r"\b(?:mine is|mine s|my own (?:number|email|address))\b")
_ABOUT_OTHER = re.compile(
    r"\b(?:his|her|their|[a-z]+s) (?:(?:home|real|cell|phone|personal|work|email|e mail|"
    r"house|new|current|private) )*(?:address|number|phone|email|e mail|cell|location|"
    r"workplace|school)\b|\b(?:he|she|they|[a-z]+) (?:lives?|lived|stays|works) (?:at|on)\b"
    r"|\bwhere (?:he|she|they|[a-z]+) (?:lives|works)\b|\bdox+(?:ed|ing)?\b"
    r"|\bexpos(?:e|ed|ing) (?:him|her|them)\b"
)
_HOSTILE = re.compile(
    r"\b(?:go|let us|lets|everyone|someone|we should|you should|you all) (?:visit|get|find|"
    r"call|text|email|spam|harass|show up|pay (?:him|her|them) a visit|drop by|surprise|"
    r"flood|mess with)\b|\bmake (?:him|her|them) pay\b|\b(?:show|turn) up at\b"
)
_KNOWS_YOURS = re.compile(
    r"\b(?:know|have|found|got|posting|post|leak|leaking) your (?:home |real |new )?"
    r"(?:address|number|phone number|email|location|workplace)\b"
)


def score(raw: str, norm: str, semantic: backstop.HarmVote | None = None) -> dict[str, float]:
    """Harm score per category for a message (`raw` as sent, `norm` normalised).

    Rules first; where no rule reached a holding score and the message is not
    counter-speech, the backstop (backstop.py) and the semantic reader's vote
    (semantic.py, when it answered) may each raise one category to BACKSTOP_SCORE.
    Neither ever lowers a rule score.
    """
    scores, open_to_backstop = score_rules(raw, norm)
    if open_to_backstop:
        for vote in (backstop.harm_vote(_QUOTED.sub(" ", norm)), semantic):
            if vote and vote.category is not None and vote.category not in RULES_ONLY:
                scores[vote.category] = max(scores[vote.category], BACKSTOP_SCORE)
    return scores


def score_rules(raw: str, norm: str) -> tuple[dict[str, float], bool]:
    """Rule scores alone, and whether the backstop may raise them."""
    scores = dict.fromkeys(CATEGORIES, 0.0)
    outside = _QUOTED.sub(" ", norm)
    text = outside if lx.REPORT.search(outside) else norm
    counter = bool(lx.COUNTER.search(outside))
    homonym = bool(lx.HOMONYM.search(text))
    celebrating = bool(lx.CELEBRATE.search(text))
    playful = bool(_PLAYFUL.search(text))
    for rule in (_RULES[i] for i in _RULE_FILTER.candidates(text)):
        if scores[rule.category] >= rule.score or (playful and rule.category == "threat"):
            continue
        for m in rule.pattern.finditer(text):
            # A slur rule is judged from the slur itself: "proud to be a| fag".
            start = m.start() + (m.group(0).rfind(" ") + 1 if rule.kind == "slur" else 0)
            if rule.kind == "banter" and celebrating:
                continue
            if not _silenced(rule, _prefix(text, start), counter, homonym):
                scores[rule.category] = rule.score
                break
    # Rule hits (harm_covert.py) count too: doxxing said in words, with no number.
    scores["doxxing"] = max(
        scores["doxxing"], doxxing(raw.casefold(), norm), harm_context.doxxing(text)
    )
    if not counter:
        scores["sexual_harassment"] = max(scores["sexual_harassment"], harm_context.grooming(text))
    return scores, not counter and max(scores.values()) < BACKSTOP_SCORE


def _prefix(text: str, end: int) -> str:
    """The sentence text right before a match, at most 60 characters of it."""
    window = text[max(0, end - 60) : end]
    cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
    return window[cut:]


def _silenced(rule: lx.Rule, prefix: str, counter: bool, homonym: bool) -> bool:
    if rule.kind == "plain":
        return False
    if lx.NEG_BEFORE.search(prefix):
        return True
    if rule.kind == "group":
        return counter
    if rule.kind == "slur":
        return (
            counter
            or homonym
            or bool(lx.RECLAIM_BEFORE.search(prefix) or lx.REPORTED_BEFORE.search(prefix))
        )
    if lx.REPORTED_BEFORE.search(prefix):
        return True
    return rule.kind == "esh" and bool(lx.SUPPORTIVE_BEFORE.search(prefix))


def doxxing(lowered: str, norm: str) -> float:
    """Personal contact details posted about someone else or with hostile intent.

    `lowered` is the casefolded raw text (normalisation would mangle emails).
    An unexplained number or address scores 0.45, below the default threshold:
    most are members sharing their own details or a service's.
    """
    if _KNOWS_YOURS.search(norm):
        return 0.9
    phones = [p for p in _PHONE.findall(lowered) if _is_private_phone(p)]
    if phones and _RESOURCE.search(norm):
        phones = []
    if not (phones or _EMAIL.search(lowered) or _ADDRESS.search(lowered)):
        return 0.0
    hostile = bool(_HOSTILE.search(norm))
    if _MINE.search(norm) and not hostile:
        return 0.1  # "her number is on the sheet, but mine is ..."
    if hostile or _ABOUT_OTHER.search(norm):
        return 0.95
    return 0.1 if _OWN.search(norm) else 0.45


def _is_private_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return 7 <= len(digits) <= 15 and digits not in _HOTLINES
