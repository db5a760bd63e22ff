"""More crisis cues: families of everyday phrasing the first lexicon did not anticipate.

Written against `normalize()` output, read in context by crisis.py like the cues in
crisis_lexicon.py. Each pattern covers a *family* of phrasings (word order, helper
verbs, subject-less chat style, "have got" vs "have"), not one sentence: the
held-out set (tests/moderation/data/heldout_cases.jsonl) showed people in crisis
mostly write indirectly, without a subject, and in forms the first rules missed.
"""

from __future__ import annotations

import re

from moderation.crisis_lexicon import (
    ADV,
    AT_HAND,
    DANGER,
    LEAVING_THING,
    MEANS,
    PILLS,
    PLAN,
    TIMELINE,
    Cue,
    cues,
    cues_if,
)
from moderation.types import Severity

LOW, HIGH, IMMINENT = Severity.LOW, Severity.HIGH, Severity.IMMINENT


BODY = (
    r"my (?:arms?|wrists?|legs?|thighs?|skin|stomach|belly|hips?|body|hands?|ankles?|"
    r"chest|shoulders?|fingers?)"
)
# "cut" and "cutting" are self-harm only without an everyday object after them.
NOT_EVERYDAY_CUT = (
    r"(?! (?:back|down|out|off|up|the|a|an|my hair|hair|onions|veggies|vegetables|wood|paper|"
    r"it|class|school|ties|corners|costs|carbs|sugar|coffee|people|toxic|contact|them|him|"
    r"her|loose|in line|through|my losses|my hours|the cord))"
)
_HIGH_PLACE = (
    r"(?:the |a |my |that |this |some )?(?:bridge|roof|rooftop|building|cliff|ledge|"
    r"balcony|overpass|parking (?:garage|structure|deck)|tower|something (?:tall|high)|"
    r"somewhere high|the top floor)"
)
_VEHICLE = r"(?:a |the )?(?:train|bus|car|truck|lorry|traffic|oncoming traffic|subway)"
# Ways people name a method when they talk about wanting or planning it.
METHOD = (
    r"(?:jump(?:ing)? (?:off|from) "
    + _HIGH_PLACE
    + r"|jump(?:ing)? in front of "
    + _VEHICLE
    + r"|(?:step|stepping|walk|walking) (?:out )?(?:in front of|into) "
    + _VEHICLE
    + r"|driv(?:e|ing) (?:my car )?(?:off|into) (?:the |a )?(?:bridge|cliff|wall|tree|river|"
    r"lake|oncoming traffic|a truck|the sea)|crash(?:ing)? my car|hang(?:ing)? myself"
    r"|overdos(?:e|ing)\b|(?:tak|swallow)(?:e|ing) (?:all|every one|every last one|the whole "
    r"(?:bottle|pack|box)) (?:of )?(?:my |the |those |these )?"
    + PILLS
    + r"|slit(?:ting)? my (?:wrists?|throat)|drown(?:ing)? myself|shoot(?:ing)? myself"
    r"|(?:not|never) wak(?:e|ing) up|drink(?:ing)? (?:\w+ )?(?:bleach|antifreeze|poison))"
)
_THINK = (
    r"(?:want|wants|wanted|wanna|need|going|about|planning|plan|tempted|urge|urges|"
    r"thinking (?:about|of)|think about|thought (?:about|of)|thoughts (?:of|about)|"
    r"fantasi[sz]e about|fantasi[sz]ing about|dream(?:ing)? about|imagin(?:e|ing)|"
    r"considering|could|should|might)"
)
_INDIFFERENT_IF = (
    r"(?:live|lived|die|died|was dead|were dead|did not wake up|never woke up|was gone|"
    r"were gone|got hit|get hit|disappeared|make it|made it)"
)
_GONE = (
    r"(?:(?:was|were|am) (?:not|no longer) (?:here|around|alive)|(?:was|were|am) (?:gone|dead)|"
    r"did not exist|never existed|disappeared|vanished|was never born|died)"
)
_VANISH = (
    r"(?:disappear|vanish|fade (?:away|out)|evaporate|cease to exist|stop existing|not exist|"
    r"be gone|be nothing|not be here|not be alive)"
)
# Context that turns "it is going to be this weekend" into a timeline for a decision.
DECIDED = re.compile(
    r"\b(?:i have decided|i decided|i made (?:my|the|a) decision|made up my mind|"
    r"my mind is made up|no going back|set a date|picked (?:a|the) date|my plan)\b"
)
FINALITY = re.compile(
    TIMELINE.pattern + r"|\bi am (?:so )?(?:done|ready)(?= *(?:[.!,]|$))|\bgoodbye\b"
    r"|\bthis is it\b"
)
PILL_WORD = re.compile(r"\b" + PILLS + r"\b")
SELF_HARM_WORD = re.compile(r"\b(?:cut|cutting|wrists?|blade|razor|knife|selfharm)\b")
# Purposes that make buying a rope, a gun or painkillers ordinary.
_ORDINARY_PURPOSE = (
    r"(?!.*\b(?:for (?:the|my|a|our) (?:tent|swing|boat|garden|dog|trip|week|headache|"
    r"cold|flu|back|period|cramps|kids|project|class)|camping|climbing|hiking|sailing|"
    r"hunting|range|knots?|crafts?|shaving|shave|travel|holiday|vacation)\b)"
)

