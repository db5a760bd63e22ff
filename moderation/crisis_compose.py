"""Crisis cues built by composition: (desire or intent) x (an ending, absence or means).

The earlier lexicons list phrasings; unseen text kept finding new ones ("I want to
fall asleep and not wake up", "ready to check out of this life", "ive got enough to
not wake up"). Here each family is a product of small vocabularies, so a new
combination of known parts is caught: a passive wish verb (want, hope, pray, would
not mind, ...) with a state of not being (not wake up, stop existing, be gone for
good, ...) is low; intent (going to, ready to, decided) or an active ending (end my
life, check out of life) is high; means stockpiled "enough to" is imminent.

Patterns start at the verb, not at "i", so crisis.py still reads the subject before
them (third person), the negation before them ("i am not going to ...") and the
clause's tense. Written against `normalize()` output.
"""

from __future__ import annotations

import re

from moderation.crisis_lexicon import DANGER, LEAVING_THING, PILLS, TIMELINE, Cue, cues, cues_if
from moderation.types import Severity

LOW, HIGH, IMMINENT = Severity.LOW, Severity.HIGH, Severity.IMMINENT


# A few filler words ("just", "honestly"), never a new subject: "i hope you die" is harm.
_GAP = r"(?: (?!you\b|he\b|she\b|they\b|him\b|her\b|them\b|we\b)\w+){0,4}?"
_FOREVER = r"(?:forever|for ever|for good|permanently|and never come back)"
# Being gone, asleep for ever, not existing: what a passive wish is a wish for.
_ABSENCE = (
    r"(?:(?:fall )?(?:asleep|sleep|go to sleep|rest)(?: \w+){0,2} (?:and )?(?:not|never) "
    r"wak(?:e|ing)"
    r"|(?:not|never) wak(?:e|ing) up|(?:sleep|rest|go to sleep)(?: \w+){0,2} (?:"
    + _FOREVER[3:-1]
    + r"|for a very long time)|(?:disappear|vanish|fade away|go away|be gone)(?: \w+){0,2} "
    + _FOREVER
    + r"|stop(?: everything)? "
    + _FOREVER
    + r"|not (?:to )?exist"
    r"|stop (?:existing|being alive|being a person|living|breathing)|not be (?:alive|here|around)"
    r"|be dead|become a memory|cease to exist|not be a person anymore"
    r"|(?:turn|switch) (?:my brain|it all|everything|myself) off (?:forever|permanently|for good)"
    r"|(?:everything|it all) to (?:stop|end|go dark))"
)
# Ending one's life in other words.
_ENDING = (
    r"(?:end (?:it all|my life|things|everything|my existence)|take my (?:own )?life"
    r"|finish (?:my life|myself|it all)|check(?:ing)? out (?:of (?:this |my )?life|for good)"
    r"|log(?:ging)? off (?:from |of )?(?:life|this world|existence)(?: permanently)?"
    r"|leave this (?:world|life|earth|planet)"
    r"|exit (?:stage left )?(?:for good|this life|this world)"
    r"|meet my maker|be six feet under|go out for good|(?:take|taking) (?:a |the )?long walk off "
    r"a short pier|drink myself to death|die|od|overdose)"
)
_WISH = (
    r"(?:want|wish|hope|hoping|pray|praying|long|longing|need|would like|would love|dream|"
    r"dreaming|would not mind|ready)"
)
_INTENT = (
    r"(?:going|planning|plan|decided|ready|about|intend|intending|thinking of|thinking about|"
    r"considering|time)"
)
_BODY = r"(?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?|body|knuckles|ankles?)"
_SH_CONTEXT = re.compile(
    r"\b(?:" + _BODY + r"|selfharm|self harm|blades?|razors?|cut\w*|bleed\w*|"
    r"bled|scars?)\b"
)
# Danger now, unless the message is marked as a joke ("mum will kill me when she gets home lol").
_DANGER_NOW = re.compile(
    r"^(?!.*(?:\blol\b|\blmao\b|\bhaha|\bjk\b|😂|🤣))(?=.*(?:"
    + DANGER.pattern
    + "|"
    + TIMELINE.pattern
    + r"|\b(?:knife|gun|weapon)\b))"
)
_STASH = (
    r"(?:"
    + PILLS[3:-1]
    + r"|stash|oxy|fent|fentanyl|dope|heroin|gear|sleeping tablets|heart tablets)"
)

