"""Literal pre-filters: run a regex only when a string it must consume is in the text.

The crisis and harm families are hundreds of regexes; a typical chat message
matches none of them, yet running each one costs a full scan. Every pattern here
consumes, wherever it matches, one string from a finite set of literals (derived
from its parse tree by `required_literals`: "\\bwant(?:s|ed)? to die" must consume "want to die",
"wants to die" or "wanted to die"). A pattern whose literals are all absent from
the text cannot match it, nor any substring of it (a clause), so skipping it
changes no result. Patterns with no such literal are always run.
"""

from __future__ import annotations

import re
import re._constants as _C  # type: ignore[import-not-found,unused-ignore]
import re._parser as sre  # type: ignore[import-not-found,unused-ignore]
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

# Above this many alternatives a literal run is cut short: the filter stays cheap.
_CAP = 16
_GRAM = 3


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` consumes, or None if unknown."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # the literals would need case folding / comment stripping
    found = _required(list(sre.parse(pattern.pattern, pattern.flags)))
    if found is None:
        return None
    # "kill" present whenever "killing" is: keep only the shortest of nested strings.
    return frozenset(s for s in found if not any(t != s and t in s for t in found))


def presence_check(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A cheap test that is false only where `pattern` cannot match (see above)."""
    required = required_literals(pattern)
    if required is None:
        return lambda text: True
    literals = tuple(sorted(required))
    return lambda text: any(s in text for s in literals)


class Prefilter:
    """Which of `patterns` might match a text, by the presence of their literals."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        required = [required_literals(p) for p in patterns]
        self._always = [i for i, req in enumerate(required) if req is None]
        self._by_literal: dict[str, list[int]] = {}
        for i, req in enumerate(required):
            for s in req or ():
                self._by_literal.setdefault(s, []).append(i)
        # Literals looked up by their first three characters, so a message costs one
        # set of its own trigrams rather than a substring search per literal.
        self._by_gram: dict[str, list[str]] = {}
        self._short = [s for s in self._by_literal if len(s) < _GRAM]
        for s in self._by_literal:
            if len(s) >= _GRAM:
                self._by_gram.setdefault(s[:_GRAM], []).append(s)

    def candidates(self, text: str) -> list[int]:
        """Indices (ascending) of the patterns that can match `text` or a substring of it."""
        found = set(self._always)
        for gram in _grams(text).intersection(self._by_gram):
            for s in self._by_gram[gram]:
                if s in text:
                    found.update(self._by_literal[s])
        for s in self._short:
            if s in text:
                found.update(self._by_literal[s])
        return sorted(found)


# Several filters read the same message in one assessment: build its trigrams once.
@lru_cache(maxsize=8)
def _grams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1))


def _finite(items: list[Any]) -> set[str] | None:
    """Every string the node sequence can consume, if few; else None."""
    out = {""}
    for item in items:
        options = _item_finite(item)
        if options is None:
            return None
        out = {a + b for a in out for b in options}
        if len(out) > _CAP:
            return None
    return out


def _item_finite(item: Any) -> set[str] | None:
    op, av = item
    if op is _C.LITERAL:
        return {chr(av)}
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
        return {""}  # consumes nothing
    if op is _C.IN and all(o is _C.LITERAL for o, _ in av):
        return {chr(c) for _, c in av}
    if op is _C.SUBPATTERN and not av[1] and not av[2]:
        return _finite(list(av[3]))
    if op is _C.BRANCH:
        branches = [_finite(list(b)) for b in av[1]]
        if any(b is None for b in branches):
            return None
        return set().union(*branches)  # type: ignore[arg-type]
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and av[1] <= 1:
        inner = _finite(list(av[2]))
        return None if inner is None else inner | ({""} if av[0] == 0 else set())
    return None


def _required(items: list[Any]) -> set[str] | None:
    """One set of strings, some member of which every match of the sequence consumes."""
    options: list[set[str]] = []
    run = {""}
    for item in items:
        finite = _item_finite(item)
        if finite is not None:
            joined = {a + b for a in run for b in finite}
            if len(joined) <= _CAP:
                run = joined
                continue
            options.append(run)
            run = finite
            continue
        options.append(run)
        run = {""}
        inner = _item_required(item)
        if inner is not None:
            options.append(inner)
    options.append(run)
    usable = [o for o in options if "" not in o]
    if not usable:
        return None
    # Cheapest to check yet selective: fewest strings, none shorter than 4 if possible.
    return max(usable, key=lambda o: (min(min(map(len, o)), 4), -len(o), min(map(len, o))))


def _item_required(item: Any) -> set[str] | None:
    op, av = item
    if op is _C.SUBPATTERN:
        # A scoped flag such as (?i:...) would make the literals case-blind.
        return None if av[1] or av[2] else _required(list(av[3]))
    if op is _C.BRANCH:
        branches = [_required(list(b)) for b in av[1]]
        if any(b is None for b in branches):
            return None
        return set().union(*branches)  # type: ignore[arg-type]
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _required(list(av[2]))
    if op is _C.ATOMIC_GROUP:
        return _required(list(av))
    return None
