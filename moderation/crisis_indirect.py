"""Crisis cues said indirectly: voices that command, unsafe with oneself, a life's worth
counted in insurance, tiredness of the world, and a death already planned around.

The round-7 training-only cases (tests/moderation/data/train_cases.jsonl, written by
someone who had read none of our rules) showed families that use no crisis word at all:
"the voices say everyone is safer if i'm gone", "i'm not safe with myself tonight",
"if the tractor rolled on me at least the insurance would sort the debts", "opening my
eyes and realising i'm still here", "took way more than my dose, on purpose". Each
pattern covers a family (helper verbs, word order), not a sentence; patterns start at
the verb or the subject's words so crisis.py still reads negation, tense and quotes.
Written against `normalize()` output.
"""

from __future__ import annotations

import re

from moderation.crisis_lexicon import Cue, cues, cues_if
from moderation.types import Severity

LOW, HIGH, IMMINENT = Severity.LOW, Severity.HIGH, Severity.IMMINENT

_VOICE = (
    r"\b(?:the )?(?:voices?|whispers?|whispering|the thing in my head|(?:man|woman|voice|thing|"
    r"people) (?:in|on|from) the (?:radio|tv|telly|walls?))\b"
)
_COMMAND = (
    r"(?:says?|saying|tells?|telling|told|keeps? (?:saying|telling)|wants?|whispers?|"
    r"is (?:saying|telling))"
)
_HARMFUL_ORDER = (
    r"(?:i (?:should|must|need to|have to|deserve)|i am (?:meant|supposed) to|to|"
    r"(?:everyone|everybody|they|the world) (?:is|are|would be|will be) (?:safer|better)"
    r" (?:if|when|once) i)"
)
_GONE = re.compile(
    r"\b(?:at least|if i (?:died|was gone|were gone|was not here|were not here|did not wake up|"
    r"was dead)|(?:rolled|fell) on me|hit me|when i am gone|after i am gone|my death|without me)\b"
)
_EXHAUST = re.compile(r"\b(?:hose|hosepipe|pipe|tube|taped|windows? (?:up|shut|closed))\b")
_AFTERMATH = re.compile(
    r"\b(?:a ?& ?e|a and e|hospital|er|icu|discharged|sent home|ambulance|paramedics|stomach "
    r"pumped|last night|yesterday|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)
_DEPENDENT = r"(?:family|kids|children|wife|husband|partner|mum|mom|dad|parents|son|daughter)"

CUES: list[Cue] = [
    # A voice giving orders about one's own body or life (command hallucinations).
    *cues(
        "command_voices",
        HIGH,
        _VOICE + r" (?:\w+ ){0,4}" + _COMMAND + r"\b.{0,50}?\b" + _HARMFUL_ORDER + r" (?:\w+ ){0,4}"
        r"(?:knife|blade|roof|bridge|gone|dead|die|hurt|cut|jump|bleed|starve|suffer|burn|"
        r"overdose|stop (?:eating and stop )?"
        r"breathing|punish|pills|drown|hang|end it|do it|not exist|not be here)\b",
    ),
    # Not safe with oneself: said about the self, this is active risk.
    *cues(
        "unsafe_with_self",
        HIGH,
        r"\bnot (?:feel(?:ing)? )?safe (?:with|around|by|from) myself\b",
        r"\b(?:can not|cannot|could not|unable to) keep myself safe\b",
        r"\bdo not trust myself (?:tonight|right now|at the moment|alone|around|with|not to)\b",
    ),
    # A method thought through ("working out how i would do it").
    *cues(
        "method_rumination",
        HIGH,
        r"\b(?:working out|planning|planned|figuring out|figured out|worked out|decided|"
        r"thinking about|rehearsing) (?:exactly )?(?:how|where|when) i (?:would|will|am going to|"
        r"could|might) do it\b",
        r"\bworking out how to make (?:that|it) happen\b",
        r"\b(?:go|going|walk|drive|head|wander) (?:off )?(?:to )?(?:somewhere|into the \w+) "
        r"(?:\w+ ){0,2}and (?:not|never) (?:come|coming) back\b",
    ),
    # Drugs taken to die and survived, or taken on purpose now.
    *cues(
        "attempt",
        HIGH,
        r"\b(?:took|taken|swallowed|used|relapsed|drank|injected)\b.{0,40}\b(?:hoping|hoped|so "
        r"that|so) i (?:would not|will not|would never|never) wake up\b",
    ),
    # "sent home from a&e last night after i tried": the attempt itself, not trying a
    # new group ("after i tried, i loved it"), so it needs a hospital or a recent day.
    *cues_if(
        _AFTERMATH,
        "attempt",
        HIGH,
        r"\b(?:after|since|when) i (?:tried|attempted)(?: again)?\b"
        r"(?= *(?:$|[.!,]|and\b))",
    ),
    *cues(
        "attempt",
        HIGH,
        r"\b(?:would not|wouldnt) (?:mind|care) if i (?:got the dose wrong|took too much|overdosed|"
        r"went too far)\b",
    ),
    *cues(
        "settling_affairs",
        HIGH,
        r"\bso (?:nobody|no one|noone) (?:has|have|will have|needs) to (?:deal with|sort out|clean "
        r"up) (?:my \w+|anything|it)(?: \w+){0,2} (?:after|afterwards|when i am gone)\b",
        r"\b(?:started |been |am )?(?:giving|gave|given) (?:away )?(?:all )?my (?:things|stuff|"
        r"belongings|possessions)(?: away)?\b(?!.*\b(?:charity|moving|moved|move|declutter\w*|"
        r"car boot|ebay|vinted|downsiz\w*|smaller)\b)",
    ),
    *cues(
        "overdose_on_purpose",
        IMMINENT,
        r"\b(?:took|drank|swallowed|injected|used|necked|downed|popped) (?:\w+ ){0,5}(?:i had|i "
        r"would|i have) been "
        r"(?:saving|stockpiling|hoarding|collecting)\b",
        r"\b(?:took|taken|swallowed|injected|drank) (?:\w+ ){0,5}(?:more|too much|extra|all|"
        r"double|triple|the (?:whole|rest))\b.{0,40}(?<!not )\bon purpose\b",
    ),
    # A last-message frame that says what comes next.
    *cues(
        "goodbye_note",
        IMMINENT,
        r"\bif i am (?:not|no longer) (?:here|around|online|alive)\b.{0,40}\byou (?:all )?(?:will|"
        r"would)(?: all)? (?:know|understand)\b",
        # not "soon" or "tomorrow": "you'll understand tomorrow, big news!" is an announcement
        r"\byou (?:all )?will(?: all)? (?:know|understand) (?:why )?(?:in an hour|by (?:the )?"
        r"morning|in the morning|when (?:you|they|someone) finds? me)\b",
        r"\b(?:logging on|posting|checking in|writing (?:here|this)) (?:for )?one last time\b",
        r"\btell (?:\w+ ){1,2}(?:that )?it (?:was|is) not (?:her|his|their|anyones|any of "
        r"their) fault\b",
        r"\bjust (?:wanted|want) (?:to say|you to know|to let you know) it (?:was|is) not "
        r"(?:you|any of you|you guys|your fault)\b",
    ),
    *cues(
        "suicidal_ideation",
        HIGH,
        r"\bwant(?:s|ed)? to stop (?:living|being alive|existing)\b",
        r"\bdeath is (?:all|the only thing) i (?:want|think about|need)\b",
        r"\b(?:researching|googling|looking up|looked up|going over|reading about|planning) "
        r"(?:\w+ ){0,2}ways to (?:do it|end it|die|go|kill myself)\b",
        r"\bplanning (?:my own|my) (?:death|suicide|exit)\b",
        r"\bi will not be (?:here|around|alive) (?:much longer|for long)\b",
    ),
    *cues(
        "self_harm",
        HIGH,
        r"\b(?:used|put|pressed|held) (?:a |the )?(?:lit )?(?:cigarette|lighter|iron) (?:on|to|"
        r"against|into) my (?:arm|skin|leg|wrist|hand|thigh|stomach)s?\b",
        r"\bcut (?:so|too|really|way) deep\b(?! into (?:the|an?) )",
    ),
    # Means within reach, a vehicle running, sitting on the edge: happening now.
    *cues(
        "means_at_hand",
        IMMINENT,
        r"\b(?:pills|tablets|meds|capsules)(?: are)? (?:all )?(?:lined up|laid out|counted out|"
        r"counted|set out)\b(?! (?:in|into) (?:the |my |a )?(?:organi[sz]er|dosette|box|tray))",
        r"\b(?:from|on) the (?:ledge|edge|railing|parapet|wrong side) (?:of|on) (?:the |my )?"
        r"(?:roof|bridge|building|cliff|car park|multistorey)\b",
        r"\b(?:pills|tablets|bottle|razor|razors|blade|blades|rope|knife|gun) (?:is|are) "
        r"(?:open |out |ready |all )?(?:next to|beside|in front of|in my lap with) me\b",
        r"\b(?:walking|wading|swimming|going) (?:out )?into (?:the |a )?(?:sea|ocean|river|lake|"
        r"water|waves|loch) (?:now|tonight|right now)\b",
        r"\b(?:sat|sitting|standing|stood|perched) on the (?:rail|railing|edge|ledge|wrong side|"
        r"parapet) of (?:the |a )?(?:bridge|roof|building|cliff|car park|multistorey|"
        r"viaduct)\b",
        r"\b(?:shot up|injected|snorted|swallowed) (?:everything|all) (?:i had|i have|of it|of "
        r"them|in the (?:house|cupboard|cabinet))\b",
        r"\b(?:an hour|\d+ (?:hours?|minutes?|mins?)) from now i (?:will not|am not going to) be "
        r"(?:here|around|alive)\b",
        r"\bi will not be (?:here|around|alive) (?:by|in) (?:the morning|morning|tomorrow|an "
        r"hour|\d+ (?:hours?|minutes?|mins?))\b",
    ),
    *cues_if(
        _EXHAUST,
        "means_at_hand",
        IMMINENT,
        r"\bengine(?: is| has been|s)? (?:running|on)\b",
    ),
    # --- low: a wish to be absent said sideways ---------------------------------------
    *cues(
        "passive_wish",
        LOW,
        r"\b(?:would be|it would be|what) (?:such a |a real |a )?(?:relief|blessing|mercy) "
        r"(?:to be gone|to not be here|to not wake up|to die|if i (?:died|was gone|did not wake "
        r"up))\b",
        r"\b(?:would|will) (?:welcome|not mind|not be (?:the worst thing|sad|bothered)) (?:it )?"
        r"if i (?:simply |just )?(?:did not|do not|never) (?:wake up|make it)\b",
        r"\bwould not be the worst thing if i (?:did not|do not|never|was not|were not)\b",
        r"\bwish i (?:had|would) never (?:woken|woke|wake) up\b",
        r"\bwaiting for (?:it|life|all of this|this|my life) to (?:be over|end)\b",
        r"\b(?:lived|been alive) too long\b",
        r"\bgo to sleep and not (?:have to )?come back\b",
    ),
    *cues(
        "burden",
        LOW,
        r"\b(?:just|only) taking up (?:space|oxygen|air|room)\b",
        r"\bif i (?:vanished|disappeared|was gone|were gone|died|was not here|were not here|was "
        r"not around|was dead)\b.{0,60}\b(?:would|will) (?:\w+ )?(?:be |all be )?(?:better|"
        r"quieter|nicer|easier|happier|fine|relieved|calmer)\b",
        r"\b(?:a )?(?:weight|millstone|drain|burden) (?:round|around|on) (?:everyones|everyone is|"
        r"everybodys|my familys|their|my \w+s) (?:neck|necks|shoulders)\b",
        r"\ba drain on (?:my|the|everyone|everybody|them)\b",
    ),
    # "They'd cope better without me": "they" is the family, the wish is the author's.
    *cues(
        "burden_without_me",
        LOW,
        r"\b(?:would|will|could) (?:\w+ ){0,2}(?:cope better|be better|be happier|be fine|have "
        r"(?:a )?better (?:life|lives)|manage better|be relieved) (?:\w+ ){0,3}without (?:me|"
        r"(?:their|his|her|my) \w+ (?:of a )?(?:mother|father|mum|mom|dad|son|daughter|wife|"
        r"husband))\b",
        r"\bbetter off (?:if i (?:was not|were not|am not) (?:in the picture|around|here|alive)|"
        r"with (?:a |another |someone )(?:\w+ ){0,3}(?:who is not|who isnt|other than|that is "
        r"not) me)\b",
        r"\b(?:throw|have) a (?:party|celebration) if i (?:vanished|disappeared|died|was gone|"
        r"were gone)\b",
        r"\bonly (?:giving|bringing|causing) (?:\w+ ){0,2}(?:tension|trouble|pain|problems|"
        r"stress|grief) to (?:my )?" + _DEPENDENT + r"\b",
    ),
    # A life counted in insurance, with one's death in view: "at least the insurance
    # would sort the debts" (not "the insurance will cover the boiler").
    *cues_if(
        _GONE,
        "burden_without_me",
        LOW,
        r"\b(?:insurance|life cover|life policy|payout) (?:would|will|could) (?!not\b)(?:\w+ ){0,2}"
        r"(?:pay|sort|cover|clear|look after|take care of)\b",
    ),
    *cues(
        "hopeless",
        LOW,
        r"\bwhat is the (?:use|point) (?:of|in) (?:me )?(?:living|being alive|existing|being "
        r"here|going on|carrying on|staying alive)\b",
        r"\b(?:had|have had|i am done with) enough of (?:this )?(?:world|life|living|being alive|"
        r"existing|everything|it all)\b(?! (?:cup|series|tour))",
        r"\b(?:realising|realizing|realise|realize|disappointed|gutted|annoyed|upset|angry) "
        r"(?:that |when )?i am still (?:here|alive|breathing)\b",
        r"\b(?:disappointed|gutted|annoyed|upset|angry) (?:that |when )?i (?:woke|wake) up\b",
        r"\bwhat (?:i am|am i) (?:even )?still (?:here|alive|doing here|around) for\b",
        r"\b(?:do not|dont) (?:really |genuinely |honestly |even )?care (?:what happens to me|if i "
        r"(?:live|die|wake up|make it)|whether i (?:live|die))\b",
        r"\bi am (?:a |such a |just a )?(?:lost cause|hopeless case|write off|waste of space)\b",
    ),
    *cues(
        "passive_wish",
        LOW,
        r"\b(?:swap|trade|switch|change) places with (?:\w+ ){0,3}(?:in the (?:ground|morgue|"
        r"cemetery|graveyard)|in (?:her|his|their|the) grave|who (?:died|passed)|dead)\b",
        r"\bhop(?:e|ing) (?:the )?(?:chemo|treatment|surgery|operation|transplant) (?:does not|do "
        r"not|will not|fails|does not work)\b",
        r"\bhop(?:e|ing) (?:that )?my (?:heart|body|liver|lungs?|kidneys) (?:just )?(?:packs in|"
        r"stops|gives out|gives up|fails|packs up)\b",
        r"\b(?:if )?(?:god|the lord|jesus|he)\b.{0,25}\b(?:call|calls|take|takes|took) me home\b",
        r"\b(?:run away|disappear|vanish) and never (?:come|be) (?:back|seen again)\b",
    ),
    # Spanish, French and Portuguese cutting and disappearing (rules, not the English model).
    *cues(
        "multilingual",
        HIGH,
        r"\b(?:pienso en|quiero|voy a|ganas de) cortarme\b|\bme corte otra vez\b",
        r"\b(?:envie de|vais|veux) me (?:couper|scarifier)\b",
        r"\b(?:vontade de|vou|quero) me cortar\b",
    ),
    *cues(
        "multilingual",
        LOW,
        r"\bfatigue(?:e)? d(?:e |)exister\b|\bquiero desaparecer\b|\bqueria (?:simplesmente )?"
        r"sumir\b|\bno le veo sentido a nada\b|\bje veux disparaitre\b",
    ),
]
