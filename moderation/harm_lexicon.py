"""Harm rule patterns, written against `normalize()` output (see normalize.py).

Each rule is (category, score, regex, kind). `kind` picks the context checks
harm.py applies: "group" rules are silenced by counter-speech and negation,
"direct" rules by negation and reported speech, "esh" (encouraging self-harm)
rules also by supportive questions and first-person crisis talk; "banter" rules
("stfu") are off when the message celebrates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID_ADJ = (
    r"(?:trans(?:gender)?|gay|lesbian|bisexual|queer|black|white|asian|jewish|muslim|"
    r"disabled|immigrant|female|autistic|mentally ill|mexican|arab|african|chinese|indian|"
    r"latino|latina|hispanic|christian|hindu|sikh|homosexual|lgbtq?|nonbinary|non binary|"
    r"deaf|foreign|refugee|migrant)"
)
_ID_NOUN = (
    r"(?:people|persons?|folks?|men|women|man|woman|kids|children|lives|life|community|"
    r"ones|individuals|guys|girls|boys)"
)
_ID_PLURAL = (
    r"(?:women|woman|girls|females|gays|lesbians|queers|bisexuals|blacks|jews|jew|muslims|"
    r"muslim|immigrants|immigrant|refugees|migrants|foreigners|asians|mexicans|arabs|"
    r"africans|latinos|hispanics|indians|christians|hindus|sikhs|homosexuals|trannies|"
    r"retards|cripples|the disabled|trans)"
)
ID = (
    r"(?:(?:all|those|these|the|every|any|most|such|many|of|kinds? of|you) )*(?:"
    + _ID_ADJ
    + " "
    + _ID_NOUN
    + "|"
    + _ID_PLURAL
    + r")\b"
)
_FILL = (
    r"(?:(?:all|just|nothing but|so|such|a|an|complete|total|absolute|the|really|simply|"
    r"utterly|totally|basically|clearly|obviously|always|naturally|inherently|by nature|"
    r"fucking|a bunch of|like|too|disgustingly|pretty|born) )*"
)
DEROG = (
    r"(?:scum|vermin|animals|pests?|parasites|rats|cockroaches|(?:a )?disease|diseased|"
    r"(?:a )?virus|(?:a )?cancer|plague|filth|filthy|trash|garbage|rubbish|subhuman|"
    r"lesser beings|less than human|savages|disgusting|vile|repulsive|revolting|sickening|"
    r"pathetic|stupid|dumb|ignorant|worthless|inferior|(?:a )?waste of space|evil|dirty|"
    r"retarded|idiots|morons|assholes|dickheads|pricks|shitheads|useless|criminals|"
    r"terrorists|rapists|freaks|abominations?|(?:a )?blight|(?:a )?stain|not human|"
    r"sick in the head|fucked in the head|beasts|monkeys|apes|pigs|leeches|"
    r"gross|dumbest|stupidest|ugly|lazy|a plague|worst|despicable|repugnant|dishonest|"
    r"abhorrent|hideous|detestable|contemptible|loathsome|a threat to)"
)
SLUR = (
    r"(?:nigg(?:er|ers)|faggots?|fags?|dykes?|trann(?:y|ies)|shemales?|"
    r"retards?|spics?|wetbacks?|kikes?|chinks?|ragheads?|towelheads?|coons?|gooks?|"
    r"pakis?|mongs?|cripples?|beaners?|camel jockeys?|golliwogs?|wogs?|negroe?s?)"
)
INSULT = (
    r"(?:idiot|moron|loser|stupid|dumb|pathetic|worthless|useless|ugly|disgusting|retard|"
    r"retarded|trash|garbage|scum|freak|creep|piece of (?:shit|crap|garbage|trash)|"
    r"waste of (?:space|air|oxygen|skin)|bitch|whore|slut|cunt|asshole|dickhead|prick|"
    r"twat|failure|clown|pig|bastard|jerk|douche(?:bag)?|dumbass|imbecile|weirdo|psycho|"
    r"attention (?:seeker|whore)|faker|drama queen|parasite|vermin|subhuman|shithead|"
    r"fatass|disgrace|coward|lowlife|degenerate|crybaby|cretin|wanker|tosser|dipshit|"
    r"sack of shit|fat cow|cow|rat|pussy|liar|fat|junkie|crackhead|cokehead|methhead|tweaker|"
    r"druggie|pillhead|smackhead|alkie|wino|drunk)"
)
_INSULT_FILL = (
    r"(?:(?:such|so|a|an|just|nothing but|the|fucking|absolute|complete|total|utter|"
    r"really|pathetic|stupid|worthless|little|fat|ugly|dumb|disgusting|one|big|huge|sad|"
    r"sorry|miserable|useless|lazy|dirty|filthy|typical|common|goddamn|damn|and|honestly|"
    r"literally|actually|seriously|genuinely|truly|attention seeking) )*"
)
_PERSON = (
    r"(?:him|her|them|you|everyone|people|that (?:guy|girl|man|woman|bitch|bastard|idiot)|"
    r"(?:those|these|all|the) (?:\w+ )?(?:people|guys|men|women|kids|idiots|morons|"
    r"bastards|assholes|bitches|protesters|liberals|conservatives|leftists|politicians|"
    r"cops|folks)|" + ID + ")"
)
_KILL = (
    r"(?:kill|shoot|stab|hang|snap the necks? of|strangle|drown|beat|hurt|punch|murder|"
    r"slaughter|execute|rape|lynch|torture|burn|gas|exterminate|get rid of|wipe out|"
    r"eradicate|round up|deport)"
)
_KILLED = (
    r"(?:shot|killed|hanged|hung|executed|exterminated|gassed|lynched|tortured|slaughtered|"
    r"murdered|drowned|strangled|beaten|raped|put down|burned|wiped out|locked up|caged|"
    r"deported|eradicated|removed)"
)
_SELF_HARM = (
    r"(?:kill|hang|neck|shoot|drown|off|end|cut|hurt|burn|starve|rope|poison|stab|delete|"
    r"overdose on|od on)"
)


# Any character of a sentence, except where a negation starts ("are not at all ignorant").
_UNNEGATED = r"(?:(?!\bnot\b|\bnever\b|\bopposite\b|\bno\b)[^.!?])"


@dataclass(frozen=True)
class Rule:
    category: str
    score: float
    pattern: re.Pattern[str]
    kind: str  # "group" | "direct" | "esh" | "slur" | "plain" | "banter"


def _rules(category: str, score: float, kind: str, *patterns: str) -> list[Rule]:
    return [Rule(category, score, re.compile(p), kind) for p in patterns]


RULES: list[Rule] = [
    # --- hate: attacks on people for who they are ------------------------------
    *_rules(
        "hate",
        0.9,
        "group",
        r"\bi (?:\w+ )?(?:hate|despise|loathe|detest|can not stand|abhor|am disgusted by|"
        r"feel (?:nothing but )?(?:contempt|disgust|hatred) for) " + ID,
        ID + r" (?:like you |like them )?(?:make|makes) me (?:sick|furious|angry|ill|"
        r"want to (?:puke|vomit|throw up))",
        r"\b(?:contempt|scorn|disgust|hatred|hate|disdain) (?:i (?:feel|have) )?for " + ID,
        r"\b" + ID + r" (?:\w+ )?disgusts? me\b|\bdisgusted by " + ID,
        r"\b(?:fuck|screw|to hell with|death to) (?:all )?" + ID,
        r"\b" + ID + r" (?:are|is|were) " + _FILL + DEROG + r"\b",
        r"\b" + ID + r" (?:belong|should be (?:kept|locked up)|should all be locked up)"
        r"\b.{0,20}\b(?:zoo|cages?|jail|prison|camps?|gas chambers?)\b",
        r"\b" + ID + r" (?:have|has) no place in\b",
        r"\bsmarter than (?:any|all|every)(?: of you)? " + ID,
        r"\b" + ID + r" (?:lives? )?(?:do not|does not|never) matter\b",
        r"\b" + ID + r" (?:lives? )?(?:are|is) (?:not |never )?worth (?:nothing|shit|less "
        r"than|anything)\b",
        r"\b" + ID + r" (?:are|is) not (?:human|people|persons|worthy)\b",
        r"\b" + ID + r" (?:should|must|ought to|need to|deserve to|have to|would) "
        r"(?:all )?(?:die|be " + _KILLED + r")\b",
        r"\b" + ID + r" (?:have|has|had) no right to (?:live|exist|be alive|be here)\b",
        r"\b" + ID + r".{0,40}\bnot worthy of (?:living|life|respect)\b",
        r"\b(?:only|typical of|trust|always the) (?:a |an |the )?"
        + ID
        + r".{0,30}\b"
        + DEROG
        + r"\b",
    ),
    *_rules(
        "hate",
        0.75,
        "group",
        r"\b" + ID + _UNNEGATED + r"{0,40}\b" + DEROG + r"\b",
        r"\b" + DEROG + _UNNEGATED + r"{0,25}\b" + ID,
    ),
    *_rules(
        "threat",
        0.9,
        "group",
        r"\b" + _KILL + r"(?: (?:all|every|each|those|these|the|of|any))* (?:\w+ )?" + ID,
        r"\b" + ID + r" (?:should|must|ought to|need to|deserve to|have to|would) "
        r"(?:all )?(?:die|be " + _KILLED + r")\b",
        r"\b(?:someone|somebody|people|we|they|you) (?:should|ought to|need to|must|"
        r"gotta|has to|have to|could) (?:just )?" + _KILL + " " + _PERSON + r"\b",
        r"\b(?:cut|slit|snap|break) (?:your|his|her|their|the)(?: \w+)? (?:throats?|necks?)\b",
        r"\b(?:is|would be) (?:the only solution|best|in everybodys interest)\b.{0,30}\b"
        + _KILL
        + r" "
        + _PERSON,
    ),
    *_rules(
        "threat",
        0.8,
        "group",
        r"\b(?:they|he|she|you|them|people|everyone|" + ID + r"|(?:those|these) (?:kinds? of )?"
        r"(?:\w+ )?people)(?: (?!not\b|never\b)\w+){0,2} (?:should|would|must|deserve to|"
        r"ought to|need to|have to) (?:all )?be " + _KILLED + r"\b",
        r"\b(?:deserve|deserves) to (?:die|be (?:killed|shot|raped|hurt))\b",
    ),
    # --- threats and harassment aimed at a person -------------------------------
    *_rules(
        "threat",
        0.9,
        "direct",
        r"\bi (?:will|am going to|am gonna|would|could|want to|shall|am about to|am coming "
        r"to|swear i will|will fucking|am gonna fucking)? ?(?:find you and )?(?:kill|murder|hurt|"
        r"stab|shoot|strangle|choke|hunt down|rape|end|destroy|slit|smash|burn|slap|knock out|cut|"
        r"bury) (?:you|ya|him|her|them)\b",
        r"\bi (?:will|am going to|am gonna|would) (?:beat|punch|break) (?:you|him|her|"
        r"them|your)\b(?: \w+)? (?:up|to death|senseless|in the|face|neck|legs|jaw)\b",
        r"\b(?:i )?(?:know|find out|found out|figure out|will find) where you "
        r"(?:live|work|sleep|are(?! coming from| going through| saying)|"
        r"go to school)\b",
        r"\bmake you (?:regret|pay|suffer|sorry)\b",
        r"\b(?:beat|kick|knock|slap|punch) the (?:shit|crap|hell|fuck|life|living daylights) "
        r"out of (?:you|him|her|them)\b",
        r"\bwatch your back\b",
        r"\bi hope (?:you|he|she|they) (?:die|dies|get (?:raped|killed|hit|shot|cancer)|"
        r"gets (?:raped|killed|hit|shot|cancer))\b",
    ),
    *_rules(
        "threat",
        0.8,
        "direct",
        r"\b(?:you are|you|your) (?:so |fucking )?(?:dead|going to die|gonna die|"
        r"a dead (?:man|woman)|done for)\b",
        r"\byou (?:will|are going to) (?:pay|regret|be sorry|get what is coming)\b",
        r"\b(?:coming|come) for you\b",
        r"\b(?:keep (?:talking|it up|running your mouth|pushing)|"
        r"say (?:that|it|something like that)"
        r" again|try (?:it|me|that again)|do (?:that|it) again|come near me again) (?:and|or) "
        r"(?:see what happens|you will (?:regret|see|pay|be sorry|get hurt)|i will)\b",
        r"\bsee what happens to (?:you|your \w+)\b",
        r"\byou are (?:going to|gonna) get what is coming\b",
    ),
    *_rules(
        "harassment",
        0.9,
        "direct",
        r"\b(?:you are|you|your) " + _INSULT_FILL + INSULT + r"\b",
        r"\byou (?:look|sound|seem) (?:so |like )?" + _INSULT_FILL + INSULT + r"\b",
        r"@\w+ (?:is |you are )?(?:a |an |such a |such an |just a )?"
        + _INSULT_FILL
        + INSULT
        + r"\b",
        r"^(?:just |now )?(?:fuck|screw) off\b|\b(?:fuck|screw|fck|fuk) (?:you|yourself)\b",
        r"\byou are (?:such |just )?a (?:joke|nobody|fool)\b",
        r"\b(?:nobody|no one|noone) (?:here |in here |in this \w+ )?(?:likes|loves|cares about|"
        r"wants|asked) you\b",
        r"\b(?:everyone|everybody|people|we all|they all) "
        r"(?:laughs?|laughing|are laughing) at you\b",
        r"^\W*(?:what|such) (?:a|an) " + _INSULT_FILL + INSULT + r"\b(?! i am| am i)",
        r"\b(?:look at|lmao at|imagine) (?:this|that) " + _INSULT_FILL + INSULT + r"\b",
        r",\s*(?:you )?" + _INSULT_FILL + INSULT + r"\s*[!.]*$",
        r"\byou are (?:\w+ ){0,2}the (?:dumbest|stupidest|worst|ugliest|most (?:pathetic|annoying|"
        r"disgusting|useless|worthless|hateful)) (?:person|human|member|thing|idiot)\b",
        r"\b(?:everyone|everybody) hates you\b",
        r"\bi (?:really |fucking )?hate you\b",
        r"\byou (?:suck|disgust me|make me sick)\b",
        r"\b(?:die|rot|burn) in hell\b",
        r"\bkiss my ass\b",
    ),
    # "stfu you did not just get 5 years clean!!" is delight, not an attack.
    *_rules("harassment", 0.9, "banter", r"\b(?:stfu|gtfo)\b"),
    *_rules(
        "harassment",
        0.9,
        "slur",
        r"\b(?:you|a|an|that|this|dirty|fucking|filthy|"
        r"stupid|typical|just another|too many|common|like) (?:\w+ )?" + SLUR + r"\b",
    ),
    *_rules("hate", 0.9, "slur", r"\b" + SLUR + r"\b"),
    *_rules(
        "hate",
        0.9,
        "direct",
        r"\bgo back (?:to )?(?:where you (?:came|come) from|to (?:your|ur) (?:own )?(?:country|"
        r"kind|people))\b",
        r"\b(?:do not|dont) want (?:your|you|ur) kind\b|\byour kind (?:is|are) not (?:welcome|"
        r"wanted)\b",
    ),
    # --- sexual harassment --------------------------------------------------------
    *_rules(
        "sexual_harassment",
        0.9,
        "direct",
        r"\b(?:send|show) (?:me )?(?:your |some |those |a )?(?:nudes|noods|nude pics?|"
        r"naked pics?|nude|tits|boobs|titties|dick pics?|pussy|ass|body pics|feet pics)\b",
        r"\b(?:i want to|i will|let me|i am going to|i would|want to|let us|lets|i could|"
        r"i would love to|going to) (?:fuck|bang|rape|smash|grope|lick|suck|finger|"
        r"molest|pound|breed) (?:you|your|her|him)\b",
        r"\bsuck my (?:dick|cock|balls)\b|\bsit on my (?:face|dick|cock)\b",
        r"\b(?:send|show|dm|give) (?:me )?(?:some |a |your )?(?:pics?|pictures?|photos?|nudes|"
        r"vids?|videos?) of (?:your |you )?(?:tits|boobs|titties|ass|pussy|dick|cock|body|"
        r"naked|nude|feet|butt|chest|breasts)\b",
        r"\b(?:send|show) (?:me )?your (?:body|naked \w+|bare \w+)\b",
        r"\byou\b(?:\W+\w+){0,4}\W+(?:naked|nude|undressed)\b",
        r"\b(?:your) (?:tits|boobs|ass|pussy|dick|cock|body) (?:is|are|looks?) "
        r"(?:so )?(?:hot|sexy|fuckable|tight)\b",
        r"\bi am (?:so )?(?:hard|horny|wet) (?:for|thinking about) you\b",
        r"\b(?:want to|let us) (?:fuck|bang|hook up|sext)\b",
        r"\bsex with (?:you|me)\b",
    ),
    *_rules(
        "sexual_harassment",
        0.8,
        "direct",
        r"\b(?:nice|sexy|hot|big|juicy) (?:tits|boobs|ass|titties|rack|booty)\b",
        r"\bwhat (?:are you|you) wearing\b",
    ),
    # --- encouraging self-harm or suicide, aimed at someone -----------------------
    *_rules(
        "encouraging_self_harm",
        0.95,
        "esh",
        r"\bkys\b",
        r"\b(?:go |just |please |then |maybe )?" + _SELF_HARM + r" (?:yourself|your self)\b",
        r"\bdrink (?:some )?bleach\b",
        r"\b(?:go|just|please just|do us all a favou?r and|do everyone a favou?r and|"
        r"do the world a favou?r and) (?:just )?(?:die|jump off (?:a|the) \w+|drink bleach|"
        r"slit your (?:wrists?|throat)|end it|rope|cut deeper|take all (?:your|of your|the) "
        r"pills)\b",
        r"\b(?:nobody|no one|noone) (?:would|will|is going to) (?:miss|care about|notice|"
        r"mourn|cry for) you\b",
        r"\b(?:nobody|no one|noone) (?:would|will|does) (?:care|notice) if you (?:died|"
        r"were gone|killed yourself|disappeared|were dead|die)\b",
        r"\b(?:the )?(?:world|everyone|everybody|we|this group|this place|your family|"
        r"everyone here) (?:would be|is|will be|are|would all be) better (?:off )?without "
        r"you\b",
        r"\byou (?:would|will) be better off dead\b",
        r"\byou (?:should|deserve to|need to|ought to|might as well) (?:just )?(?:die|"
        r"be dead|not exist|not be alive)\b",
        r"\bgo ahead and (?:cut|kill|die|jump|do it|overdose|end it|hang|take (?:them|the "
        r"pills|all))\b",
        r"\bjust do it(?: already| lol| then|,? (?:nobody|no one|coward|pussy|you will not|"
        r"i dare|we dare|loser)| you coward| you pussy)",
        r"\byou (?:will not|never) (?:do it|actually do it|ever do it)\b",
        r"\bi dare you to (?:do it|jump|kill yourself|cut)\b",
        r"\b(?:stop|quit) (?:being )?(?:dramatic|attention seeking|faking)\b.{0,15}\b(?:do it|"
        r"just die|kill yourself)\b",
        r"\bwhy (?:do not|dont) you (?:just )?(?:die|do it|end it|kill yourself)\b",
        r"\b(?:hope|hoping) you (?:actually |finally |really |just )?(?:go through with it|do it|"
        r"succeed|finish the job|kill yourself|end it|cut deeper|overdose)\b",
        r"\b(?:better|easier|happier)\b.{0,25}\bif you (?:just )?(?:killed yourself|died|were dead|"
        r"were gone|did it|overdosed|ended it)\b",
        r"\byou (?:should|need to|ought to|might as well|could just|can just|better) (?:just |go |"
        r"go and )?(?:overdose|od|jump off|hang yourself|cut deeper|slit|drink bleach|end it|"
        r"end your life)\b",
    ),
    *_rules("encouraging_self_harm", 0.6, "esh", r"^(?:just )?do it\W*$"),
    # --- self-harm method sharing (instructions, doses, lethality) ---------------
    *_rules(
        "self_harm_method",
        0.9,
        "plain",
        r"\b(?:lethal|fatal|deadly|overdose) (?:dose|amount|quantity)\b",
        r"\bhow (?:many|much) (?:\w+ ){0,3}(?:to|would|does it take to|will|should i take "
        r"to|do i need to|it takes to) (?:kill|die|od|overdose|end it|be fatal|stop)\b",
        r"\b\d+ ?(?:mg|milligrams|g|grams|pills|tablets)(?: of \w+)? (?:will|would|should|"
        r"can|is enough to) (?:kill|do it|end it|be (?:fatal|lethal|enough))\b",
        r"\b(?:best|easiest|quickest|fastest|most painless|painless|surest|most effective|"
        r"least painful|reliable|quick|good) (?:way|method|methods|ways) (?:to|of) "
        r"(?:kill|die|end|commit|suicide|hang|overdose|cut|selfharm)\b",
        r"\b(?:cut|slice|slit) (?:vertically|down the (?:arm|wrist|road)|along the|"
        r"lengthwise|the (?:vein|artery))\b|\bvertical not horizontal\b",
        r"\bhow to (?:tie a noose|hang yourself|hang myself|make a noose|slit|cut deeper|"
        r"overdose|kill yourself|kill myself)\b",
        r"\b(?:exit bag|helium (?:hood|bag|tank)|nitrogen (?:hood|bag)|charcoal (?:burning|"
        r"grill) in (?:a |the )?(?:car|room)|hose (?:from|in|into) the exhaust)\b",
        r"\b(?:jump|jumping) from (?:at least )?(?:\d+|a high) ?(?:floors?|stories|storeys|"
        r"meters|feet)\b",
        r"\bhow long (?:does it|will it|would it) take to (?:die|bleed out|suffocate)\b",
        r"\b(?:to do it right|if you want (?:it )?to work|so it (?:actually )?works|make sure "
        r"(?:it works|you do not wake up|it is enough))\b.{0,60}\b(?:take|swallow|cut|jump|hang|"
        r"mix|use)\b",
        r"\btake (?:at least|more than|over|like|around|about)? ?\d+ (?:of (?:them|those|these|"
        r"your \w+)|pills|tablets|caps|capsules)\b.{0,40}\b(?:with (?:alcohol|vodka|booze|"
        r"wine|beer|a drink)|to (?:die|do it|make sure)|enough|will do it)\b",
        r"\bmix(?:ing|ed)? [\w ]{1,20} (?:and|with) [\w ]{1,20} (?:to|will|would) "
        r"(?:kill|die|stop your heart)\b",
    ),
]

# Celebration that turns "stfu" into surprise.
CELEBRATE = re.compile(
    r"\b(?:congrats|congratulations|no way|omg|proud of you|so proud|amazing|happy for you|"
    r"love you|well done)\b|!!"
)
# Outside quotes, a frame that reports someone else's words.
REPORT = re.compile(
    r"\b(?:say|says|said|saying|told|tell|telling|call|called|calling|wrote|writes|writing|"
    r"posted|tweeted|words|phrases|like|heard|yelled|shouted|screamed|texted|messaged|sent|"
    r"quote|quoting|posting|posts|typing|types|using the word)\b"
)
# Speech against hate: silences "group" rules in the same message.
COUNTER = re.compile(
    r"\b(?:bigot(?:ed|s|ry)?|(?:be|put|thrown) in jail|to court|has to stop|have to stop|"
    r"lost (?:all )?respect|consequences|threatening to|you said|never support|racist|"
    r"racism|sexist|sexism|homophob\w*|transphob\w*|"
    r"islamophob\w*|xenophob\w*|ableis\w*|misogyn\w*|hateful|hatred for|hate speech|"
    r"not ok|not okay|unacceptable|shows? (?:what|how)|says a lot|small minded|"
    r"call(?:ed|ing)? (?:it |this )?out|when calling|calling (?:\w+ )?(?:people|women|"
    r"muslims|immigrants) |get you banned|kicked off|banned for|it hurts to see|stop "
    r"(?:saying|calling)|why would you|how dare|do you not realise|do you not realize|"
    r"should be ashamed|no (?:\w+ )?ought to|must never|must not|will never tolerate|"
    r"never condone|disgusting (?:thing )?to say|open hatred|hear (?:people|someone) say|"
    # "... is a stereotype" rejects it; "not a stereotype, it's fact" defends it
    r"(?:is|are|was) (?:a |an )?(?:stereotype|myth|trope|lie)|(?<!not a )(?<!not )stereotyp\w*)\b"
)
# Right before a match: negation ("I would never hurt you", "no Muslim ought to ...").
NEG_BEFORE = re.compile(
    r"\b(?:not|never|no|nobody|nor|none of|stop|against|condemn|oppose|without)\b"
    r"(?:[^\w,]+(?!and\b|then\b)\w+){0,4}[^\w,]*$"
)
# Right before a match: someone else's words being reported ("she told me to kys").
REPORTED_BEFORE = re.compile(
    r"\b(?:tell|tells|told|telling|say|says|said|saying|think|thinks|believe|believes|feel|"
    r"feels|call|calls|called|calling|means|mean|makes you feel|yelled|texted|messaged|"
    r"wrote|sent)(?: (?:me|you|him|her|them|that|to|someone|somebody|people|anyone|others))* ?$"
)
# Right before an "esh" match: supportive questions and first-person crisis talk.
SUPPORTIVE_BEFORE = re.compile(
    r"\b(?:if|whether|thought about|thinking (?:about|of)|feel like|want to|wanting to|"
    r"urge to|urges to|tempted to|are you|have you|did you|do you|why would you|how to stop|"
    r"instead of|not to|promise|safe from|keep you from|ways? to|let me|make me|might as well|"
    r"maybe i should|"
    r"i (?:want|wish|need|should|could|might|will|would|am going|am gonna|am about|just "
    r"want|am ready))\b[^.!?]{0,25}$"
)
# Reclaimed self-descriptions: a slur right after one of these is not an attack.
RECLAIM_BEFORE = re.compile(
    r"\b(?:i am|we are|us|my fellow|fellow|proud to be|proud|call myself|calling myself|"
    r"as a|my|our|all my|me and my|queer|being a|happily a|ourselves|call ourselves|"
    r"calling ourselves)(?: (?:a|an|proud|big|old|fellow|fat))? ?$"
)
HOMONYM = re.compile(
    r"\b(?:cooked|cook|ate|eat|delicious|gravy|onions?|meatballs|recipe|dish|marsh\w*|"
    r"rivers?|dams?|flood\w*|dutch|dike\w*|dyked|puppies|dog|dogs|labrador|canines?|"
    r"breeder|litter|bundle|sticks|butcher|smoked?|smoking|cigarettes?|packet|mouth|beach|"
    r"water|walk)\b"
)