CUES: list[Cue] = [
    # --- low: passive wish, hopelessness, indifference to living ----------------
    *cues(
        "passive_wish",
        LOW,
        r"\b(?:hope|hoping|wish|pray|praying|prayed) (?:that )?i (?:\w+ ){0,2}(?:get|gets|"
        r"getting) (?:hit|run over|killed)\b",
        r"\b(?:hope|hoping|wish|pray|praying|prayed) (?:that )?i (?:would |will |could |"
        r"just |might )*(?:die|drop dead|do not wake up|never wake up|do not make it)\b",
        r"\b(?:hope|hoping|wish|pray|praying|prayed) (?:that )?(?:the|my) (?:plane|car|bus|"
        r"train|flight) (?:goes down|crashes|crash|go down|will crash)\b",
        r"\b(?:hope|hoping|wish|pray|praying|prayed) (?:that )?(?:god|someone|somebody|"
        r"something|the universe|death|cancer)(?: will| would| just)? (?:takes?|kills?|"
        r"ends?) me\b",
        r"\b(?:would not|do not|does not|could not|will not) (?:even |really |honestly )?"
        r"(?:mind|care)(?: at all)? (?:if|whether) i " + _INDIFFERENT_IF + r"\b",
        r"\bif i (?:died|die|was gone|did not wake up|never woke up|was dead|disappeared)"
        r"(?: \w+){0,2},? i (?:would not|do not|would) (?:even |really )?care\b",
        r"\b(?:ok|okay|fine|alright|at peace) with (?:not waking up|never waking up|dying|"
        r"being dead|not being here|not existing|it all ending)\b",
        r"\bwhy (?:am i|do i|should i|would i) (?:\w+ ){0,2}(?:still (?:here|alive|around|"
        r"breathing|living)|alive|bother (?:living|staying alive|to live|waking up)|exist)\b",
        r"\b(?:do not|can not|never) see (?:a|any|my) future\b(?! (?:with|in|for) (?!me\b|"
        r"myself\b))|\bno (?:hope|future) (?:for me|left for me)\b",
        r"\b(?:would )?rather (?:be dead|die|not exist|not be (?:alive|here)|not wake up)\b",
        r"\b(?:what is|no|there is no|not (?:any|much)) (?:even )?(?:the |any )?(?:real )?"
        r"point (?:in |of |to )?(?:even )?(?:living|life|going on|anything|being alive|"
        r"being here|existing|carrying on|continuing|waking up|getting up anymore|"
        r"any of (?:it|this)|it all|me)\b",
        r"\bcan not (?:go on|keep going|keep living|keep doing this|do this|live|take (?:it|"
        r"this)|handle (?:it|this|life)) (?:like this|this way)\b",
        r"\bhow (?:much )?(?:longer|long) (?:i can|can i|i will be able to) (?:keep (?:going|"
        r"fighting|doing this|living|holding on)|go on|do this|hold on|last|survive)\b",
        r"\b(?:better|happier|easier|lighter)(?: off)? without me\b",
        r"\b(?:hate|hating|tired of|sick of|worn out (?:from|by)|exhausted (?:from|by)|done with|"
        r"so over) (?:being alive|living|existing|being here|this life|life itself|"
        r"my existence)\b(?! (?:in|with|at|on|near|off|paycheck)\b)",
        r"\b(?:giving|give|gave|given) up on (?:everything|life|living|myself|it all)\b",
        r"\b(?:life|living|existing|my life|everything|it all|being alive) (?:is|feels|seems|"
        r"has become|just feels) (?:so |completely |totally |just |really |fucking )?"
        r"(?:pointless|meaningless|hopeless|not worth (?:it|living))\b",
        r"\bi (?:just )?want (?:out|off this (?:planet|ride|earth))\b(?! of)",
        r"\b(?:disappointed|upset|sad|angry|annoyed|mad|pissed) (?:that )?i (?:woke up|"
        r"am still (?:alive|here)|survived|did not die|made it through)\b"
        r"|\bwake up (?:disappointed|upset|sad|angry) (?:that|to be|i am)\b",
        r"\b(?:happier|better|easier|better off|lighter|simpler|best|fine|ok|okay)\b.{0,25}\bif i "
        r"(?:just )?" + _GONE + r"\b",
        r"\b(?:think|thinking|thought|thoughts|dream|dreaming|fantasi[sz]e|fantasi[sz]ing) "
        r"(?:a lot )?(?:about|of) (?:not (?:being (?:here|alive|around)|existing|waking up|"
        r"living)|disappearing (?:forever|for good)|no longer being (?:here|around|alive)|"
        r"dying)\b",
        r"\b(?:wish|want|hope) (?:i could |to |i would |i could just |i can )?"
        + ADV
        + r"(?:go to sleep|sleep|fall asleep) (?:forever|and never wake up|and not wake up)\b",
        r"\bwish (?:i (?:would|could|might) (?:just )?die|i (?:was|were) (?:just )?not (?:alive|"
        r"here|around|born))\b",
        r"\b(?:wish|want|hope) (?:i could |to |i would |i could just |i can )?" + ADV + _VANISH,
        r"\b(?:would not|do not|not) (?:even |really |honestly )?(?:care|mind) if (?:i|something) "
        r"(?:\w+ ){0,4}(?:die|died|dead|accident|crash|crashed|killed|hit by|run over|wake up|"
        r"woke up)\b",
        r"\bnothing matters(?: anymore| any more)?\b|\bnothing (?:left )?(?:for me|to live for)\b"
        r"|\bnothing left (?:for me|in me)\b",
        r"\b(?:envy|jealous of) (?:people|those|anyone|the ones|everyone) (?:who|that) (?:get to )?"
        r"(?:die|died|are dead|do not wake up|never wake up)\b",
        r"\b(?:tired|sick|exhausted) of (?:fighting|trying|everything|it all|struggling|being me|"
        r"this life|feeling like this)\b(?! (?:with|for|to|about|over)\b)",
        r"^\s*i (?:just |honestly )?give up\s*$|\bi give up on (?:everything|life|myself|living)\b",
        r"\bwhat is (?:even )?the point(?: anymore| any more| of it all| of anything)?\s*\W*$",
        r"\b(?:do not think i will ever|i will never|i am never going to|will i ever) be (?:happy|"
        r"okay|ok|better|normal|free|enough)\b",
        r"\bi (?:am|feel like|feel) (?:\w+ ){0,3}(?:a )?burden\b",
        r"\bdeath (?:does not|no longer|do not) scares? me\b|\bnot (?:scared|afraid) (?:of|to) "
        r"(?:die|dying|death) anymore\b",
        r"\bdo not want to " + ADV + r"be here(?= anymore| any more| in this world| on this "
        r"earth| now| tomorrow| much longer|\s*$)",
    ),
    # --- high: active ideation in chat phrasing --------------------------------
    *cues(
        "suicidal_ideation",
        HIGH,
        r"\b" + _THINK + r" (?:to |of |about )?" + ADV + METHOD,
        r"\bmight as well (?:just )?(?:end it|die|kill myself|be dead|not exist)\b",
        r"\b(?:end|ending|ended) (?:it all|things|everything|my life)\b(?! (?:with|between|on a|"
        r"early|off)\b)",
        r"\b(?:want|wanna|thinking about|think about|thought about|considering|going) (?:to )?"
        + ADV
        + r"ending (?:it|things|my life|it all)\b(?! with)",
        r"\b(?:suicide|killing myself|ending it|ending my life|selfharm)\b (?:is|has been|keeps?|"
        r"was|is always) (?:\w+ ){0,2}(?:on my mind|in my head|all i (?:can )?think about)\b",
        r"\b(?:suicide|death|dying|being dead|ending it|not existing|not waking up) (?:is |are )?"
        r"(?:looking|seems?|feels?|sounds?|looks?|seeming|sounding) (?:\w+ )?(?:good|nice|"
        r"better|appealing|tempting|inviting|peaceful|easier|like (?:a |the |my )?(?:relief|"
        r"option|answer|way out|solution|only way))\b",
        r"\b(?:googl(?:e|ed|ing)|search(?:ed|ing)?|look(?:ed|ing)? up|research(?:ed|ing)?|"
        r"read(?:ing)? about) (?:\w+ ){0,2}(?:ways|how|methods?|the best way|painless ways?) "
        r"(?:to|of) (?:die|dying|kill myself|end it|end my life|overdose|hang myself|"
        r"commit suicide|suicide)\b",
        r"\b(?:thinking|thought|think|planning|plan|worked out|figured out) (?:about |of )?how "
        r"(?:i would|i will|i could|i am going to|i should|to) (?:do it|end it|die|kill myself)\b",
        r"\b(?:look(?:ed|ing)? up|googl\w+|search\w*|research\w*|figur\w+ out|count\w*) "
        r"(?:up )?how (?:many|much) (?:\w+ ){0,2}(?:it would take|it will take|"
        r"it takes|to die|to kill|"
        r"would kill|to overdose|is lethal|is fatal|i would need)\b",
        r"\bfeel(?:ing)? like (?:hurting myself|harming myself|killing myself|ending it|"
        r"ending my life|i want to die|i should die)\b",
    ),
    *cues(
        "intent",
        IMMINENT,
        # Chat drops the subject: "gonna kms fr". Negated forms are left to the
        # ideation cues (and their negation handling) by the look-behinds.
        r"(?<!not )(?<!never )\b(?:going to|about to|ready to|finally going to|decided to) "
        r"(?:kill myself|end my life|take my (?:own )?life|commit suicide|hang myself)\b",
    ),
    # --- high: self-harm urges and acts ---------------------------------------
    *cues(
        "self_harm",
        HIGH,
        r"\b(?:bit|bite|biting|bites|slapped|slapping|pinched|pinching|stabbed|stabbing|"
        r"bruised|bruising|scratch(?:ed|es|ing)?|burn(?:ed|t|ing|s)?|hit(?:ting|s)?|"
        r"punch(?:ed|ing|es)?|carv(?:ed|ing)|starv(?:e|ed|es|ing)|chok(?:ed|ing)|"
        r"strangl(?:e|ed|ing)|poison(?:ed|ing)?) (?:myself|" + BODY + r")\b",
        r"\b(?:until|till|til|so) (?:it|i|they|my \w+) (?:bled|bleeds?|bleeding|bruised|"
        r"was bleeding|started bleeding)\b",
        r"\b(?:wanted|want|needed|need) (?:it|myself|the pain) to (?:hurt|bleed)\b"
        r"|\bi deserve(?:d)? (?:the |this )?pain\b|\bto punish myself\b",
        r"\b(?:cut|cutting|selfharm\w*|scratch(?:ed|ing)?|hurting myself|hurt myself|"
        r"hit(?:ting)? myself|purging|picking) again\b",
        r"\b(?:took|take|taking|used|using|put|putting) (?:a |the |my )?(?:razor|blade|knife|"
        r"lighter|scissors|compass|glass|sharpener) (?:to|on|against|across) " + BODY,
        r"\b(?:razor|blade|blades|knife)\b.{0,30}\b" + BODY,
        r"\bcut (?:deeper|too deep)\b",
        r"\b(?:craving|crave|miss|missing|want|need|needing) (?:the |my )?(?:blade|razor|"
        r"cutting|the pain|to bleed|the blood)\b",
        r"\b(?:carv\w+|etch\w*|cut|cutting|scratch\w*|burn\w*) (?:\w+ ){0,4}(?:into|in|on|"
        r"across) " + BODY,
        r"\b(?:need|want|wanna|going|gonna|have|tempted|craving|itching|dying) to (?:cut|bleed)"
        r"\b" + NOT_EVERYDAY_CUT,
        r"\bfeel(?:ing)? like cutting\b" + NOT_EVERYDAY_CUT,
    ),
    # --- imminent: means at hand, acquired, decided timeline ---------------------
    *cues(
        "means",
        IMMINENT,
        r"\bi (?:have|have got|got|have now got) (?:the|my|enough|all the|all my|a|some) (?:\w+ )?"
        + MEANS
        + r"s? (?:ready|lined up|counted out|in front of me|next to me|in my hand|on the table|"
        r"beside me)\b(?! for| to pick)",
        r"\b(?:the|my) " + MEANS + r"s? (?:is|are) (?:right |all )?(?:here|ready|in front of me|"
        r"next to me|lined up|counted out|in my hand|on the table|beside me)\b(?! for| to pick"
        r"| at the)",
        r"\benough (?:\w+ )?" + PILLS + r" (?:\w+ )?(?:saved|stashed|hidden|stockpiled|to (?:do it|"
        r"die|end it|kill myself|overdose|not wake up|do the job))\b",
    ),
    *cues(
        "act",
        IMMINENT,
        r"\b(?:drank|swallowed|ingested|downed|took) (?:\w+ ){0,4}(?:bleach|antifreeze|poison|"
        r"drain cleaner|weed killer|pesticide|rat poison)\b",
        r"\bcut (?:my )?(?:wrists?|throat|arm|neck) (?:really |too |so |very )?deep\b",
        r"\bi will be dead (?:by (?:morning|tomorrow|tonight|the weekend|then)|tomorrow|tonight|"
        r"soon|in (?:a|an|\d+) \w+)\b",
    ),
    *cues_if(
        SELF_HARM_WORD,
        "act",
        IMMINENT,
        r"\b(?:a lot of|so much|too much|lots of) blood\b|\bblood everywhere\b|\bbleeding "
        r"(?:a lot|so much|heavily|badly)\b",
    ),
    *cues(
        "acquired_means",
        IMMINENT,
        r"\b(?:bought|buying|ordered|got|picked up|went and got|found) (?:a|the|some|my|myself a|"
        r"a new|a length of) (?:rope|noose|gun|razor blades|blades|razors|shotgun|pistol)\b"
        + _ORDINARY_PURPOSE,
        r"\b(?:bought|buying|ordered|got|picked up|stocked up on|collecting|stockpiling) "
        r"(?:a bunch of|loads of|lots of|a lot of|a ton of|boxes of|packs of|packets of|"
        r"bottles of|extra|several|multiple|\d+ (?:boxes|packs|packets|bottles) of) "
        + PILLS
        + r"\b"
        + _ORDINARY_PURPOSE,
    ),
    *cues_if(
        FINALITY,
        "means",
        IMMINENT,
        r"\b(?:got|grabbed|have|getting|holding) (?:the|a|my) (?:razor|blade|rope|knife|gun)\b",
        r"\bfilled (?:the|a) (?:tub|bath)\b",
    ),
    *cues_if(
        PLAN,
        "plan_or_means",
        IMMINENT,
        r"\b(?:set|setting) (?:everything|it all|it) up\b|\b(?:everything|it all) is (?:set up|"
        r"ready|planned|in place)\b",
    ),
    *cues_if(
        DECIDED,
        "timeline",
        IMMINENT,
        r"\b(?:it is|its|it will be|it will happen|doing it|i will do it)"
        r"(?: going to be| gonna be)?"
        r" (?:tonight|tomorrow|this weekend|this week|on (?:monday|tuesday|wednesday|thursday|"
        r"friday|saturday|sunday)|soon|next week)\b",
    ),
    *cues_if(
        PILL_WORD,
        "intent",
        IMMINENT,
        r"(?<!not )(?<!never )\b(?:going to|will|about to|ready to|planning to|plan to) "
        r"(?:take|swallow|down) (?:them all|all of them|all of it|the lot|every (?:one|last one)"
        r"|all (?:my|the|of my|of the) " + PILLS + r")",
    ),
    *cues_if(
        AT_HAND,
        "act",
        IMMINENT,
        r"\b(?:am|is|are|standing|sitting) (?:standing |sitting )?(?:at|on|on top of) (?:the )?"
        r"(?:edge of (?:the|a) )?(?:bridge|roof|rooftop|ledge|cliff|train tracks|railway tracks|"
        r"tracks)\b(?! (?:terrace|garden|bar|deck)\b)",
    ),
    # --- imminent: danger from another person ------------------------------------
    *cues_if(
        DANGER,
        "danger_from_other",
        IMMINENT,
        r"\b(?:he|she|they|my \w+)\b(?: \w+){0,4} (?:has|have|got|is holding|holding|is waving|"
        r"waving|pulled out|pulled|grabbed|with|took out|is carrying|came back with|came at me "
        r"with) (?:a|the|his|her|their) (?:gun|knife|knives|weapon|bat|machete|blade|axe|hammer|"
        r"rifle|shotgun|pistol)\b",
    ),
    # --- imminent: goodbyes that stand on their own ------------------------------
    *cues(
        "goodbye",
        IMMINENT,
        r"\b(?:do not|please do not) (?:look for me|try to find me|come looking|blame "
        r"yourselves|blame yourself)\b",
        r"\bif (?:you are|anyone is|someone is) reading this,? i am (?:already )?(?:gone|dead)\b"
        r"|\bi am already (?:gone|dead)\b",
        r"\b(?:said|say|saying) my goodbyes?\b" + LEAVING_THING + r"|\bsaying goodbyes\b",
        r"\b(?:wrote|written|writing|left|leaving|finished) (?:goodbye )?(?:letters|notes) "
        r"(?:to|for) (?:my (?:kids|children|family|parents|wife|husband|partner|son|daughter|"
        r"loved ones|friends|mom|mum|dad|sister|brother)|everyone|each of)\b",
        r"\bwill not (?:need|be needing) (?:\w+ ){0,3}where i am going\b",
        r"\b(?:please )?tell (?:my \w+|everyone|them|her|him) (?:that )?i "
        r"(?:love|loved|am sorry)\b",
    ),
]
