"""Crisis detection by rules alone: severity plus the cues that decided it.

Input is `normalize()` output. Per clause, every cue match is read in context:

* negation right before the cue ("I'm not going to hurt myself") lowers it to none,
  but an imminent cue only to low: a present plan or means is never erased;
* past tense / recovery talk in the clause ("I used to cut", "2 years since my
  attempt") lowers it to none unless the clause also says it is recent ("again");
* a third person ("my friend wants to die") is not the author's crisis: none with a
  `third_party_concern` cue, except an emergency happening now (high,
  `third_party_emergency`) because someone should still look at it at once;
* reminders, advice and questions to others ("if you feel like ...") and quoted
  words in a reporting frame are none;
* idioms ("this commute is killing me", "killed it") are removed before matching.

A cue that survives plus a timeline or a means/plan in the same message is imminent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation import backstop
from moderation import crisis_acts as ax
from moderation import crisis_compose as cx
from moderation import crisis_indirect as ix
from moderation import crisis_lexicon as lx
from moderation import crisis_phrasing as px
from moderation.crisis_farewell import is_farewell
from moderation.prefilter import Prefilter
from moderation.types import Severity, max_severity

NONE, LOW, HIGH, IMMINENT = Severity.NONE, Severity.LOW, Severity.HIGH, Severity.IMMINENT
_SELF, _THIRD, _ADDRESSED = "self", "third", "addressed"
_QUOTED = re.compile(r'"[^"]*"')
# "If anyone finds this, tell my sister I loved her": "anyone" is the reader, not the subject.
_NO_SUBJECT_CHECK = frozenset(
    {"danger_from_other", "multilingual", "goodbye_note", "burden_without_me"}
)
# Someone else buying a rope or a gun is worth a word, not an emergency.
_THIRD_NOT_EMERGENCY = frozenset({"acquired_means"})
_CUES: tuple[lx.Cue, ...] = (*lx.CUES, *px.CUES, *cx.CUES, *ax.CUES, *ix.CUES)
# Most messages contain none of the strings the cues need: skip those cues (prefilter.py).
_CUE_FILTER = Prefilter([cue.pattern for cue in _CUES])
_IDIOM_FILTER = Prefilter([lx.IDIOMS])
_READER_DOUBTS = 0.5  # below this semantic p_crisis the backstop may not raise (detect)
_BACKSTOP_LEVEL = {"none": NONE, "low": LOW, "high": HIGH, "imminent": IMMINENT}

_PILL, _BLADE, _ROPE, _GUN = "💊", "🔪", "🪢", "🔫"
_BLOOD, _COFFIN, _GRAVE = "🩸", "⚰", "🪦"
_EMOJI = (_PILL, _BLADE, _ROPE, _GUN, _BLOOD, _COFFIN, _GRAVE)
_EMOJI_TIME = re.compile(
    r"\b(?:tonight|today|now|goodbye|bye|done|enough|ready|soon|forever|last|final|"
    r"all of them|whole bottle|the end|over)\b|👋"
)
_EMOJI_BENIGN = re.compile(
    r"\b(?:vitamins?|supplements?|prescription|pharmacy|refill|doctor|dr|allerg(?:y|ies)|"
    r"headache|migraine|cold|flu|omega|iron|routine|daily|remember to take|took my meds|"
    r"cook|cooking|chef|kitchen|dinner|chopping|recipe|knots?|sailing|climbing|crafts?|"
    r"halloween|costume|game|movie|film|lol|lmao|haha|birthday|cake|party|chefs|skills?|class|"
    r"present|gift|gym|workout|leg day)\b|😂|🤣|😆|😅"
)
_EMOJI_SELF = re.compile(r"\b(?:me|myself|i|my (?:arms?|wrists?|legs?|skin|thighs?))\b")
_WORDS = re.compile(r"[a-z]")


@dataclass(frozen=True)
class CrisisResult:
    severity: Severity
    cues: tuple[str, ...]


@dataclass
class _Hit:
    family: str
    severity: Severity
    note: str = ""

    @property
    def counts(self) -> bool:
        return self.severity is not NONE


def detect(norm: str, semantic: backstop.CrisisVote | None = None) -> CrisisResult:
    """Crisis severity and cue names for normalised text `norm`: rules, then the models.

    The backstop (backstop.py) and the semantic reader's vote (semantic.py, when it
    answered) may only raise a severity the rules rated below high (the semantic
    reader up to imminent, the backstop to high), and never where
    the rules read a cue as negated, past, quoted, a reminder, or about someone else:
    those are decisions, not gaps.
    """
    text, hits = _rule_hits(norm)
    if _open_to_backstop(hits):
        # The lexical backstop counts words; where the reader answered and finds a crisis
        # less likely than not, the backstop's raise is a word match, not a meaning
        # ("i love sitting on the bench by the bridge feeding the ducks"). On the round-6
        # and round-7 training-only lines this removed 2 false flags and lost no crisis.
        doubted = semantic is not None and semantic.p_crisis < _READER_DOUBTS
        lexical = None if doubted else backstop.crisis_vote(norm)
        votes = [("backstop", lexical), ("semantic", semantic)]
        for name, vote in votes:
            raised = _BACKSTOP_LEVEL[vote.severity] if vote else NONE
            if raised.rank > max_severity(*(h.severity for h in hits)).rank:
                hits.append(_Hit(f"{name}_{raised.value}", raised))
    return _result(text, hits)


def detect_rules(norm: str) -> tuple[CrisisResult, bool]:
    """Rules alone, and whether the backstop may raise their result (for its training)."""
    text, hits = _rule_hits(norm)
    return _result(text, list(hits)), _open_to_backstop(hits)


def _rule_hits(norm: str) -> tuple[str, list[_Hit]]:
    # IDIOMS is one large alternation, slow to scan: most messages lack all its words.
    text = lx.IDIOMS.sub(" ", norm) if _IDIOM_FILTER.candidates(norm) else norm
    text = cx.BENIGN.sub(" ", text)
    hits = _text_hits(text)
    if is_farewell(_QUOTED.sub(" ", text)):
        hits.append(_Hit("goodbye", IMMINENT))
    if any(e in norm for e in _EMOJI):
        hits.extend(_emoji_hits(norm, hits))
    # "goodbye all, last post for a while": coming back; "doing so much better": leaving well
    if ax.BACK_SOON.search(text) or ax.LEAVING_WELL.search(text):
        hits = [_Hit(h.family, NONE, "signing_off") if h.family == "goodbye" else h for h in hits]
    if ax.PROTECTIVE.search(text):  # a note, so no model may raise it (_open_to_backstop)
        hits.append(_Hit("protective", NONE, "protective"))
    return text, hits


def _open_to_backstop(hits: list[_Hit]) -> bool:
    top = max_severity(*(h.severity for h in hits))
    return top.rank < HIGH.rank and not any(h.note for h in hits)


def _result(text: str, hits: list[_Hit]) -> CrisisResult:
    _escalate(text, hits)
    severity = max_severity(*(h.severity for h in hits))
    cues = {h.family for h in hits if h.counts} | {h.note for h in hits if h.note}
    return CrisisResult(severity, tuple(sorted(cues)))


def _clauses(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in lx.CLAUSE_SPLIT.finditer(text):
        out.append((start, text[start : m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, c) for s, c in out if c.strip()]


def _text_hits(text: str) -> list[_Hit]:
    # A cue that cannot match the message cannot match one of its clauses.
    cues = [_CUES[i] for i in _CUE_FILTER.candidates(text)]
    if not cues:
        return []
    quotes = [m.span() for m in _QUOTED.finditer(text)]
    outside = _QUOTED.sub(" ", text)
    # The context of a cue is read over the whole message: decide it once, not per clause.
    cues = [c for c in cues if c.context is None or c.context.search(outside)]
    # Only a match inside quotes needs to know whether the message reports them.
    reported = (
        bool(quotes)
        and bool(lx.REPORT_FRAME.search(outside))
        and not lx.INTERNAL_VOICE.search(outside)
    )
    asked = bool(lx.ASKED_IF.search(text)) and not lx.ANSWERED_YES.search(text)
    hits: list[_Hit] = []
    for offset, clause in _clauses(text):
        matches = [(cue, m) for cue in cues for m in cue.pattern.finditer(clause)]
        if not matches:
            continue
        recent = bool(lx.RECENT.search(clause))
        reminder = bool(lx.REMINDER.search(clause)) or (asked and bool(lx.ASKED_IF.search(clause)))
        for cue, m in matches:
            pos = offset + m.start()
            in_quote = any(a <= pos < b for a, b in quotes)
            # Recovery words inside the cue are the cue's own ("i no longer want to live").
            past = not recent and any(
                r.start() < m.start() or r.end() > m.end() for r in lx.RECOVERY.finditer(clause)
            )
            hits.append(_read(cue, m, clause, past, reminder, in_quote and reported))
    return hits


def _read(
    cue: lx.Cue, m: re.Match[str], clause: str, past: bool, reminder: bool, quoted: bool
) -> _Hit:
    """One cue match read in its clause's context (see the module docstring)."""
    if quoted:
        return _Hit(cue.family, NONE, "quoted")
    if reminder:
        return _Hit(cue.family, NONE, "reminder")
    who = _SELF if cue.family in _NO_SUBJECT_CHECK else _who(clause, m)
    if who == _THIRD:
        if cue.severity is IMMINENT and cue.family not in _THIRD_NOT_EMERGENCY:
            return _Hit(cue.family, HIGH, "third_party_emergency")
        return _Hit(cue.family, NONE, "third_party_concern")
    if who == _ADDRESSED:
        return _Hit(cue.family, NONE, "addressed_to_other")
    if lx.NEGATION.search(clause[max(0, m.start() - 60) : m.start()]):
        return _Hit(cue.family, LOW if cue.severity is IMMINENT else NONE, "negated")
    if past:
        return _Hit(cue.family, NONE, "past")
    return _Hit(cue.family, cue.severity)