# Everyday look-alikes of means and acts, removed with the idioms before matching.
BENIGN = re.compile(
    r"\b(?:overdosed|overdosing|od|oded) on (?:coffee|caffeine|sugar|candy|chocolate|netflix|tv|"
    r"memes|carbs|pizza|cake|cookies|energy drinks|cuteness|drama|anime|tiktok|people|small talk|"
    r"(?:christmas |festive )?(?:music|songs|films|movies|cheer|telly)|tea|sweets|biscuits|crisps|"
    r"junk food|news|politics|football|screen time|youtube|podcasts|reality tv|sunshine|love)\b"
    r"|\btook (?:all )?my (?:meds|pills|medication|tablets|vitamins) (?:on time|as prescribed|"
    r"every (?:day|morning|night)|this (?:morning|week)|today|like (?:my )?(?:doctor|dr) said)\b"
    r"|\b(?:ropes?|knife|knives|guns?) for (?:the |a |my |our )?(?:\w+ )?(?:swing|boat|camping|"
    r"climbing|tent|hammock|garden|kids|dog|crafts?|project|gym|kitchen|hunting|range)\b"
    r"|\b(?:ropes?|twine|cord|string) to (?:tie|secure|tow|pull|climb|hang (?:up )?(?:the |my )?"
    r"(?:washing|laundry|hammock|swing|lights|pictures|bird feeder))\b"
    r"|\bdisappear (?:from|off) (?:\w+ ){1,3}for (?:a (?:bit|while|few \w+|week|month)|now)\b"
    r"|\bdisappear into (?:a |the |my )?(?:\w+ )?(?:book|show|game|blanket|bed|series|music|"
    r"work|crowd|garden)\b"
    r"|\benough (?:\w+ )?to last (?:till|until|through|me)\b"
    r"|\b(?:clean|free|sober) from (?:selfharm|self harm|cutting|\w+) for \d+ \w+"
    r"|\b(?:selfharm|self harm|sh|cutting|cut) free (?:for )?(?:\d+|a|one|two|three) (?:days?|"
    r"weeks?|months?|years?)\b|\b(?:\d+|a|one|two|three) (?:days?|weeks?|months?|years?) "
    r"(?:selfharm|self harm|sh|cutting) free\b"
    # the topic, not the act: "selfharm rates in teens have gone up"
    r"|\b(?:suicide|selfharm|self harm|overdose) (?:rates?|statistics|stats|figures|awareness|"
    r"prevention|research|numbers|data)\b"
    # games: "he beat me again at chess", "beat me again, 3-1 this week"
    r"|\b(?:beat|beats|beaten|thrashed|hammered) me (?:again )?(?:at|in) (?:chess|cards|pool|"
    r"darts|snooker|scrabble|tennis|squash|golf|bowling|mario kart|fifa|monopoly|poker|the quiz|"
    r"\w+ ?games?)\b|\bbeat me again\b(?=.{0,20}\b\d+ ?- ?\d+\b)"
    # hyperbole about a thing: "i am literally going to die if they cancel the show"
    r"|\b(?:going to|gonna) die if (?:they|you|this|that|the|we|it)\b"
)

