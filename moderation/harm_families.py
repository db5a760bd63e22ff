"""Harm phrasing families the first lexicon (harm_lexicon.py) missed on fresh text.

Same `Rule` shape and context checks as harm_lexicon.py; harm.py runs both lists.
Each pattern is a family of phrasings ("<group> are no better than <vermin>",
"i know which <thing> you <routine>"), not a sentence. Where a family is only
harmful in combination ("keep it up and ..." is praise until "... you will need
an ambulance"), the pattern demands the harmful half, so praise, idiom and people
in crisis talking about themselves do not match.

Over 300 lines because it is a table: one pattern per family, grouped by category,
read top to bottom like harm_lexicon.py; splitting it would scatter one category.
"""

from __future__ import annotations

from moderation import harm_lexicon as lx

# Groups the lexicon's ID lacks: named in our training data as targets of abuse,
# never as insults in their own right ("addicts" is left out: members say it of
# themselves).
_MORE_ADJ = (
    r"(?:fat|obese|polish|romanian|traveller|gypsy|roma|pakistani|somali|nigerian|"
    r"albanian|syrian|afghan|eastern european|bipolar|schizophrenic|neurodivergent)"
)
_MORE_PLURAL = (
    r"(?:travellers|gypsies|gyppos|pikeys|schizos|schizophrenics|poles|romanians|"
    r"pakistanis|somalis|albanians|fatties|lesbos)"
)
_DET = r"(?:(?:all|those|these|the|every|any|most|such|many|of|you|your) )*"
# Any identity group, optionally possessive ("every womans life", "in womens nature").
_GROUP_BASE = (
    r"(?:"
    + lx.ID.removesuffix(r"\b")
    + r"|"
    + _DET
    + r"(?:"
    + _MORE_ADJ
    + " "
    + lx._ID_NOUN
    + "|"
    + _MORE_PLURAL
    + r"))"
)
GROUP = _GROUP_BASE + r"\b"
_GROUP_S = _GROUP_BASE + r"s?\b"
_LIKE_YOU = r"(?: like (?:you|them|him|her|that|yourself))?(?: all)?"
# Words that derogate only in "<group> are ...": too common elsewhere for the
# lexicon's proximity rule ("dangerous levels of abuse against trans people").
_ATTRIB = (
    r"(?:thieves|scroungers|leeches|a drain|drains|a burden|a menace|dangerous|brainless|"
    r"uncivili[sz]ed|savage|barbaric|barbarians|primitive|backwards?|refuse|scumbags|"
    r"bastards|shitty (?:\w+ )?(?:people|human beings|humans)|violent|cruel|degenerates?|"
    r"perverts|paedos|pedos|predators|groomers|dogs|insects|maggots|roaches|snakes|worms|"
    r"vermin|rats|animals|pigs|leeches|parasites|cockroaches|filth|trash|scum|subhuman|"
    r"sub human|lesser|mentally (?:ill|deficient|defective)|defective|genetically inferior|"
    r"all the same|thick|mongrels|unclean|a cancer|a disease|a plague|a virus|a pest)"
)
_FILL = (
    r"(?:(?:all|just|nothing but|so|such|a|an|complete|total|absolute|the|really|simply|"
    r"utterly|totally|basically|clearly|obviously|always|naturally|inherently|by nature|"
    r"genetically|fucking|a bunch of|like|too|pretty|born|massive|huge|dirty|filthy|lazy|"
    r"alcoholic|dangerous|thieving|worthless|dirty little|disgusting) )*"
)
_ANIMAL = r"(?:rats|dogs|animals|pigs|vermin|cockroaches|insects|apes|monkeys|parasites|beasts)"
_ADJ_NOUN = (
    r"(?:scum|vermin|filth|trash|garbage|parasites?|cockroach(?:es)?|savages?|subhumans?|"
    r"degenerates?|refuse|scumbags?)"
)
_HARM_TO = r"(?:suffer|die|burn|bleed|pay|hang|rot|disappear|be wiped out|be eradicated|be gone)"
_REMOVE = (
    r"(?:" + lx._KILLED + r"|banned|sterili[sz]ed|kicked out|thrown out|sent back|segregated|"
    r"culled|dumped|purged|banished|gone|dead|extinct|put in camps|shipped (?:off|out|back))"
)
_KIN = (
    r"(?:kids?|children|son|daughter|wife|husband|partner|family|mum|mom|mam|dad|mother|"
    r"father|sister|brother|boyfriend|girlfriend|baby|little one|nan|dog)"
)
_ROUTINE = (
    r"(?:live|lives|work|works|drive|drives|park|parks|take|takes|walk|walks|sleep|sleeps|"
    r"finish|finishes|leave|leaves|catch|catches|study|studies|drop|drops|pick up|picks up|"
    r"(?:go|goes) to (?:school|work|nursery|college|bed)|get (?:home|off|the bus|the train))"
)
# What "i know which ..." must be about to be menacing: the target's routine and places.
_PLACE = (
    r"(?:bus|train|school|car|gym|house|street|road|route|shift|office|flat|door|estate|"
    r"nursery|stop|station|window|platform|way home)"
)
_YOU = r"(?:you are|your|you)"
_OFFER = r"(?:dm|pm|message|msg|inbox|text|add|snap) me\b"