def _who(clause: str, m: re.Match[str]) -> str:
    refl = m.groupdict().get("refl")
    if refl:
        if refl in lx.THIRD_REFL:
            return _THIRD
        return _ADDRESSED if refl == "yourself" else _SELF
    if m.group(0).startswith(("i ", "my ", "me ")):
        return _SELF
    subjects = lx.SUBJECT.findall(clause[: m.start()])
    if not subjects:
        return _SELF
    last = subjects[-1]
    if last in lx.FIRST_PERSON:
        return _SELF
    return _ADDRESSED if last in lx.ADDRESSED else _THIRD


def _escalate(text: str, hits: list[_Hit]) -> None:
    """A live self cue plus a timeline or a plan/means anywhere in the message: imminent."""
    live = [h for h in hits if h.counts and h.severity is not IMMINENT and not h.note]
    if not live:
        return
    outside = _QUOTED.sub(" ", text)
    if lx.TIMELINE.search(outside):
        hits.append(_Hit("timeline", IMMINENT))
    elif lx.PLAN.search(outside):
        hits.append(_Hit("plan_or_means", IMMINENT))


def _emoji_hits(norm: str, text_hits: list[_Hit]) -> list[_Hit]:
    """Crisis emoji read with their context: "💊💊💊 tonight" yes, "vitamin 💊" no."""
    live_text = any(h.counts and not h.note for h in text_hits)
    means = norm.count(_PILL) + norm.count(_ROPE) + norm.count(_GUN) + norm.count(_BLADE)
    if live_text and means:
        return [_Hit("emoji_means", IMMINENT)]
    if _EMOJI_BENIGN.search(norm):
        return []
    timed = bool(_EMOJI_TIME.search(norm))
    alone = not _WORDS.search(norm)
    selfish = bool(_EMOJI_SELF.search(norm))
    pills, kinds = norm.count(_PILL), sum(e in norm for e in _EMOJI)
    if pills >= 3 or (pills and timed):
        return [_Hit("emoji_means", IMMINENT)]
    if (_ROPE in norm or _GUN in norm) and (timed or selfish or alone or kinds > 1):
        return [_Hit("emoji_means", IMMINENT)]
    if _BLADE in norm or _BLOOD in norm:
        if timed:
            return [_Hit("emoji_self_harm", IMMINENT)]
        if selfish or alone or kinds > 1:
            return [_Hit("emoji_self_harm", HIGH)]
    if (_COFFIN in norm or _GRAVE in norm) and (timed or selfish or kinds > 1):
        return [_Hit("emoji_death", HIGH)]
    return []
