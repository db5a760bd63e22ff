"""Crisis cues for methods, preparations and repeat attempts named in everyday words.

Held-out batch 6 (first look) and the training-only cases written after it showed
families the earlier lexicons missed: a method named by place or vehicle ("throw
myself under a train", "walk into the sea"), car exhaust, a failed attempt followed by
"going to try again", belongings given away "where I'm going", a note for whoever
"finds this", "so I can overdose", urges to cut said as "keep wanting to", and tools
hidden from oneself, and "nobody will have to deal with me again"; then the
training-only cases (tests/moderation/data/train_cases.jsonl) showed ligatures,
overdoses said as done, "i will be dead by...", and strangling or being followed.
Each pattern covers a family (helper verbs, word order), not a sentence. Patterns
start at the verb, so crisis.py still reads the subject, negation, tense and quotes
before them. Written against `normalize()` output.
"""

from __future__ import annotations

import re

from moderation.crisis_lexicon import LEAVING_THING, PILLS, Cue, cues, cues_if
from moderation.types import Severity

LOW, HIGH, IMMINENT = Severity.LOW, Severity.HIGH, Severity.IMMINENT


_VEHICLE = r"(?:a |the |next |an )*(?:\w+ )?(?:train|bus|car|truck|lorry|traffic|tube|tram|van)"
_BODY = r"(?:myself|my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?|body))"
_WATER = r"(?:the |a )?(?:sea|ocean|river|lake|canal|waves|water|loch|reservoir)"
_WILL = r"(?:going to|will|am going to|am gonna|want to|wanna|plan to|planning to|ready to)"
# A failed or survived attempt somewhere in the message: "again" then means another try.
_ATTEMPT = re.compile(
    r"\b(?:tried|try|trying|attempted) to (?:kill|hang|end|drown|overdose|od|die)|\battempt\b"
    r"|\bsurvived\b|\b(?:rope|belt|cord) (?:snapped|broke)|\bswerved\b|\bwoke up in (?:the )?"
    r"(?:hospital|a and e|er|icu)\b|\bjumped in front\b|\bstomach pumped\b"
)
# Words that say belongings were given away because their owner will not need them.
_NOT_NEEDED = re.compile(
    r"\b(?:will not|wont|am not going to|do not) need (?:them|it|anything|any of it)\b"
    r"|\bwhere i am going\b|\b(?:after|when) i am gone\b|\bto be looked after\b"
    r"|\bready now\b|\bwill (?:look after|take care of) (?:him|her|them) for me\b"
)
_SIGNING_OFF = re.compile(r"\b(?:love (?:you|u|ya) all|bye (?:everyone|all|guys)|goodbye)\b")
# Saying one wants to live: no model may read such a message as a crisis (rules still may).
PROTECTIVE = re.compile(
    r"\b(?:i )?(?:love|loving|enjoy|enjoying) (?:my )?life\b|\b(?:want|ready) to (?:start )?"
    r"liv(?:e|ing) (?:again|my life|a (?:\w+ )?life)\b|\bstart(?:ing)? living again\b"
    r"|\bglad (?:i am|to be) (?:still )?(?:alive|here)\b"
    r"|\bi (?:really |still |just |do )?want to (?:live|stay alive)\b"
    r"(?! like this| this way| anymore)"
)
# A sign-off that says the author is coming back soon ("last post for a while").
BACK_SOON = re.compile(
    r"\b(?:for now|for a (?:while|bit|few days|week|month)|goodnight|good night|night all|"
    r"night night|nighty night|nite all|"
    r"see (?:you|ya|yall)|talk (?:to you )?(?:later|tomorrow|soon)|logging off|log off|brb|ttyl|"
    r"back (?:later|soon|tomorrow|in|next)|social media break|taking a break|off to bed|"
    r"(?:speak|chat|catch) (?:to )?(?:you |yall |you all )?(?:tomorrow|soon|later)|"
    r"(?:thanks|thank you) for (?:the )?(?:chat|meeting|session|company) (?:tonight|today|"
    r"this (?:evening|morning|afternoon)))\b"
)
# Leaving the group because things are better: a goodbye, but not that kind.
LEAVING_WELL = re.compile(
    r"\b(?:doing (?:so much |a lot |loads |way )?better|(?:made|making) (?:space|room) for "
    r"(?:others|new (?:people|members|folks))|(?:been )?made a (?:mod|moderator|facilitator))\b"
)
_PARTING = re.compile(
    r"\b(?:take care of (?:each other|yourselves)|thanks for everything|goodbye|love you all|"
    r"i am sorry|forgive me)\b"
)
# Danger now, unless the message is marked as a joke ("he hit me with a pillow lol").
_NO_JOKE = re.compile(r"^(?!.*(?:\blol\b|\blmao\b|\bhaha|\bjk\b|😂|🤣))")
_FOUND = re.compile(r"\bif (?:anyone|someone|somebody|you) (?:finds?|reads?|sees?) this\b")