def _r(category: str, score: float, kind: str, *patterns: str) -> list[lx.Rule]:
    return lx._rules(category, score, kind, *patterns)


RULES: list[lx.Rule] = [
    # --- hate: dehumanising and derogatory generalisations without slurs --------
    *_r(
        "hate",
        0.9,
        "group",
        r"\b"
        + GROUP
        + _LIKE_YOU
        + r" (?:are|is|were) "
        + _FILL
        + r"(?:(?!not\b|never\b|no\b)\w+ )?"
        + _ATTRIB
        + r"\b(?!\s*\?)",
        r"\b" + GROUP + _LIKE_YOU + r" (?:are|is) (?:\w+ )?no better than (?:\w+ )?" + _ANIMAL,
        r"\b" + lx._ID_ADJ + r" " + _ADJ_NOUN + r"\b",
        r"\b(?:swarms?|hordes?|infestation|invasion|plague|vermin) of " + GROUP,
        r"\b" + GROUP + r" (?:are )?(?:infesting|invading|swarming|overrunning|breeding like)\b",
        r"\b" + GROUP + r" (?:lives? )?(?:are|is) worth (?:absolutely |literally )?(?:nothing|"
        r"less than)\b",
        r"\bin (?:a |an |the )?" + _GROUP_S + r" (?:nature|dna|blood|genes) to be\b",
        r"\b" + GROUP + r" (?:can not|can never) (?:stop|help) (?:themselves|it)? ?(?:from )?"
        r"(?:being|but be)\b",
        r"\b" + GROUP + r" (?:are|is) (?:far |way )?too (?:emotional|stupid|dumb|weak|irrational|"
        r"hysterical|primitive|violent|unstable|crazy|sick) to\b",
        r"\b" + GROUP + r" (?:secretly |really )?(?:control|run|own) (?:everything|the (?:world|"
        r"media|banks|government|country|money))\b",
        r"\b" + GROUP + r" (?:are|is) (?:behind|to blame for) (?:the |all |every |most )?"
        r"(?:\w+ )?(?:crime|crimes|drug trade|drugs|attacks|terror(?:ism)?|wars?|virus|"
        r"pandemic|rapes?|grooming gangs|problems)\b",
        r"\b" + GROUP + _LIKE_YOU + r" (?:should|must|ought to|need to) (?:not|never) be allowed"
        r" (?:to|in|near|around|into|anywhere)\b",
        r"\b(?:rights?|laws?) (?:should|must) not (?:apply|extend) to " + GROUP,
        r"\b" + GROUP + _LIKE_YOU + r" (?:do not|does not|never) (?:deserve to (?:live|exist|be "
        r"alive|breathe)|belong (?:on this (?:earth|planet)|here|anywhere|in (?:this|our) "
        r"(?:country|group|society|world|community)))\b",
        r"\bno (?:place|space|room) (?:on|in) (?:this|our|the) \w+ for (?:any )?" + GROUP,
        r"\b" + GROUP + r" (?:are|is) (?:not|never) (?:our |my )?(?:equals?|(?:as )?(?:smart|"
        r"intelligent|capable)|real (?:men|women|people)|normal)\b",
        r"\bget rid of (?:all |every |the |those |these )*" + GROUP,
        r"\bsend (?:them|em|all of them|the lot of them) (?:all )?back\b(?! to (?:the|my|your))",
    ),
    *_r(
        "hate",
        0.8,
        "group",
        r"\b"
        + GROUP
        + lx._UNNEGATED
        + r"{0,40}\b(?:should|must|ought to|need to|deserve to) (?:all )?"
        r"(?:be " + _REMOVE + r"|die)\b",
    ),
    # --- threats against groups ---------------------------------------------------
    *_r(
        "threat",
        0.9,
        "group",
        r"\b(?:i|we) (?:\w+ )?(?:will|would love to|would like to|want to|wanna|am going to|"
        r"are going to|am gonna|are gonna|can not wait to|plan to|shall|intend to) "
        r"(?:see |watch |make )" + GROUP + " " + _HARM_TO + r"\b",
        r"\bput an end to (?:all |every |those |these )*"
        + GROUP
        + r"(?! (?:being|getting|having|feeling|facing|suffering|dying|living|not))",
        r"\bend (?:every|all|each|the) " + _GROUP_S + r" (?:lives?)\b",
        r"\b(?:execution|extermination|genocide|death|a bullet|the gas chamber|killing them)"
        r" is the (?:only|best|final) (?:solution|answer|option) for " + GROUP,
        r"\b(?:keep|start|carry on) (?:attacking|hunting|killing|hurting|beating) " + GROUP,
        r"\bbetter off (?:without (?:all |any |those |these |the )*"
        + GROUP
        + r"|if "
        + GROUP
        + r".{0,30}\b(?:were|was|got) (?:all )?"
        + _REMOVE
        + r")",
        r"\b" + GROUP + r".{0,20}\b(?:had|have|got) their throats? (?:cut|slit)\b",
        r"\b(?:raping|murdering|killing|shooting|lynching|beating|attacking) (?:a |an |any |all )?"
        + GROUP
        + r"(?:\w+ ){0,3}(?:should (?:not|never) be (?:illegal|a crime|punished)|should be "
        r"(?:legal|decriminali[sz]ed|allowed|encouraged|rewarded)|is (?:fine|justified))",
        r"\b" + GROUP + _LIKE_YOU + r" (?:would|should|will|must) (?:all )?be dead\b",
        r"\b(?:not|never) let (?:any |a single |one )?" + GROUP + r" (?:live|survive|exist)\b",
        r"\b(?:will|shall|going to|gonna) die (?:a (?:horrible|painful|gruesome|violent) death|"
        r"(?:\w+ ){0,3}at my hands)\b",
    ),
    # --- veiled threats at a member -------------------------------------------------
    *_r(
        "threat",
        0.85,
        "direct",
        # Knowing the target's routine: "i know which bus you get".
        r"\bi (?:\w+ )?(?:know|found out|worked out|figured out|have seen|saw) (?:which "
        + _PLACE
        + r"|what "
        + _PLACE
        + r") (?:you|your (?:\w+ )?"
        + _KIN
        + r")\b",
        r"\bi (?:\w+ )?(?:know|found out|worked out|figured out) (?:where|what time|when) "
        r"(?:you|your (?:\w+ )?" + _KIN + r") (?:\w+ )?" + _ROUTINE + r"\b",
        r"\bi know (?:your|ur) (?:address|postcode|car|house|reg|routine|school|workplace|"
        r"kids? s? school)\b",
        r"\b(?:keep (?:talking|it up|going|posting|this up|running your mouth|pushing)|one more "
        r"(?:word|post|comment|time|message)|say (?:that|it) again|try (?:it|me)) (?:and|or)\b"
        r"[^.!?]{0,30}\b(?:you will (?:regret|pay|be sorry|get hurt|see|need|be the one|wish|"
        r"end up)|i will (?:\w+ ){0,2}(?:smash|kill|hurt|batter|find|come (?:round|over|for|and)|"
        r"end|break|punch|stab|deck|make you))",
        r"\bwatch (?:yourself|it|your mouth|your step)\b[^.!?]{0,10}\bor (?:else|you will)\b",
        r"\bi have (?:got )?(?:mates|people|lads|boys) (?:in|near|round|around) your (?:area|town|"
        r"street|estate)\b",
        r"\b(?:mates|lads|boys|friends)\b[^.!?]{0,30}\b(?:paying you a visit|pay you a visit|"
        r"come for you|sort you out)\b",
        r"\bi (?:will|am going to|am gonna) (?:come (?:round |over )?and |find you and )?(?:smash|"
        r"kick|punch|bash|cave|knock|break|rip) (?:your|ur) (?:\w+ )?(?:face|head|teeth|skull|"
        r"jaw|legs|nose|neck)\b",
        r"\bi (?:will|am going to|am gonna) (?:(?:batter|deck|glass|knife|bottle) (?:you|him|her|"
        r"them)|do you in|fuck you up|mess you up|end you)\b",
        r"\b(?:shame|pity) if (?:something|anything) (?:bad )?(?:happened|happens|were to happen)"
        r" to (?:you|your)\b",
        r"\byour " + _KIN + r"\b[^.!?]{0,20}\b(?:will|are going to|is going to|gonna) (?:pay|"
        r"suffer|get hurt|be next|regret)\b",
        r"\bi (?:will )?see you\b[^.!?]{0,40}\b(?:you are|your) (?:done|finished|dead meat)\b",
        r"\b(?:need|needing) an ambulance\b.{0,20}$|\bthe one needing an ambulance\b",
    ),
    # --- harassment: insults and contempt the lexicon lacks --------------------------
    *_r(
        "harassment",
        0.9,
        "direct",
        r"\b" + _YOU + r" " + lx._INSULT_FILL + r"(?:leech|worm|maggot|snake|snowflake|sad act|"
        r"nonce|scrounger|freeloader|grifter|vile|spineless|whiny|gobshite|bellend|knobhead|"
        r"muppet of a human|waste of a human|excuse for a (?:human|person|man|woman|mother|"
        r"father))\b",
        r"\bhow (?:are you|can you be|is anyone) (?:this|so|that) (?:thick|stupid|dumb|dense|"
        r"pathetic|useless|clueless|braindead)\b",
        r"\bimagine (?:being|still being) (?:\w+ ){0,4}(?:this|so|that) " + lx.INSULT + r"\b",
        r"\bno wonder (?:your (?:\w+ )?(?:wife|husband|partner|kids|children|family|friends|ex|"
        r"mum|mom|dad|parents|girlfriend|boyfriend) (?:left|leave|hates?|dumped|cheated|avoid)|"
        r"(?:nobody|no one|noone) (?:likes|loves|wants|talks to) you)\b",
        r"\byou are the reason (?:why |that )?your (?:\w+ ){0,2}(?:kids|children|son|daughter|"
        r"wife|husband|family|partner|baby) (?:left|got|were|was|died|hate|are)\b",
        r"\b(?:nobody|no one|noone) (?:asked|cares|wants to hear) (?:for |about )?(?:your|ur) "
        r"(?:\w+ )?(?:sob story|story|opinion|life story|problems|drama|whining|moaning|crap|"
        r"shit|bullshit)\b",
        r"\byou are (?:just |only )?(?:faking|making (?:it|this|all of it|it all) up|lying) "
        r"(?:\w+ ){0,3}for (?:attention|sympathy|likes|clout)\b",
        r"\b(?:your|you are) (?:literally |honestly )?the most (?:annoying|pathetic|useless|"
        r"boring|irritating|obnoxious) (?:\w+ )?(?:person|human|member|thing|idiot|user)\b",
        r"\bcry me a river\b|\bgo cry (?:somewhere else|about it|to (?:your|ur) (?:mum|mom|"
        r"mummy|mommy|therapist))\b|\bgrow (?:a pair|some balls)\b(?! of)",
    ),
    # --- sexual harassment --------------------------------------------------------------
    *_r(
        "sexual_harassment",
        0.85,
        "direct",
        r"\byou (?:look like (?:you )?)?(?:would|ud|will) be (?:\w+ )?(?:fun|good|great|amazing|"
        r"wild|a freak) in bed\b(?! rest)|\b(?:get|take) you (?:in|into|to) bed\b",
        r"\b(?:what is|see what is|what s) under (?:that|your|those|them) (?:hoodie|top|shirt|"
        r"dress|skirt|clothes|jumper|jeans|towel|trousers)\b",
        r"\bsit on my (?:lap|knee)\b|\bon (?:your|ur) knees\b(?! (?:and|to) pray)",
        r"\b(?:less|fewer|no|without) (?:clothes|clothing|top|bra|underwear|knickers)\b"
        r"[^.!?]{0,20}$",
        r"\bi (?:\w+ )?(?:want|wanna|would love|would like|need|am going|will|could) (?:to )?"
        r"(?:touch|grope|feel up|undress|taste|lick|squeeze|spank) (?:you|your)\b",
        r"\byou are (?:so |really |very |fucking )?(?:hot|sexy|fit|fuckable|cute) when you are "
        r"(?:sad|crying|upset|vulnerable|drunk|high|angry|depressed|down|scared|begging)\b",
        r"\b(?:your|ur) (?:pfp|profile pic|pic|pics|photo|avatar|selfie|legs|lips|thighs|arse|"
        r"bum|figure|curves) (?:is|are|looks?) (?:so |really |well )?(?:hot|sexy|fuckable|"
        r"peng|tight)\b",
        r"\b(?:do|fuck|sleep with|suck off|blow|shag) (?:anyone|anything|me|him|anybody|you) for "
        r"(?:a fix|a hit|drugs|gear|a bag|pills)\b|\bfor a fix,? even me\b",
    ),
    # --- encouraging self-harm in veiled ways ------------------------------------------
    *_r(
        "encouraging_self_harm",
        0.9,
        "esh",
        r"\bgo on then\W+(?:prove it|do it|jump|end it)\b",
        r"\bif you (?:really |actually |truly )?(?:wanted|meant|were serious)\b[^.!?]{0,30}\byou "
        r"would (?:have )?(?:done it|be dead|killed yourself|ended it)\b",
        r"\byou would (?:have )?(?:done it|killed yourself|ended it|been dead) (?:by now|already|"
        r"ages ago)\b",
        r"\bdo (?:us all|everyone|the world|us|the group|your family|everybody)(?: here)? a "
        r"favou?r\b(?:\W*$| and (?:disappear|go away forever|log off (?:for good|permanently)|"
        r"finish it|jump|od|do it|not wake up))",
        r"\bthe (?:bridge|cliff|tracks|train tracks|railway|roof|river|motorway) (?:is|are) "
        r"(?:that way|over there|right there|just there|calling)\W*$",
        r"\b(?:ropes?|pills|razors?|blades?|bleach) (?:is |are )?(?:cheap|cheaper|free)(?: mate| "
        r"lol| tbh| you know| just saying)?\W*$",
        r"(?:^|[.!?,;] *|\byou )should (?:have|of) (?:taken|swallowed|cut|jumped) (?:more|deeper|"
        r"higher|the whole|all of them|the lot)\b",
        r"\b(?:do not|dont) (?:tell|call|ring|text|talk to) (?:your |the )?(?:therapist|doctor|gp|"
        r"counsell?or|sponsor|crisis team|samaritans|mum|mom|parents|family|anyone|nurse|"
        r"psychiatrist|key worker)\b[^.!?]{0,40}\b(?:stop you|section you|talk you out|get in "
        r"the way|ruin it)\b",
        r"\b(?:just |and |go |then )finish (?:the job|yourself off)\b(?! (?:application|"
        r"interview|search|hunt))",
        r"\b(?:suicide|killing yourself|dying|an overdose|ending it)\b is the (?:only|best) "
        r"(?:thing|option|answer|solution|way out) (?:for you|you (?:would|will|could|are)|left "
        r"for you)\b",
        r"\b(?:waiting for you to|you should|you need to|why do not you|hope you|time for you "
        r"to) (?:\w+ )?(?:log off|go to sleep|sleep|disappear|leave|go away|delete yourself) "
        r"(?:permanently|and never wake up|forever and never come back)\b",
        r"\b(?:you are|your|you) still (?:here|alive|breathing|around)\b\W*(?:i )?(?:thought|"
        r"disappointing|shame|pity|unfortunately|sadly)\b",
        r"\bthought (?:you|u) (?:were|was) (?:going to|gonna|about to) (?:kill (?:yourself|"
        r"myself)|end it|off yourself|top yourself)\b[^.!?]*\b(?:lol|lmao|haha|already)\b",
        r"(?:^|[.!?,;] *|\byou (?:should |need to |could |can |must )?)(?:just )?(?:stop eating|"
        r"skip (?:meals|breakfast|lunch|dinner)|starve (?:it|the fat) off|purge after)\b",
        r"(?:^|[.!?,;] *|\byou (?:should |need to |could |must )?)(?:just )?(?:eat|stay|keep it|"
        r"stick to|aim for) (?:under|less than|below|no more than) \d+ ?(?:cals?|calories|kcal)\b",
        r"\byou (?:would|will|could) (?:look|be) (?:so much |much |way )?(?:better|prettier|"
        r"thinner|skinnier) if you (?:lost|dropped|stopped eating|ate less|starved|skipped)\b",
        r"\b(?:pro ana|proana|pro mia|thinspo|meanspo) tips\b|\b(?:ana|mia) coach\b",
        r"\bstop (?:teasing|talking about it|threatening)\b[^.!?]{0,20}\b(?:get on with it|do it|"
        r"get it done|go through with it)\b",
    ),
    # --- self-harm method sharing as offers and advice --------------------------------
    *_r(
        "self_harm_method",
        0.9,
        "plain",
        r"\b" + _OFFER + r"[^.!?]{0,40}\b(?:tell|show|send|give|sort|link)(?: you)? (?:exactly )?"
        r"(?:how (?:many|much) (?:you (?:would |will )?need|to take|it takes|of them)|where to "
        r"(?:get|buy) (?:enough|them|pills|tablets|a rope|some|more)|what (?:dose|amount)|"
        r"which (?:ones|pills|meds|tablets))",
        r"\b(?:i can|i will|i could|happy to|willing to) (?:sell|give|send|post|get|sort)(?: you)? "
        r"(?:some of )?(?:my |some |a few )?(?:prescription|script|pills|tablets|meds|oxys?|"
        r"benzos|xanax|diazepam|valium|codeine|tramadol|sleeping pills|insulin|a rope|razor "
        r"blades?)\b",
        r"\b" + _OFFER + r"[^.!?]{0,20}\bi know (?:which|what) (?:pills|meds|tablets|ones) "
        r"(?:actually |really )?(?:work|do it|kill)\b",
        r"\b(?:i can|i will|i could|let me) (?:tell|show|teach) you how to (?:make sure it works|"
        r"do it (?:properly|right)|not wake up)\b",
        r"\bpharmacists? (?:will|would|might|is going to|are going to) (?:get|be) suspicious\b|"
        r"\b(?:without|avoid|stop) (?:the |your )?(?:pharmacist|chemist|doctor|gp|staff)s? "
        r"(?:noticing|getting suspicious|asking)\b|\bso (?:the )?(?:pharmacist|chemist) (?:does "
        r"not|will not|do not) (?:notice|ask)\b|\b(?:buy|get) (?:them|it|some) (?:from|at) "
        r"(?:different|several|multiple) (?:shops|pharmacies|chemists)\b",
        r"\b(?:nowhere near|not) enough\b[^.!?]{0,40}\byou (?:would|will) need (?:loads|lots|way|"
        r"a lot|much|at least|about|around)? ?(?:more|double|\d+)\b",
        r"\b(?:will not|would not|do not|does not) (?:kill you|do it|be enough)\b.{0,60}\byou "
        r"(?:want|need|would need) (?:the other|a stronger|stronger|more|loads|a higher)\b",
        r"\bno (?:barriers?|railings?|fences?|nets?|cameras?)\b[^.!?]{0,30}\b(?:nobody|no one|"
        r"noone) (?:checks|watches|will see|will stop you|notices|comes)\W*(?:$|[,.])",
        r"\b(?:so|make sure) (?:that )?(?:nobody|no one|noone) (?:finds|can find|will find|gets "
        r"to|stops) you (?:in time|until|before)\b",
    ),
]