CUES: list[Cue] = [
    # --- low: a wish to be absent, indifference, hopelessness, burden ---------------
    *cues(
        "passive_wish",
        LOW,
        _WISH + r"(?: to)?" + _GAP + r" (?:to )?" + _ABSENCE,
        r"\b(?:hope|hoping|pray|praying|wish)(?: that)? (?:the lord|god|death|something|it|the "
        r"next (?:\w+ )?(?:one|hit|dose|drink)) (?:\w+ ){0,3}(?:takes|take|will take|calls|"
        r"call) me",
        r"\b(?:hope|hoping|pray|praying)(?: that)? (?:i|my heart)(?: \w+){0,3} (?:od|overdose|die|"
        r"stops?|do not wake|never wake)",
        r"\b(?:hope|hoping|wish|waiting for)(?: that)? (?:a |the |some )?(?:car|bus|truck|train|"
        r"plane|lorry|driver) (?:\w+ )?(?:hits|hit|crashes|goes down|takes|kills) me",
        r"\b(?:would not|do not|dont) (?:mind|care)(?: \w+){0,2} if (?:i |the )?(?:\w+ ){0,3}"
        r"(?:die|died|od|overdose|do not wake|did not wake|crashed|went down|goes down|hits me|"
        r"live or die)",
        r"\bif i (?:die|died|do not wake up|od)(?: \w+){0,4} (?:that is |thats )?(?:fine|ok|okay|"
        r"good) (?:by|with) me",
        r"\b(?:not|no) (?:want|wanting|wish)(?: to)? (?:live|living|be alive|exist)",
        r"\bbetter (?:if )?(?:i am |i )?(?:not|no) (?:exist|alive|here|living)",
        r"\bno (?:wish|desire|will|reason|strength|more strong)(?: left)? (?:to|for) (?:go on|"
        r"carry on|continue|keep going|keep living|live|living|remain|be here|stay)",
        r"\b(?:shall|will|would) be glad (?:of it|to go|to die|when it ends)",
    ),
    *cues(
        "hopeless",
        LOW,
        # "see the point" only with its negation inside the match: "i finally see the point
        # in living" is not hopeless, and a negation before the match would erase the cue.
        r"\b(?:no|not any|(?:(?:can|do|could|does) not|never|no longer|barely|hardly) see "
        r"(?:the|any|a)|what is the|is there a|is there any|any) (?:point|reason|"
        r"purpose)s? (?:in |to |of |for )"
        r"(?:carrying on|going on|living|being alive|staying|existing|waking up|remaining|"
        r"me being here|me to (?:remain|stay|live|go on))(?! (?:with|at|in|doing|the)\b)",
        r"\bno reason for me to (?:remain|stay|be here|live|go on|exist)",
        r"\bwhy (?:am i|i am|i|do i) (?:still |even )*(?:alive|living|exist|breathing)\b"
        r"(?! (?:in|at|with|near|on)\b)",
        r"\bwhy i (?:still |even )*(?:living|alive|here)\b(?! (?:in|at|with|near|on)\b)",
        r"\b(?:can not|cannot) (?:go on|carry on|keep going)(?! (?:the|a|with|to|at|holiday|"
        r"vacation|trips?|like this at)\b)",
        r"^(?:i )?(?:just |really )?(?:can not|cannot)(?: do (?:this|it))? any ?more\W*$",
        r"\bdone (?:with )?(?:living|being alive|existing)\b",
        r"\b(?:tired|sick|exhausted|weary) of (?:being alive|living|existing|this life|"
        r"waking up)(?! (?:at|early|so early|for|in|with)\b)",
        r"\brunning out of reasons\b",
        r"\bno (?:more )?reasons? (?:left )?to (?:stay|live|keep going|be here|go on|remain)",
        r"\bnothing (?:left )?(?:to live for|keeping me here)\b",
        r"\b(?:want|need) (?:it|everything|it all) (?:all )?(?:to be )?over\W*$",
        r"\b(?:do not|dont) know how much longer i can (?:hold on|keep going|do this|go on)\W*$",
    ),
    *cues(
        "burden",
        LOW,
        r"\b(?:better|best|easier|happier) (?:\w+ ){0,5}if i (?:simply |just )?"
        r"(?:went to sleep and )?(?:did not wake up|never woke up|died|was gone|were gone|"
        r"was dead|were dead|was not "
        r"(?:here|around)|were not (?:here|around)|disappeared|vanished|ceased to exist|"
        r"just vanished)",
        r"\b(?:nobody|no one|noone|anyone)(?: \w+){0,2} (?:would|will|even) (?:even )?"
        r"(?:notice|care|miss me)(?: \w+){0,2} if i (?:was|were|am|died|disappeared|vanished|"
        r"went|pass)",
        r"\b(?:world|everyone|everybody) (?:is|would be|will be) better (?:off )?without me",
        r"\bone less mouth to feed\b|\ba waste of (?:air|oxygen|space)\b",
    ),
    # --- high: intent or an active ending --------------------------------------------
    *cues(
        "suicidal_ideation",
        HIGH,
        r"\b(?:" + _WISH + "|" + _INTENT + r")(?: to)?" + _GAP + r" (?:to )?" + _ENDING + r"\b",
        r"\b(?:ready|time|going) to (?:go|leave|check out|exit|be done|stop)(?: \w+){0,2}? "
        r"(?:for good|permanently|forever)\b",
        r"\b(?:use|using|drink|drinking|shoot up|shooting up|keep going)(?: \w+){0,3} "
        r"(?:until|till|til) (?:it stops|my heart stops|i die|i do not wake up|i stop breathing|"
        r"it kills me)",
        r"\bmight as well (?:make it official|end it|die|be dead|go)\b",
        r"\b(?:want|need) out of (?:my life|this life|life|existence|this world)\b",
        r"\b(?:my|the) story ends here\b",
        r"\bbetter provided for if i (?:were|was) (?:gone|dead)\b",
        r"\bending it(?: all)?(?! (?:with|off|for|between|up)\b)"
        r"(?= (?:tonight|today|soon|this|on|by|after|before)\b|\W*$)",
        r"\bend it all\b",
        r"\b(?:not planning|not going|not intending|do not plan) to be (?:here|around|alive) "
        r"(?:much |for much )?longer\b",
        r"\bi (?:just )?(?:will not|wont|shant) be (?:here|around|alive) "
        r"(?:much |for much )?longer\b",
        r"\bi will be gone before (?:anyone|everyone|everybody|you all|they|my \w+) (?:wakes? up|"
        r"gets? up|notices?)",
        r"\b(?:finish|end) my life\b|\bfinish life\b",
        r"\b(?:looked up|googled|googling|searched|researching|looking up|looked into)"
        r"(?: \w+){0,3} (?:painless ways to (?:die|go|end)|ways to (?:die|kill myself)"
        r"|how to (?:die|kill myself|overdose)|lethal doses?|the tallest (?:building|bridge)"
        r"|how high (?:a|the) \w+ (?:is|has))",
    ),
    *cues_if(
        re.compile(
            r"\b(?:will not|wont|shant|do not|dont) need (?:them|it|anything|my \w+)"
            r"|\bbetter looked after\b|\blook after (?:him|her|them|my \w+) for me\b"
        ),
        "goodbye",
        HIGH,
        r"\b(?:gave|giving|given|give) (?:away )?(?:\w+ ){0,4}(?:things|stuff|belongings|"
        r"possessions|cat|dog|pets?)\b",
    ),
    *cues(
        "goodbye",
        HIGH,
        r"\b(?:written|wrote|writing) (?:goodbye |final |last )?letters? to (?:each of |all of )?"
        r"(?:everyone|my (?:kids|children|family|sons|daughters|loved ones))",
        r"\b(?:will not|wont|shant) (?:trouble|bother|burden) (?:anyone|you|anybody|anyone else)"
        r"(?: \w+){0,2} (?:after|again|any ?more|much longer)",
        r"\btell my \w+ (?:that )?i love (?:her|him|them)\b",
    ),
    *cues(
        "goodbye",
        IMMINENT,
        r"\bwrote my (?:suicide |goodbye |last |final )?note\b(?! (?:to|for|about|on)\b)",
        r"\bsee you (?:all )?on the other side\b",
        r"\bthis (?:is|will be) my (?:last|final) (?:message|post|words|night)\b(?! before)"
        + LEAVING_THING,
        r"\bmy last day on earth\b",
    ),
    *cues_if(
        re.compile(
            r"\bthank(?:s| you)(?: all| everyone| guys)? for (?:trying|everything|"
            r"putting up)"
        ),
        "goodbye",
        IMMINENT,
        r"\b(?:it was not|it is not|was not|is not|its not) (?:your|anyones|anybodys) fault\b",
        r"\bcheck(?:ing)? out early\b",
    ),
    # --- self-harm in other words -----------------------------------------------------
    *cues(
        "self_harm",
        HIGH,
        r"\brelapsed (?:on|with|into|in) (?:selfharm|self harm|cutting|burning|sh)\b",
        r"\b(?:the )?(?:blades?|razors?)(?: \w+)? (?:is|are|keep|keeps) (?:calling|singing|"
        r"whispering)",
        r"\b(?:opened|reopened|ripped|picked|tore) (?:up |open )?(?:my )?(?:old )?(?:scars|cuts|"
        r"wounds)\b",
        r"\b(?:hiding|hide|hid|covering|cover|covered) (?:up )?(?:my )?(?:wrists|arms|cuts|scars|"
        r"thighs|marks)(?: \w+){0,3} (?:in|with|under) (?:long sleeves|sleeves|bracelets|hoodies?|"
        r"bandaids|plasters)",
        r"\btold (?:mum|mom|my \w+|them|everyone|people|the nurse|my teacher) it was the cat\b",
        r"\b(?:punched|punching|punch|hit|hitting|banged|banging|slammed|smashed)(?: \w+){0,2} "
        r"(?:the wall|walls|my head|myself)(?: \w+){0,4} (?:until|till|til) (?:my \w+ |it |i )?"
        r"(?:bled|bleed|bleeds|split|broke|cracked|bruised|stopped)",
        r"\bscratch(?:ing|ed)?(?: \w+){0,3} (?:until|till|til) (?:i |it )?(?:bleed|bled|bleeds)",
        r"\b(?:carved|carving|carve) (?:\w+ ){0,3}into my \w+",
        r"\b(?:need|want|crave|miss|craving) (?:the )?(?:sting|feeling|pain|relief|release) of "
        r"(?:the )?(?:blade|razor|cutting|cuts)",
        r"\b(?:took|taken|taking|take) (?:my|a|the) (?:pencil )?sharpener apart\b",
        r"\bstarv(?:e|ing|ed) myself\b",
    ),
    *cues_if(
        _SH_CONTEXT,
        "self_harm",
        HIGH,
        r"\b(?:new|fresh) (?:lines|cuts|scars|marks|wounds)\b"
        r"(?! of\b)",
    ),
    # --- means gathered, acts, research ---------------------------------------------
    *cues(
        "means",
        IMMINENT,
        r"\b(?:have|have got|got|saved|saving|stocked up|stockpiled|hoarded|hoarding|collected|"
        r"collecting|bought|copped)(?: \w+){0,4}? enough(?: \w+){0,2} (?:to (?:not wake up|never "
        r"wake up|die|end it|make sure|kill|od|overdose|be sure|not come back)|that i (?:will not|"
        r"wont) wake up)",
        r"\benough(?: \w+){0,2} to (?:not|never) wake up\b",
        r"\b(?:saving|saved|hoarding|stockpiling|stockpiled|collecting|collected|hoarded) (?:up )?"
        r"(?:my |all my |the )?(?:\w+ )?" + _STASH + r"\b(?! (?:for|to give|to share))",
        r"\bhow many (?:of )?(?:my |these |the |those )?(?:\w+ )?" + _STASH + r"(?: \w+){0,3} "
        r"(?:it would take|would it take|it takes|to die|would kill|to kill|to od|to overdose|"
        r"(?:is|are) lethal)",
        r"\b(?:bought|got|copped|scored|picked up)(?: \w+){0,4} (?:fent|fentanyl|a hot shot)"
        r"(?: \w+){0,5} (?:on purpose|to die|so i (?:do not|never|will not))",
        r"\b(?:got|have|have got) a hot shot\b",
        r"\b(?:use|shoot up|take|do|swallow) (?:the whole|all (?:of )?(?:my|the)) "
        + _STASH
        + r"\b",
        r"\b(?:use|using|shoot up|shooting up) everything i have(?: left)?\b",
        r"\b(?:gun|shotgun|rifle|pistol)(?: is| are)? (?:cleaned and )?loaded\b",
        r"\b(?:buy|bought|got|have) (?:the |a )?(?:rope|noose) (?:already|ready)\b",
    ),
    *cues(
        "means",
        HIGH,
        r"\bi (?:have|got|have got|am holding) (?:my (?:\w+ )?|a |the |his |her )?(?:gun|shotgun|"
        r"rifle|pistol|revolver)\b(?! (?:license|licence|range|safe|class|for (?:hunting|work)))",
    ),
    *cues(
        "act",
        IMMINENT,
        r"\b(?:take|took|taked|taken) (?:many|much|a lot of|lots of|too many|all) (?:pill|pills|"
        r"tablet|tablets|medicine)\b",
        r"^(?:i )?(?:just )?(?:took|swallowed|have taken|taken) (?:them|it) all\W*$",
    ),
    *cues_if(TIMELINE, "timeline", LOW, r"^no more\W*$"),
    # --- danger from someone else -----------------------------------------------------
    *cues_if(
        _DANGER_NOW,
        "danger_from_other",
        IMMINENT,
        r"\b(?:said|says|say|threatened|threatens|swore|saying|told me)(?: \w+){0,8} (?:kill|hurt|"
        r"beat|murder|stab|shoot|finish) (?:me|the job)\b",
        r"\b(?:he|she|they|my \w+) (?:hits|beats|chokes|choked|strangled|strangles|hurts|"
        r"beat|hit|punched|punches|kicks|kicked) me\b",
        r"\b(?:someone|somebody|a (?:man|guy|stranger)|he|she|they) (?:is|has been|keeps|was|"
        r"have been) (?:following|stalking|watching) me\b",
        r"\blocked me in\b",
        r"\b(?:not|never) (?:leaving|leave|getting out) (?:here )?alive\b",
    ),
    *cues(
        "danger_from_other",
        IMMINENT,
        r"\b(?:trying to|tried to|about to) (?:break|get) in(?:to (?:my|the|our) (?:house|flat|"
        r"apartment|room|home))?(?! (?:shape|line|touch|the|a|to|on)\b)",
        r"\b(?:come|coming) (?:round|over|back|here)(?: \w+){0,2} to (?:sort me out|"
        r"hurt me|deal with me|teach me a lesson|finish me)",
    ),
    *cues(
        "danger_from_other",
        HIGH,
        r"\b(?:he|she|they) (?:will|is going to|would) finish (?:the job|me off|what \w+ started)",
        r"\b(?:keeps?|kept) threatening to (?:hurt|kill|beat) me\b",
    ),
]