CUES: list[Cue] = [
    # Being nobody's problem any more: a burden cue (low), imminent with a timeline.
    *cues(
        "burden",
        LOW,
        r"\b(?:will not|wont|will never) be (?:anyones|anybodys|a|your|their|everyones|"
        r"someones) (?:problem|burden|worry)(?= *(?:[,.!?]|$|anymore|any more|again|ever))",
        r"\b(?:nobody|no one|noone) will (?:have to |need to )?(?:deal with|worry about|put up "
        r"with|look after|carry) me (?:ever again|anymore|any more|much longer)\b",
    ),
    *cues(
        "method",
        HIGH,
        # Under or in front of a vehicle, into water, named as what one will do.
        r"\b(?:throw|throwing|fling|flinging) myself (?:under|in front of|off|into)\b",
        r"\b" + _WILL + r" (?:\w+ )?(?:step|stepping|jump|jumping|walk|walking|run|running) "
        r"(?:out )?(?:in front of|under) " + _VEHICLE + r"\b",
        r"\b(?:i will|i am going to|going to|gonna|want to|wanna|plan to) (?:\w+ )?(?:walk|wade|"
        r"swim) (?:out )?into " + _WATER + r"\b(?! (?:to cool off|for a swim|with))",
        # The vehicle named first: "I know which train I am stepping in front of".
        r"\b(?:train|bus|lorry|truck|car) (?:i am|i will be|i will) (?:\w+ )?(?:stepping|jumping|"
        r"step|jump|walking) (?:out )?in front of\b",
        r"\b(?:so|so that|just so) i (?:can|could|would|will|might) (?:finally )?(?:overdose|od|"
        r"die|end it|not wake up|kill myself|be done with it all)\b",
    ),
    *cues(
        "act",
        IMMINENT,
        # Car exhaust.
        r"\b(?:taped|attached|put|running|run|connected) (?:a |the )?hose (?:\w+ )?(?:to|from|on|"
        r"into) (?:the )?(?:exhaust|car)\b",
        r"\b(?:sitting|sat|sit|waiting|i am) in (?:the |my )?(?:closed )?garage with the (?:engine|"
        r"motor|car) (?:running|on)\b",
        r"\bin (?:the |my )car with the (?:windows|doors) (?:shut|closed|up) and the engine "
        r"(?:on|running)\b",
    ),
    *cues(
        "act",
        IMMINENT,
        # Ligatures, overdoses and bleeding said as what has already happened.
        r"\b(?:belt|cord|rope|noose|scarf|cable|ligature|lead|wire) (?:is |tied )?(?:a)?round my "
        r"(?:neck|throat)\b",
        r"\b(?:took|taken|take|had|done|did|taking) an? (?:massive |big |huge )?overdose\b",
        r"\b(?:already|just) (?:swallowed|took|taken|downed|drank|drunk) (?:them|it|everything|"
        r"all of (?:them|it)|the lot)\b",
        r"\b(?:took|taken|swallowed|downed) (?:all of |everything (?:in|from) )(?:the |my )?"
        r"(?:\w+ )?(?:cabinet|cupboard|drawer|box|bag|bottle)\b",
        r"\b(?:swallowed|took|taken|downed) (?:\d+|two|three|four|five|several|many) (?:whole )?"
        r"(?:packs|packets|boxes|bottles|strips)\b",
        r"\b(?:been bleeding|bled) for (?:an hour|hours|ages|a long time)\b|\b(?:will not|can not)"
        r" stop (?:the )?bleeding\b|\balready (?:started|begun) (?:cutting|to cut)\b",
        r"\b(?:came|come|went|drove|walked) (?:up )?(?:here|there) to (?:end it|die|do it|jump|"
        r"kill myself|end my life)\b",
        r"\b(?:bye|goodbye) (?:forever|for good|for ever)\b" + LEAVING_THING,
        r"\b(?:the |my )?(?:suicide )?note is (?:written|done|ready|finished)\b",
        r"\b(?:collected|gathered|saved|stockpiled|hoarded|got|scored) (?:up )?enough (?:of )?"
        r"(?:my |the )?(?:\w+ )?(?:to make sure|" + PILLS[3:],
    ),
    *cues_if(
        _SIGNING_OFF,
        "goodbye",
        IMMINENT,
        r"\b(?:doing it|do it|time to go|going now|this is it)(?: now)?(?= *(?:[,.!]|$))",
    ),
    *cues(
        "method",
        IMMINENT,
        r"\b(?:sat|sitting|standing|stood|i am) on the (?:edge|ledge|railings?|side|wrong side)"
        r" of (?:the |a |my )?(?:\w+ )?(?:bridge|roof|cliff|building|car park|tower|balcony)\b",
    ),
    *cues(
        "attempt",
        HIGH,
        # A recent attempt told after the fact: someone should look at once.
        r"\battempted(?: again| suicide| to (?:end it|kill myself|end my life))?(?: last night| "
        r"yesterday| today| this week| on \w+day| a few days ago)\b",
        r"\b(?:my|an) (?:suicide )?attempt (?:on \w+day|last (?:night|week)|yesterday|a few days "
        r"ago|this week)\b|\bmade an attempt\b(?! (?:at|to (?!end|kill|die)))",
        r"\btried to (?:jump|hang myself|drown myself|end it|overdose)(?: \w+){0,3} (?:last night|"
        r"yesterday|today|this (?:week|morning)|on \w+day|a few days ago)\b",
    ),
    *cues(
        "act",
        IMMINENT,
        r"\b(?:i am |going to be |about to be )?(?:swallowing|taking|downing) (?:the lot|the "
        r"whole lot|them all|all of them|everything)(?! (?:to|with|out|off|in|back|for)\b)",
    ),
    *cues(
        "goodbye",
        IMMINENT,
        r"\b(?:say|said|saying) goodbye (?:to (?:you all|everyone|you guys) )?before i go\b",
        r"\bi will not see (?:tomorrow|the morning|another day|next week)\b",
        r"\bsaid goodbye to (?:everyone|everybody|the people) (?:who|that) (?:matters?|counts?)\b",
        r"\btell my (?:kids|children|son|daughter|mum|mom|dad|family|wife|husband|partner) "
        r"(?:that )?(?:their|his|her|i) (?:\w+ )?(?:loved|love|am sorry)\b",
    ),
    *cues_if(
        _PARTING,
        "goodbye",
        IMMINENT,
        r"\b(?:will not|wont) be coming back\b",
        r"\b(?:left|wrote|written|leaving) (?:a |my )?(?:letter|note)s? for (?:my|the) \w+\b",
    ),
    *cues_if(
        _NO_JOKE,
        "danger_from_other",
        IMMINENT,
        r"\b(?:he|she|they|my (?:\w+ )?(?:boyfriend|girlfriend|partner|husband|wife|dad|mum|mom|"
        r"stepdad|ex|brother)) (?:just )?(?:hit|punched|kicked|strangled|stabbed) me\b",
        r"\b(?:kicking|banging|breaking|smashing) (?:down )?(?:the|my) door\b",
        r"\b(?:coming|on (?:his|her|their) way) to get me\b|\btrying to break (?:in|into)\b",
        r"\b(?:throwing|smashing) things at me\b",
    ),
    *cues(
        "timeline",
        IMMINENT,
        r"\bi will (?:be dead|not be alive|not be around) (?:by|before|this time|tomorrow|tonight|"
        r"next)\b",
        r"\b(?:this time next (?:week|month)|by (?:tomorrow|the weekend|next week)) i will be "
        r"(?:dead|gone for good)\b",
        r"\bi will not be alive (?:by|for|much|next|tomorrow|after)\b",
    ),
    *cues(
        "danger_from_other",
        IMMINENT,
        r"\b(?:his|her|their) hands? (?:a)?round my (?:throat|neck)\b|\b(?:is |he is |she is )?"
        r"(?:strangling|choking) me\b",
        r"\b(?:someone|someones|somebody|a man|a guy|he|she|they) (?:is |are )?(?:following|"
        r"chasing) me\b"
        r"(?=.*\b(?:scared|afraid|terrified|knife|gun|help)\b)",
    ),
    *cues(
        "suicidal_ideation",
        HIGH,
        r"\b(?:dying|death|suicide|killing myself|ending it|ending my life) is all i (?:can )?"
        r"(?:think|thought) (?:about|of)\b",
        r"\b(?:want|wanna|thinking of|going to|ready for|ready to|longing for) (?:\w+ )?(?:take|"
        r"taking|have|go to|go for)? ?(?:the |a )?(?:long|big|eternal|final|forever) sleep\b",
        r"\b(?:sleep|go to sleep)(?: \w+){0,2} and make it permanent\b",
        r"\b(?:so much|enough) (?:that )?i (?:just )?(?:do not|never|will not) (?:come back|"
        r"wake up)\b",
        r"\b(?:imagine|imagining|picture|picturing|think about|thinking about) my (?:own )?funeral"
        r"\b(?=.*\b(?:peaceful|relief|relieved|nice|better|calm|want|soon)\b)",
    ),
    *cues(
        "passive_wish",
        LOW,
        r"\bif i (?:died|was dead|were dead|did not wake up|never woke up)(?: \w+){0,3} i "
        r"(?:would not|wouldnt|would not really) (?:mind|care)\b",
        r"\b(?:lived|been alive|been here) long enough\b(?! to\b)",  # not "... to know"
        r"\bready to go whenever (?:the (?:good )?lord|god|he|death) (?:wants|takes|calls) me\b",
    ),
    *cues_if(
        _ATTEMPT,
        "attempt_again",
        IMMINENT,
        r"\b(?:going to|gonna|will|i will|am going to|plan to|want to) (?:try|do it|do this) "
        r"(?:again|one more time)\b",
        r"\bnext time i (?:will|am going to) (?:take|use|do|get|make|buy|jump)\b",
        r"\b(?:get|buy|find) a (?:better|stronger|thicker|proper) (?:one|rope|belt)\b",
    ),
    *cues_if(
        _NOT_NEEDED,
        "preparation",
        IMMINENT,
        r"\b(?:gave|given|giving|give) (?:away )?(?:all )?my (?:\w+ ){0,3}(?:away|to "
        r"(?:my |a |the )?\w+)",
        r"\b(?:rehomed|rehoming) my (?:dog|cat|pets?|bird|rabbit)",
    ),
    *cues_if(
        _FOUND,
        "goodbye_note",
        IMMINENT,
        r"\btell (?:my \w+|them|him|her|everyone|my family) (?:that )?i (?:loved|love|am sorry|"
        r"was sorry|did not mean)\b",
    ),
    *cues(
        "self_harm",
        HIGH,
        r"\b(?:keep|kept|keeps) (?:wanting|wishing|needing|itching) to (?:cut|burn|hurt|harm|"
        r"scratch)(?: myself| me)?(?= *(?:[,.!?]|$|again|so|and|but|because|when|tonight))",
        r"\b(?:keep|kept|keeps) (?:wanting|wishing|needing|itching) to (?:cut|burn|hurt|harm|"
        r"scratch) " + _BODY,
        r"\b(?:hide|hid|hidden|hiding|give|gave|locked) (?:away )?(?:the |my )?(?:blades?|razors?|"
        r"knives|sharps|lighter|" + PILLS[3:-1] + r") (?:from myself|so i (?:do not|cannot|can not|"
        r"will not|wont) (?:use|cut|take|hurt))",
        r"\b(?:hide|hid|hidden|hiding) (?:the |my )?(?:blades?|razors?|knives|sharps) "
        r"(?:\w+ )?(?:because|cause|as) i (?:want|keep wanting|need) to\b",
    ),
]
