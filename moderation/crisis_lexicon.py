"""Crisis cue patterns, written against `normalize()` output (see normalize.py).

Each cue has a family (reported to moderators), a base severity, and a regex.
Base severities lean high on purpose: a person reaching out who is rated one
level too high costs a moderator a look; one rated too low may cost more.
Context (negation, past tense, third person, quotation, idiom) is applied by
crisis.py, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.types import Severity

LOW, HIGH, IMMINENT = Severity.LOW, Severity.HIGH, Severity.IMMINENT


@dataclass(frozen=True)
class Cue:
    family: str
    severity: Severity
    pattern: re.Pattern[str]
    # When set, the cue counts only if this also matches somewhere in the message.
    context: re.Pattern[str] | None = None


def cues(family: str, severity: Severity, *patterns: str) -> list[Cue]:
    return [Cue(family, severity, re.compile(p)) for p in patterns]


def cues_if(context: re.Pattern[str], family: str, severity: Severity, *patterns: str) -> list[Cue]:
    return [Cue(family, severity, re.compile(p), context) for p in patterns]


# A farewell to a place, a job or an app is not a goodbye to life ("bye forever, toxic job").
LEAVING_THING = (
    # Not "home" or "room": "my last night at home" can be a goodbye to life.
    r"(?!,? (?:(?:in|at|to|from) )?(?:this |the |my |our |that |you )?(?:\w+ )?(?:flat|house|"
    r"apartment|dorm|hostel|hotel|city|town|country|job|work|office|school|uni|"
    r"teens|twenties|thirties|forties|fifties|\d0s|decade|era|"
    r"retail|boss|ward|rehab|app|facebook|twitter|instagram|tiktok|social media)\b)"
)
BIG_NIGHT_OUT = re.compile(
    r"^(?!.*\b(?:date|wish me luck|party|gig|concert|match|game|show|premiere|interview|"
    r"wedding)\b)"
)
ADV = r"(?:(?:really|just|honestly|seriously|kind of|actually|so|literally|still|even|badly|all) )*"
REFL = r"(?P<refl>myself|my self|herself|himself|themselves|themself|yourself)"
WANT = (
    r"(?:wants?|wanted|wanting|going|planning|plan|plans|trying|tried|decided|"
    r"need|needs|tempted|about|ready|prepared|urges?|wish i could|could|should|"
    r"thinking about|thought about|think about|considering|gonna)"
)
SELFHARM_VERB = r"(?:kill|hurt|harm|cut|burn|starve|hang|drown|shoot|poison|end)"
PILLS = (
    r"(?:pills|tablets|meds|medication|medicine|sleeping pills|painkillers|tylenol|"
    r"paracetamol|acetaminophen|advil|ibuprofen|aspirin|xanax|benzos|oxy|insulin|"
    r"antidepressants|lithium|co codamol|codeine|tramadol|morphine|diazepam|zopiclone|"
    r"amitriptyline|sertraline|citalopram|propranolol|bottles?|packs?|packets?|box(?:es)?)"
)
MEANS = r"(?:rope|noose|gun|loaded gun|razor|razors|razor blades?|blades?|knife|knives|" + PILLS[3:]

# Escalators: a cue plus one of these in the same clause is imminent.
TIMELINE = re.compile(
    r"\b(?:tonight|today|right now|this weekend|tomorrow|in an hour|in a few hours|"
    r"by (?:the weekend|tomorrow|next week|the morning|sunrise|monday|friday)|this time next "
    r"(?:week|month)|before (?:the sun comes up|sunrise|dawn|the weekend)|"
    r"before morning|by morning|soon|this evening|by friday|this week|next week|"
    r"on (?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|after (?:my|the) (?:shift|work|class|meeting|"
    r"appointment)|(?:after|when|once) (?:everyone|everybody|they|the kids|my \w+) (?:goes|go|"
    r"leaves?|left|falls? asleep|is asleep|are asleep|goes to (?:bed|sleep)))\b"
)
PLAN = re.compile(
    r"\bi (?:have|made|got|have got) a plan\b|\b(?:my )?plan is to\b|\bset a date\b|"
    r"\bpicked (?:a|the) "
    r"(?:date|day|spot|place|time)\b|\bi know (?:how|when|where) i (?:will|would|am going)\b"
    r"|\b(?:ropes?|nooses?|guns?|razors?|blades?|pills|tablets|sleeping pills|painkillers|"
    r"bridge|train tracks|overdose|jump|roof|ledge|cliff|knife|knives)\b"
)
# Context that makes a vague cue ("I'm going to do it") a crisis.
AT_HAND = re.compile(TIMELINE.pattern + "|" + PLAN.pattern)
DANGER = re.compile(
    r"\b(?:scared|afraid|terrified|frightened|hiding|outside|door|coming home|gets home|"
    r"on (?:his|her|their) way|help me|please help|locked myself)\b"
)


CUES: list[Cue] = [
    # --- imminent: acts in progress, means at hand, goodbyes, intent stated -------
    *cues(
        "act",
        IMMINENT,
        r"\b(?:took|take|taken|swallowed|downed|just took|have taken) (?:like |about |around |"
        r"maybe |over |almost )?(?:all|a whole|the whole|"
        r"an entire|every|\d{2,}|twenty|thirty|forty|fifty|a bunch of|a handful of|"
        r"handfuls of|too many|way too many|lots of|loads of)\b(?: (?:of )?(?:my|the|those|"
        r"these|of))*(?: \w+)? " + PILLS + r"\b",
        r"\bi (?:just )?(?:overdosed|slit my (?:wrists?|throat)|cut my wrists?)\b",
        r"\b(?:can not|will not|wont) stop (?:the )?bleeding\b",
        r"\bbleeding (?:out|everywhere|a lot|so much)\b",
        r"\b(?:standing|sitting) on (?:the|a) (?:bridge|ledge|roof|edge|railing|tracks)\b"
        r"(?! (?:terrace|garden|bar|deck)\b)",
    ),
    *cues(
        "means",
        IMMINENT,
        r"\bi (?:have|have got|got|bought|found|am holding) (?:a|the|my|some) (?:rope|noose|gun)\b",
        r"\b(?:tied|tying|made|making) (?:a|the|my) noose\b",
        r"\bloaded (?:the|my|a) gun\b",
        r"\b(?:the|my|enough|all the|all my) " + MEANS + r" (?:is|are) (?:ready|here|"
        r"in front of me|next to me|lined up|counted out|in my hand)\b",
        r"\bi have (?:the|my|enough|all the|all my) " + MEANS + r" (?:ready|here|with me|"
        r"lined up|counted out|in front of me|next to me|in my hand)\b",
        r"\bi have enough " + PILLS + r" to\b",
        r"\b(?:stockpil|sav|hoard|collect)(?:ed|ing) (?:up )?(?:my |the )?" + PILLS + r"\b",
    ),
    *cues(
        "goodbye",
        IMMINENT,
        r"\bthis is (?:my )?(?:goodbye|farewell)\b" + LEAVING_THING,
        r"\bgoodbye (?:everyone|all|world|forever|guys|friends|cruel world|everybody)\b"
        + LEAVING_THING,
        r"\b(?:my )?(?:final|last) (?:goodbye|message|post|words)\b|\bmy (?:final|last) night\b"
        + LEAVING_THING
        + r"|\b(?:final|last) night (?:alive|on earth)\b",
        r"\bwill not be (?:here|around|alive) (?:tomorrow|much longer|by morning|"
        r"after tonight|anymore)\b",
        r"\bby the time (?:you|anyone|someone) (?:reads?|sees?|finds?) this\b",
        r"\b(?:wrote|written|writing|left|finished) my note\b",
        r"\b(?:wrote|written|writing|left|finished) (?:a|my|the) (?:suicide|goodbye|farewell|"
        r"final|last) (?:note|letter)s?\b",
        r"\bsuicide note\b",
        r"\bgave away (?:all )?my (?:stuff|things|belongings|cat|dog|pets)\b",
        r"\bwhen i am gone\b",
        r"\b(?:it was|it has been|been) nice knowing (?:you|everyone|all)\b",
        r"\bsee you (?:all )?on the other side\b",
        r"\bforgive me for what i am (?:about|going) to do\b",
    ),
    # ... unless it is a big night out: "tonight is the night!!! first date, wish me luck".
    *cues_if(BIG_NIGHT_OUT, "goodbye", IMMINENT, r"\btonight is the night\b"),
    *cues(
        "intent",
        IMMINENT,
        r"\bi (?:am|will|shall|have decided|decided|am finally) (?:going to |gonna |to )?"
        r"(?:kill myself|end (?:it|my life|it all|things)|take my (?:own )?life|"
        r"commit suicide|hang myself|overdose|jump off(?! (?:the |a )?(?:high|top|diving) board)|"
        r"jump in front)\b",
        r"\bi (?:am )?(?:about|ready|prepared) to (?:die|do it|end it|kill myself|jump)\b",
    ),
    *cues(
        "danger_from_other",
        IMMINENT,
        r"\b(?:said|says|threatened|swore|texted|told me|keeps saying|is saying|screaming|"
        r"yelling|shouting|screamed|yelled|shouted|threatening|threatens|keeps threatening) "
        r"(?:that )?(?:he|she|they|it)? ?(?:will|would|is going to|are going to|was going to|to|"
        r"going to|is gonna)? ?(?:kill|hurt|beat|strangle|choke|shoot|stab|murder) me\b",
        r"\b(?:scared|afraid|terrified|fear|frightened|worried)(?: that)? (?:he|she|they|"
        r"my \w+) (?:will|is going to|going to|might|would|is gonna|could) "
        r"(?:kill|hurt|beat|strangle|choke|shoot|stab|murder|rape) me\b",
        r"\b(?:he|she|they|my \w+) (?:has|have|got|is holding) a (?:gun|knife)\b.{0,40}"
        r"\b(?:me|scared|afraid|kill|hurt)\b",
    ),
    *cues(
        "danger_from_other",
        HIGH,
        r"\b(?:he|she|they|my (?:husband|boyfriend|partner|ex|dad|father|stepdad|"
        r"mom|mother|wife|girlfriend)) (?:hit|beat|choked|strangled|attacked|raped|"
        r"punched|kicked) me\b",
    ),
    # --- high: active ideation, self-harm urges and acts -----------------------
    *cues(
        "suicidal_ideation",
        HIGH,
        r"\b" + WANT + r" (?:to )?" + ADV + SELFHARM_VERB + r" " + REFL + r"\b",
        r"\b" + SELFHARM_VERB + r"(?:ing|ed|s)? " + REFL + r"\b",
        r"\b(?:end|ending|take|taking) (?:my|her|his|their) (?:own )?life\b",
        r"\b(?:end|ending) it all\b",
        r"\b" + WANT + r" (?:to )?" + ADV + r"end it\b(?! with)",
        r"\b(?:commit|committing|attempt|attempting) suicide\b",
        r"\b(?:thinking about|thinking of|contemplating|considering|planning|plan) suicide\b",
        r"\bsuicide (?:is|seems|feels|looks|sounds) (?:like )?(?:the|my|an|a) (?:only |best |"
        r"easiest |last )?(?:option|answer|way out|solution|choice|way)\b",
        r"\b(?:only|best|easiest) (?:way out|option|answer) is (?:suicide|death|to die)\b",
        r"\bsuicidal\b",
        r"\b(?:thoughts|thinking) (?:of|about) (?:suicide|dying|death|ending it|"
        r"killing myself|ending my life)\b",
        r"\b(?:want|wants|wanted|wanting|need|deserve|deserves|going|ready) to "
        + ADV
        + r"(?:die|be dead)\b",
        r"\bi (?:should|must|have to|just want to|wish i could) " + ADV + r"die\b",
        r"\bwish (?:i|she|he|they) (?:was|were|had) (?:dead|died)\b",
        r"\b(?:better off|be better) dead\b",
        r"\bdo not want to " + ADV + r"(?:live|be alive|exist|go on|keep living)\b",
        r"\b(?:not|no longer) want(?:ing)? to (?:live|be alive|exist)\b",
        r"\b(?:not|never) sure (?:if |whether )?i want to (?:live|be alive|be here|go on)\b",
        r"\bctb\b",
        r"\b(?:voices?|brain|head|mind|thoughts?|something)\b.{0,30}\b(?:tells?|telling|"
        r"keeps? saying|says|saying)\b.{0,15}\b(?:kill|hurt|cut|end|die|jump)\b",
        r"\bi (?:should|will|want to|might|am going to|wanna) kys\b",
    ),
    *cues(
        "attempt",
        HIGH,
        r"\bi (?:attempted|tried to kill myself|tried to end (?:it|my life)|tried suicide)\b",
        r"\b(?:overdosed|overdosing)\b",
    ),
    *cues(
        "self_harm",
        HIGH,
        r"\b(?:cut|cutting|burned|burning|burnt|scratched|scratching|hit|hitting|punched|"
        r"punching|carved|carving) (?:myself|my (?:arms?|wrists?|legs?|thighs?|skin|"
        r"stomach|hips?))\b",
        r"\b(?:cut|cutting|selfharm|selfharmed|selfharming) again\b",
        r"\bselfharm(?:ed|ing|s)?\b",
        r"\b(?:urge|urges|urging|craving) to (?:cut|burn|hurt|bleed)\b",
        r"\brelapsed\b.{0,25}\b(?:cut|cutting|selfharm|blade)\b",
        r"\b(?:razor|blade|blades)\b.{0,30}\b(?:my (?:arm|arms|wrist|wrists|skin|thigh)|"
        r"deeper|again)\b",
    ),
    # --- low: passive wish to be dead or gone ----------------------------------
    *cues(
        "passive_wish",
        LOW,
        r"\b(?:i )?"
        + ADV
        + r"(?:wish|want) (?:i could|to|i would|i was|i were|i did not|i could just) "
        + ADV
        + r"(?:disappear|vanish|be gone|not exist|stop existing|never wake up|"
        r"not wake up|fall asleep forever|sleep forever|be invisible)\b",
        r"\b(?:everyone|everybody|they|people|my (?:family|kids|parents|friends|wife|"
        r"husband)|the world|you all|you guys|all of you|it) (?:would|will|is|are|"
        r"would all) (?:be )?better off without me\b",
        r"\bbetter off without me\b",
        r"\b(?:do not|never|not) want to wake up\b",
        r"\bhope i (?:do not|never) wake up\b",
        r"\b(?:sleep|asleep) and (?:never|not) wake up\b",
        r"\b(?:no one|nobody|noone) would (?:even |really |ever )?(?:care|notice|miss me)\b",
        r"\b(?:want|need|wish|just want) (?:it|everything|it all|the pain|this|life|all of this) "
        r"to (?:stop|end)(?: forever| for good| permanently)?\b",
        r"\b(?:no one|nobody|noone) (?:would|will) miss me\b",
        r"\bwish i (?:had never been|was never|were never|had not been) born\b",
        r"\b(?:never|not) (?:have )?been born\b",
        r"\b(?:what is|no) (?:the )?point (?:in |of )?(?:living|life|going on|anything|"
        r"being alive|being here|anymore|trying anymore|of it all)\b",
        r"\bno reason to (?:live|keep going|go on|be here)\b",
        r"\b(?:tired|sick) of (?:living|being alive|existing|life|being here)\b",
        r"\bdone with (?:life|living|everything|it all)\b",
        r"\bcan not (?:go on|do this|keep going|take it|take this|keep doing this)"
        r"(?: like this| this way| with this)?"
        r"(?: anymore| any more| much longer)\b",
        r"\b(?:not|stop) (?:be|being) here (?:anymore|any more|tomorrow)\b",
        r"\bcease to exist\b|\bstop existing\b",
        r"\b(?:a|such a) burden (?:to|on) (?:everyone|everybody|my family|them|you all)\b",
        r"\blife is not worth (?:living|it)\b",
        r"\bwish (?:someone|somebody|something) would (?:kill me|end it)\b",
    ),
    # --- vague on their own, a crisis with a timeline, means or danger nearby ------
    *cues_if(
        AT_HAND,
        "intent",
        IMMINENT,
        r"\bi am (?:going to|gonna|about to|ready to|finally going to|really going to) "
        r"(?:do it|jump(?! (?:off |into |in )?(?:the |a )?(?:high |top |diving )?(?:board|pool))|"
        r"go through with it|end it)\b",
        r"\b(?:it|this|everything|it all) (?:ends|will end|is over|will be over)\b",
        r"\bi have everything i need\b",
    ),
    *cues_if(
        PLAN, "intent", IMMINENT, r"\bi am (?:so |finally )?ready(?: now)?(?=\s*(?:[.!,]|$|and\b))"
    ),
    *cues_if(
        DANGER,
        "danger_from_other",
        IMMINENT,
        r"\b(?:he|she|they) (?:will|is going to|is gonna|would) (?:kill|hurt|beat|strangle|"
        r"choke|shoot|stab|murder) me\b",
        r"\b(?:screaming|yelling|shouting|screamed|yelled|shouted) (?:that )?(?:he|she|they) "
        r"(?:will|would|is going to) (?:kill|hurt|beat|strangle|choke|shoot|stab|murder) me\b",
    ),
    *cues(
        "act",
        IMMINENT,
        r"\b(?:swallowed|took|downed|taken) (?:everything|every pill|the lot|all of them|"
        r"all of it)\b",
        r"\b(?:engine|car) (?:is )?running in (?:the|a|my) (?:closed )?garage\b",
        r"\bi am (?:at|on|standing at|standing on|sitting on|on top of) (?:the|a) (?:train tracks|"
        r"railway|rail tracks|tracks|bridge|roof|rooftop|ledge|edge|cliff)\b",
        r"\b(?:knife|blade|razor|pills|rope|gun|noose) (?:is |are )?in my hands?\b",
    ),
    *cues(
        "suicidal_ideation",
        HIGH,
        r"\b(?:fantasi[sz]e|fantasi[sz]ing|dream|dreaming|daydream|daydreaming|obsessing) "
        r"about (?:dying|death|being dead|my death|killing myself|suicide|not existing)\b",
        r"\b(?:planning|plan|figuring out|researching|worked out) (?:how|when|where) "
        r"(?:to do it|to die|i will do it|to end it|to kill myself)\b",
    ),
    *cues(
        "self_harm",
        HIGH,
        r"\b(?:been|started|start|keep|kept|still|am|was|and|back to) cutting\b(?! (?:back|down|"
        r"out|off|up|the|a|an|my hair|hair|onions|veggies|vegetables|wood|paper|it|class|"
        r"school|ties|corners|costs|carbs|sugar|coffee|people|toxic|contact|them|him|her))",
    ),
    *cues(
        "passive_wish",
        LOW,
        r"\b(?:happier|better|easier|better off|lighter|simpler)\b.{0,20}\bif i (?:just )?"
        r"(?:was gone|were gone|was dead|were dead|was not here|was not around|were not here|"
        r"did not exist|disappeared|was not alive|died|vanished|never existed)\b",
        r"\b(?:do not|can not) see (?:the|a|any) point (?:in|of) (?:going on|living|life|"
        r"anything|carrying on|trying|being here|being alive|continuing)\b",
        r"\b(?:lost|losing) (?:the|all) (?:will|reason|desire) to (?:live|go on|keep going)\b",
    ),
    # --- stretch: Spanish, French, Portuguese (accents stripped) ----------------
    *cues(
        "multilingual",
        IMMINENT,
        r"\bme voy a (?:matar|suicidar)\b|\bvoy a (?:matarme|suicidarme|quitarme la vida)\b",
        r"\b(?:me )?tome todas (?:las|mis) (?:pastillas|pastis)\b",
        r"\besta es mi despedida\b|\badios a todos\b",
        r"\bje vais me (?:tuer|suicider)\b",
        r"\bjai pris (?:toutes mes|tous mes|tous les|toutes les) (?:pilules|medicaments|"
        r"cachets|comprimes)\b",
        r"\bcest (?:un|mon) adieu\b|\badieu a tous\b",
        r"\bvou me (?:matar|suicidar)\b",
        r"\btomei (?:todos os|todas as|todos meus|todas minhas) (?:comprimidos|remedios|"
        r"pilulas)\b",
        r"\b(?:isso|este|esta) e (?:um|o meu|minha) (?:adeus|despedida)\b|\badeus a todos\b",
    ),
    *cues(
        "multilingual",
        HIGH,
        r"\b(?:me )?quiero (?:morir|morirme|matarme|suicidarme)\b|\bno quiero vivir\b",
        r"\bje veux (?:mourir|me tuer|me suicider)\b|\bje ne veux plus vivre\b",
        r"\bquero (?:morrer|me matar)\b|\bnao quero mais viver\b",
    ),
]

# Phrases that look like cues but are idioms: removed before any cue is matched.
IDIOMS = re.compile(
    r"\b(?:killing|killed|kill|kills|slayed|slaying|nailed|smashed) it\b"
    r"|\bjump(?:ing|ed)? out of my skin\b"
    r"|\b(?:died|die|dying|dead) (?:of |from |with )?(?:laughter|laughing|embarrassment|"
    r"boredom|cringe|curiosity|excitement|heat|thirst|hunger|shame)\b"
    r"|\bdying to (?:see|know|try|meet|go|get|hear|tell|eat|watch|read|visit|find|"
    r"hang|catch)\b|\bto die for\b|\b(?:would|could|i would) (?:kill|die) for\b"
    r"|\b(?:could|would|going to) (?:murder|kill|destroy) (?:a|an|some|this|that)\b"
    r"|\bkill(?:ing)? (?:time|the lights|the mood|the vibe|two birds)\b"
    r"|\b(?:bored|scared|worried|freezing|tickled|loved|work(?:ed|ing)? \w+) to death\b"
    r"|\b(?:is|are|was|were) (?:\w+ )?killing me\b|\bkilling me softly\b"
    r"|\b(?:phone|battery|laptop|car|plant|plants|fish|tv|computer) (?:died|is dead|"
    r"is dying)\b|\bdead (?:tired|serious|battery|end|line|set|ass|on)\b"
    r"|\b(?:kill(?:ed|ing)?|cracking|crack) myself (?:up|laughing)\b"
    r"|\bover my dead body\b"
    r"|\b(?:cut|cutting) (?:myself|me) (?:some )?slack\b|\bcut (?:myself|me) off\b"
    r"|\b(?:cut|burned|burnt|hurt|hit|banged|bumped|stubbed|scratched|bit) (?:myself|my \w+) "
    r"(?:shaving|cooking|chopping|while|against|"
    r"on (?:a|the)|by accident|accidentally|at the gym|lifting|playing|running|working out|"
    r"skiing|falling)\b"
    r"|\b(?:would )?rather die than\b(?! (?:keep|continue|go on|live|feel|be alive|wake up|face|"
    r"spend (?:another|one more)|go through|deal with|be (?:like this|me|here|in this)|suffer))"
    # Hyperbole about a nuisance, marked as a joke: "if i have to hear that song again
    # i'm gonna jump out the window lol".
    r"|\bif i have to (?:\w+ ){1,10}(?:i am going to|going to|i will|i would) (?:jump|die|"
    r"kill myself|scream)\b(?=.*(?:\blol\b|\blmao\b|\bhaha|😂|🤣|🙃|💀))"
    r"|\bjump out (?:of )?(?:the|a|my) window\b(?=.*(?:\blol\b|\blmao\b|\bhaha|😂|🤣|🙃|💀))"
    r"|\bkill (?:me|myself) now\b.{0,20}\b(?:lol|lmao|haha)\b"
    r"|\bi am dead\b(?=.{0,20}(?:lol|lmao|haha|😂|🤣|💀))"
    r"|(?<!said )(?<!says )(?<!told me )(?<!threatened )(?<!swore )(?<!screaming )"
    r"(?<!yelling )(?<!shouting )\b(?:my )?\w+ (?:is|are) going to kill me\b"
    r"(?=.{0,40}\b(?:when|if|for)\b)"
)

# Negation that governs the cue right after it: "not", "never" and small fillers.
NEGATION = re.compile(
    r"\b(?:not|never|no longer|nor)(?: (?:going|to|ever|really|even|planning|about|trying|"
    r"want|wanting|thinking|thought|of|would|will|do|actually|again|try|be|been|have|feel|feeling|"
    r"like|anymore|any|gonna|i|am|gotten|had|any more|to be))* ?$"
    r"|\b(?:no|zero) (?:more |real |active )?(?:thoughts?|urges?|plans?|intentions?|desire|"
    r"wish|cravings?)(?: (?:of|to|about|for))? ?$|\b(?:no|zero) $"
)
# Past tense and recovery talk; outweighed by RECENT in the same clause.
RECOVERY = re.compile(
    r"\bused to\b|\b(?:years?|yrs?|months?|(?:\d+|two|three|four|five|six|seven|eight|nine|ten|"
    r"a few|several) (?:weeks?|days?)) (?:ago|since|clean|free|sober|"
    r"selfharm free|without)\b|\bsince my (?:last )?(?:suicide )?(?:attempt|overdose)\b"
    r"|\b(?:after|before|survived|surviving|since) my (?:suicide )?(?:attempt|overdose)\b"
    r"|\blast (?:year|summer|winter|spring|autumn|fall|decade)\b|\bin (?:19|20)\d\d\b"
    r"|\bwhen i was (?:younger|a kid|a teen|a teenager|little|in (?:school|high school|"
    r"college|uni)|\d+)\b|\bback then\b|\bin the past\b|\bno longer\b|\brecover(?:y|ed|ing)\b"
    r"|\bsurvivor\b|\bi survived\b|\bthere was a time\b"
    r"|\b(?:clean|free|sober) (?:for|since|from)\b|\bback when\b"
    r"|\b(?:is|are) not there any ?more\b|\b(?:was|were|had been) "
    r"(?:suicidal|cutting|selfharming)\b|\bhistory of\b|\banniversary\b|\bgrowing up\b"
)
RECENT = re.compile(
    r"\b(?:again|tonight|right now|this morning|last night|yesterday|earlier today|lately|"
    r"recently|these days|still (?:want|feel|think|do|am|cut|have urges)|this week|ready|"
    r"relapsed?|coming back|is back|are back)\b"
)
# Who a clause is about: the last of these before a cue without its own subject.
SUBJECT = re.compile(
    r"\b(?:i|we|you|he|she|they|someone|somebody|anyone|people|(?:my|our|a|her|his) "
    r"(?:best )?(?:friend|sister|brother|mom|mum|dad|mother|father|son|daughter|wife|"
    r"husband|partner|girlfriend|boyfriend|cousin|roommate|kid|child|niece|nephew|aunt|"
    r"uncle|grandma|grandpa|coworker|colleague|classmate|sponsor|sponsee|client|patient|"
    r"flatmate|housemate|mate|bestie|bff|bf|gf|stepdad|stepmum|stepmom|grandad|granddad|nan|"
    r"gran|granny|teacher|therapist|counsell?or|"
    r"student|teen|ex|neighbou?r)s?)\b"
)
FIRST_PERSON = frozenset({"i", "we"})
ADDRESSED = frozenset({"you", "anyone", "someone", "somebody", "people"})
THIRD_REFL = frozenset({"herself", "himself", "themselves", "themself"})
# Clauses that talk to or about others hypothetically: reminders, PSAs, advice.
REMINDER = re.compile(
    r"^(?:reminder|psa|friendly reminder|remember|to anyone|for anyone|anyone who|"
    r"please (?:reach out|remember|call|talk|text|do not))\b"
    r"|\b(?:if|when|whenever) (?:you|anyone|someone|somebody|a friend|your)\b"
    r"(?! are reading| is reading| reads? this| sees? this| finds? this| are seeing)"
    r"|\b(?:have|do|did|are|were) you (?:ever )?\b|\bhow (?:do|can|should) (?:i|we|you) "
    r"(?:help|support|talk)\b|\bwarning signs\b"
)
# A clinician's question reported ("my gp asked if i had thoughts of ending it"): the
# cue is the question's, not a disclosure, unless the message answers it with yes.
ASKED_IF = re.compile(
    r"\b(?:asked|asks|asking|ask) (?:me )?(?:if|whether) i (?:had|have|was|am|would|ever|"
    r"felt|feel|were|get|got)\b"
)
ANSWERED_YES = re.compile(r"\b(?:yes|yeah|yep|sort of|kind of|i (?:do|did|have|was|am)\b(?! not))")
# Outside quotes, a frame that reports someone's words rather than the author's own.
REPORT_FRAME = re.compile(
    r"\b(?:say|says|said|saying|told|tell|telling|call|called|calling|like|reminder|lyrics?|"
    r"song|quote|quoted|wrote|writes|written|tweet|tweeted|posted|phrase|phrases|words|heard|"
    r"sings?|line|movie|book|show|character)\b"
)
# ... unless the voice being reported is the author's own mind.
INTERNAL_VOICE = re.compile(
    r"\b(?:my (?:brain|head|mind|thoughts|inner voice)|voices?|i keep thinking|i think|"
    r"i thought|i keep hearing|keeps? telling me|in my head)\b"
)
CLAUSE_SPLIT = re.compile(
    # "nothing but a burden" is one clause.
    r"[.!?;\n]+|\s[-–—]+\s|(?<!nothing)(?<!anything),? \b(?:but|though|although|however|except)\b|"
    r",\s*(?=(?:i|he|she|they|we|now|and now|today|tonight|my)\b)"
    # "six months sober and i want to die": the recovery words are the first clause's,
    # the present wish is a new one.
    r"|\s(?=(?:and|so|yet) (?:now |today |tonight |still |honestly )?i (?:am|want|feel|keep|"
    r"need|wish|will|just|really|can|have|think|do|would)\b)"
    # "after my attempt last year i want to die": a time phrase closes the past clause.
    r"|(?:(?<=\bago)|(?<=\byear)|(?<=\byears)|(?<=\bmonths)|(?<=\bthen)|(?<=\battempt)|"
    r"(?<=\boverdose))\s(?=i (?:want|wish|am|feel|keep|need|just|really|can not|do not want)\b)"
)
