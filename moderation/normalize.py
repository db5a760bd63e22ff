"""Text normalisation shared by the crisis and harm rules.

The rules are written against one canonical form: lower case, accents stripped,
straight quotes, contractions expanded ("don't" -> "do not"), evasions undone
("k y s", "k1ll", "sooooo", "sewerslide") and chat slang spelled out ("kms" ->
"kill myself"). Writing the rules once against this form is what keeps them short.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from moderation.prefilter import presence_check

# fmt: off  (tables read better packed than one entry per line)
_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
    }
)
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
    }
)

# fmt: on
# 'like this' -> "like this", so quotation handling needs one quote character only. An
# apostrophe between letters is inside the quote ('i can't go on'), not its end.
_SINGLE_QUOTED = re.compile(r"(?<![a-z0-9])'((?:[^'\n]|(?<=[a-z])'(?=[a-z])){2,}?)'(?![a-z0-9])")
# Letters spaced out to dodge filters: "k y s", "k.i.l.l", "s-u-i-c-i-d-e".
_SPACED = re.compile(r"(?<![a-z0-9])[a-z0-9](?:[ .\-_*]{1,2}[a-z0-9](?![a-z0-9])){2,}")
_SPACER = re.compile(r"[ .\-_*]")
# Short spaced words worth joining; shorter joins ("u r a") are usually real words.
_SHORT_JOINS = frozenset({"kys", "kms", "die", "cut", "ctb", "sh"})
_TOKEN = re.compile(r"[a-z0-9']+(?:[@$!|][a-z0-9']+)*")
_LEET_INSIDE = re.compile(r"[a-z][0-9@$!|]+[a-z]")
_RUN3 = re.compile(r"([a-z])\1{2,}")
_RUN2 = re.compile(r"([a-z])\1+")
_SPACES = re.compile(r"[ \t\r\f\v]+")

# Token -> canonical spelling: contractions, chat slang, self-harm evasions and the
# misspellings seen most often in the words the rules key on.
# fmt: off
_TOKENS: dict[str, str] = {
    "im": "i am", "i'm": "i am", "ive": "i have", "i've": "i have", "i'll": "i will",
    "i'd": "i would", "cant": "can not", "can't": "can not", "cannot": "can not",
    "wont": "will not", "won't": "will not", "dont": "do not", "don't": "do not",
    "doesnt": "does not", "doesn't": "does not", "didnt": "did not", "didn't": "did not",
    "isnt": "is not", "isn't": "is not", "arent": "are not", "aren't": "are not",
    "wasnt": "was not", "wasn't": "was not", "werent": "were not", "weren't": "were not",
    "wouldnt": "would not", "wouldn't": "would not", "shouldnt": "should not",
    "shouldn't": "should not", "couldnt": "could not", "couldn't": "could not",
    "havent": "have not", "haven't": "have not", "hasnt": "has not", "hasn't": "has not",
    "hadnt": "had not", "hadn't": "had not", "aint": "am not", "ain't": "am not",
    "youre": "you are", "you're": "you are", "you'll": "you will", "you'd": "you would",
    "you've": "you have", "he's": "he is", "she's": "she is", "it's": "it is",
    "thats": "that is", "that's": "that is", "theres": "there is", "there's": "there is",
    "whats": "what is", "what's": "what is", "he'll": "he will", "she'll": "she will",
    "they'll": "they will", "he'd": "he would", "she'd": "she would",
    "they'd": "they would", "theyre": "they are", "they're": "they are",
    "we're": "we are", "let's": "let us", "y'all": "you all", "yall": "you all",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "tryna": "trying to",
    "u": "you", "ur": "your", "r": "are", "ya": "you", "urself": "yourself",
    "ppl": "people", "bc": "because", "cuz": "because", "coz": "because",
    "tn": "tonight", "tonite": "tonight", "2nite": "tonight", "2night": "tonight",
    "rn": "right now", "idk": "i do not know", "idc": "i do not care",
    "idw": "i do not want", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow",
    "pls": "please", "plz": "please", "nvr": "never", "ded": "dead",
    "kms": "kill myself", "kmsl": "killing myself laughing", "sh": "selfharm",
    "sewerslide": "suicide", "sewerslided": "suicide", "suicde": "suicide",
    "sucide": "suicide", "suicid": "suicide", "suiside": "suicide", "suecide": "suicide",
    "sucicide": "suicide", "suiscide": "suicide", "sucidal": "suicidal",
    "suicdal": "suicidal", "suicidial": "suicidal", "suisidal": "suicidal",
    "suacidal": "suicidal", "suicidle": "suicidal", "myslef": "myself",
    "mysef": "myself", "myslf": "myself", "meself": "myself", "mself": "myself",
    "mysefl": "myself", "dieing": "dying", "dyin": "dying", "goodby": "goodbye",
    "gudbye": "goodbye", "gbye": "goodbye", "od": "overdose", "oding": "overdosing",
    "oded": "overdosed", "od'd": "overdosed", "od'ed": "overdosed", "pils": "pills",
    "tonight's": "tonight is", "everyone's": "everyone is", "nobody's": "nobody is",
    "hes": "he is", "shes": "she is", "life's": "life is", "here's": "here is",
    "who's": "who is", "where's": "where is",
    # Apostrophe-less and chat spellings of the verbs and helpers the cues use.
    "youll": "you will", "youd": "you would", "youve": "you have", "theyll": "they will",
    "theyd": "they would", "itll": "it will", "thatll": "that will", "whos": "who is",
    "wheres": "where is", "wouldve": "would have",
    "couldve": "could have", "shouldve": "should have", "imma": "i am going to",
    "ima": "i am going to", "finna": "going to", "gona": "going to", "gunna": "going to",
    "evrything": "everything", "everythin": "everything", "evrythin": "everything",
    "tnight": "tonight", "doin": "doing", "cabnet": "cabinet", "tabs": "tablets",
    "wana": "want to", "wnat": "want", "watn": "want", "dnt": "do not", "cnat": "can not",
    "cnt": "can not", "wud": "would", "wld": "would", "shud": "should", "abt": "about",
    "tho": "though", "thru": "through", "2day": "today", "2morrow": "tomorrow",
    "b4": "before", "every1": "everyone", "evry1": "everyone", "evryone": "everyone",
    "some1": "someone", "no1": "no one", "any1": "anyone", "anymor": "anymore",
    "anymre": "anymore", "nemore": "anymore", "relly": "really", "realy": "really",
    "rly": "really", "kil": "kill", "kiled": "killed", "kiling": "killing", "lyf": "life",
    "dissapear": "disappear", "dissappear": "disappear", "disapear": "disappear",
    "dissapeared": "disappeared", "disappered": "disappeared", "alve": "alive",
    "aliv": "alive", "hurtin": "hurting", "cuttin": "cutting", "killin": "killing",
    "thinkin": "thinking", "feelin": "feeling", "nothin": "nothing", "goin": "going",
    "tryin": "trying", "livin": "living", "somethin": "something", "wantin": "wanting",
    "pillz": "pills", "razer": "razor", "razers": "razors", "bridg": "bridge",
    "byee": "bye",
}
# fmt: on
# Words the rules key on; a token with doubled letters that squeezes to one of these
# ("kiill", "diee", "pilllls") is read as that word.
_KEYWORDS = (  # noqa: SIM905 (a word list reads better as one string)
    "kill killing killed myself die dying dead death suicide suicidal pills pill tonight "
    "goodbye bye cut cutting selfharm hurt harm end life live want need hate so done "
    "tired alone sorry please help anymore nobody everyone loser stupid idiot ugly fuck "
    "fucking bitch whore pathetic worthless disgusting rope noose jump overdose bleed "
    "bleeding kys hang wrists sleep wake disappear gone miss better"
).split()


def _squeeze(word: str) -> str:
    return _RUN2.sub(r"\1", word)


_SQUEEZED = {_squeeze(w): w for w in _KEYWORDS}
_SELVES = r"(myself|himself|herself|themselves)"
_PHRASES = tuple(
    (pattern, repl, presence_check(pattern))
    for pattern, repl in (
        (re.compile(r"\b(?:sewer|sue|suey|sui) ?sl?ides?\b"), "suicide"),
        (re.compile(r"\bself[ -]?harm"), "selfharm"),
        # Southern US "fixin to" is "about to"; dialect's double negative "ain't nothing
        # left" means "nothing left", which the negation check would read as "not".
        (re.compile(r"\bfix(?:in|ing|en) to\b"), "going to"),
        # British slang: "topping myself" is killing myself ("topped myself up" is not).
        (re.compile(r"\btopping " + _SELVES + r"\b(?! up| off)"), r"killing \1"),
        (re.compile(r"\btop(?:ped)? " + _SELVES + r"\b(?! up| off)"), r"kill \1"),
        (re.compile(r"\bain'?t (nothing|no|nobody|noone|no one|nowhere)\b"), r"\1"),
    )
)
# "unaliving" is self-directed slang even without an object: read "killing myself".
_UNALIVE = re.compile(
    r"\bun[ -]?aliv(e|ing|ed)\b( (?:myself|yourself|himself|herself|themselves|me|you|him|her|"
    r"them)\b)?"
)
_KILL_FORMS = {"e": "kill", "ing": "killing", "ed": "killed"}


def _unalive(match: re.Match[str]) -> str:
    return _KILL_FORMS[match.group(1)] + (match.group(2) or " myself")


def _join_spaced(match: re.Match[str]) -> str:
    joined = _SPACER.sub("", match.group(0))
    return joined if len(joined) >= 4 or joined in _SHORT_JOINS else match.group(0)


def _token(match: re.Match[str]) -> str:
    return _canonical(match.group(0))


# A pure function of the token, and chat repeats a small vocabulary: memoise it.
@lru_cache(maxsize=16384)
def _canonical(tok: str) -> str:
    if _LEET_INSIDE.search(tok):
        tok = tok.translate(_LEET)
    tok = _RUN3.sub(r"\1\1", tok)
    if tok in _TOKENS:
        return _TOKENS[tok]
    if "'" in tok:
        tok = tok.replace("'", "")
        if tok in _TOKENS:
            return _TOKENS[tok]
    if _RUN2.search(tok):
        return _SQUEEZED.get(_squeeze(tok), tok)
    return tok


# "id" and "ill" are "i'd" and "i'll" typed without the apostrophe only in some places:
# "id rather", "and ill find you" yes; "my id", "feeling ill", "mentally ill" no.
_ID = re.compile(
    r"\bid (?=(?:rather|be|love|like|never|just|do|say|go|have|prefer|want|probably|actually|"
    r"really|better|kill|hate|die|give|take|not|sooner|wish|hope|even)\b)"
)
_ILL = re.compile(
    r"(^|[.!?,;:] ?|\b(?:and|then|so|or|but|because|else|otherwise|swear|promise|bet|guess|"
    r"think|tomorrow|tonight|now|maybe|probably) )ill (?!(?:health|effects?|people|person|"
    r"patients?|with|and|from|since|today|again|for|or|at|in|lately|too|enough|minded)\b)"
)

# Most messages contain none of the strings these substitutions need: skip their scans.
_MAY_QUOTE = presence_check(_SINGLE_QUOTED)
_MAY_UNALIVE = presence_check(_UNALIVE)
_MAY_ID = presence_check(_ID)
_MAY_ILL = presence_check(_ILL)


def strip_accents(text: str) -> str:
    if text.isascii():
        return text  # NFKD leaves ASCII alone and it has no combining marks
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Canonical form of `text` for rule matching (see the module docstring).

    Punctuation that separates clauses and double quotes survive; emoji survive
    without variation selectors. The result is for matching only: never show it.
    """
    out = strip_accents(text).casefold().translate(_QUOTES)
    out = out.replace("\ufe0f", "").replace("\u200d", "")
    if _MAY_QUOTE(out):
        out = _SINGLE_QUOTED.sub(r'"\1"', out)
    out = _SPACED.sub(_join_spaced, out)
    for pattern, repl, may_match in _PHRASES:
        if may_match(out):
            out = pattern.sub(repl, out)
    if _MAY_UNALIVE(out):
        out = _UNALIVE.sub(_unalive, out)
    out = _TOKEN.sub(_token, out)
    if _MAY_ID(out):
        out = _ID.sub("i would ", out)
    if _MAY_ILL(out):
        out = _ILL.sub(r"\1i will ", out)
    return _SPACES.sub(" ", out).strip()
