"""Harm in code or in directions: hate passed off as fact or dog whistle, self-harm
methods offered as local knowledge, and doxxing by someone's schedule.

Found, like harm_veiled.py's families, in round-7 training-only text, and built with its
helpers (quoted phrases never count, guards that cover a whole message). Each pattern
is a family and demands the harmful half: counter-speech that names a stereotype, a
member weighing a method for themselves (crisis.py alerts on that), a member's own
details and a moderator's note pass (tests/moderation/test_harm_veiled.py).
"""

from __future__ import annotations

from moderation import harm_lexicon as lx
from moderation.harm_families import _ATTRIB, _DET, _MORE_ADJ, _OFFER, GROUP
from moderation.harm_veiled import _DAY, _START, _rules, _unless

# Groups harm_families.GROUP lacks: an identity adjective on an everyday noun ("polish
# lads"), and faiths and orientations named as targets in round 7.
_GROUP = (
    r"(?:" + GROUP + r"|" + _DET + r"(?:" + lx._ID_ADJ + r"|" + _MORE_ADJ + r") (?:lads|blokes|"
    r"fellas|folk|lot|types|families)\b|" + _DET + r"(?:catholics|protestants|mormons|"
    r"bisexuals|asians|jehovahs witnesses|gays)\b)"
)
# What "<group> are all ..." says of a group; harm_families._ATTRIB plus vices.
_VICE = (
    r"(?:drunks|alcoholics|alkies|junkies|druggies|(?:drug )?dealers|thieves|liars|cheats|"
    r"dishonest|criminals|scammers|fraudsters|beggars|gangsters|terrorists|rapists|paedos|pedos|"
    r"groomers|scroungers|greedy|confused|lazy|dirty|smelly|inbred|violent|the same|sluts|"
    r"(?:covering for|protecting|hiding) (?:\w+ )?(?:paedos|pedos|abusers|rapists|terrorists|"
    r"criminals|each other)|" + _ATTRIB + ")"
)
# Counter-speech lx.COUNTER does not know: rejecting a stereotype by name.
_REJECTS = (
    r"\b(?:stereotyp\w*|propaganda|myths?|tropes?|(?:some )?(?:people|folks|bigots|racists) (?:say|"
    r"claim|think|believe)|is (?:a lie|false|wrong|rubbish)|not true|do not (?:think|believe)|"
    r"never said|bigot\w*|antisemit\w*|conspirac\w*|debunk\w*|nonsense)\b"
)
# Talk about a code or a slogan (explaining, asking about, reporting it), or a test mark.
_ABOUT_CODE = (
    _REJECTS + r"|\b(?:dog ?whistles?|what does|mean(?:s|ing)?|code|symbols?|nazis?|far right|"
    r"usernames?|bios?|reported|flagged|got|scored|scores?|marks?|out of|tests?|exams?|quiz|"
    r"points?)\b"
)
# First-person crisis talk: a member weighing a method for themselves is in crisis
# (crisis.py alerts on it), never sharing one.
_SELF = (
    r"\b(?:i (?:have|had|am|want|need|wish|keep|can not|might|could|should|would|will|counted|took|"
    r"swallowed)|myself|for me)\b"
)
# A member speaking of their own people or themselves, or a moderator's reminder.
_MINE = (
    r"\b(?:my (?:\w+ )?(?:mum|mom|mam|dad|son|daughter|kids?|child|children|sister|brother|wife|"
    r"husband|partner|girlfriend|boyfriend|friend|mate|niece|nephew|cousin|sponsor|nan|gran|"
    r"grandma|grandad|aunt|uncle|boss|colleague|coworker|flatmate|neighbou?r)s?|mod note|reminder|"
    r"please (?:do not|never) (?:share|post))\b"
)
# A member named as one: "jake from the tuesday group", "the new mod", "@kez".
_MEMBER = (
    r"(?:\bthe (?:new |old |other |head )?(?:mod|moderator|admin|facilitator)|\b\w+ from (?:the "
    r")?(?:\w+ )?(?:group|room|chat|meetings?|forum|server)|@\w+)"
)
_HIS = r"(?:his|her|their|the mods|@\w+ s|\w+s)"
_PLATFORM = r"(?:facebook|fb|insta|instagram|linkedin|twitter|tiktok|google|snap|snapchat)"
_SPOT = (
    r"(?:bridge|cliffs?|car ?park|multi ?storey|roof|rooftop|tracks|railway|viaduct|tower|quarry|"
    r"flyover|reservoir|platform|ledge|top floor)"
)
# Said to readers: "just so you know", "if anyone's looking", "dm me".
_FOR_YOU = (
    r"(?:just so you know|just saying|if (?:anyone|anyones|anybody|you) (?:is |are |s )?(?:looking|"
    r"interested|needs?)|for anyone (?:who is )?looking|in case (?:anyone|you) (?:needs?|wants?)|"
    r"hint hint|you know what (?:for|to do)|happy to share|i can (?:share|"
    r"send|tell you)|ask me|want the (?:link|details|name)|" + _OFFER + ")"
)


RULES: list[lx.Rule] = [
    # --- hate without slurs: generalisations, "facts", dog whistles ---------------------
    *_rules(
        "hate",
        0.9,
        "group",
        *(
            _unless(_REJECTS, p)
            for p in (
                r"\b" + _GROUP + r" (?:can not|can never|should never|should not|must never) be "
                r"trusted\b",
                r"\b" + _GROUP + r" (?:are|is) (?:barely|hardly|less than|not even|not really|not "
                r"fully|not truly|not quite) human\b(?! rights)",
                r"\b(?:" + _GROUP + r"|those people|these people|your lot|their lot|that lot|their "
                r"kind|your kind|people like (?:you|them)) (?:all )?(?:breed|breeding|multiply|"
                r"multiplying) like (?:rats|rabbits|cockroaches|flies|vermin|animals|insects|"
                r"roaches|mice)\b",
                r"\b" + _GROUP + r" (?:are|is) (?:all|just|basically|nothing but|always|mostly)(?: "
                r"all| just)? " + _VICE + r"\b",
                r"\b" + _GROUP + r"[^.!?]{0,40}\bthey are (?:all )?(?:just |basically |like )?"
                r"(?:robots|animals|savages|vermin|parasites|rats|cockroaches|subhuman|dogs|pigs|"
                r"monkeys|apes|insects|machines)\b",
                r"\b(?:" + lx._ID_ADJ + r"|" + _MORE_ADJ + r") (?:guys?|men|man|wom[ae]n|girls?|"
                r"lads?|blokes?|family|families|people|lot|kids?|neighbours?)\b[^.!?]{0,40}\bthey "
                r"(?:all )?(?:smell|stink|reek)(?: so)?(?: bad| awful| disgusting| horrible| rank| "
                r"foul)?\W*(?:$|[,.;!?]|and\b|lol)",
                r"\b(?:ok|okay|sure|alright|nice try),? groomers?\b(?!\W*\?)|"
                r"\bgroomers?\b[^.!?]{0,40}\b(?:your lot|your kind|you people|you lot|the lot of "
                r"you|all of you|the alphabet (?:people|mafia|crowd|brigade))\b",
            )
        ),
        _unless(
            _ABOUT_CODE,
            r"\b(?:the )?(?:jews|jewish people|zionists|globalists|rothschilds|"
            r"\({3}[^()]{1,40}\){3}) (?:secretly |really |basically |literally )?(?:run|control|"
            r"own|rule|are behind|pull the strings (?:of|in|behind)) (?:the |all |our |this |every "
            r"|big )?(?:\w+ )?(?:pharma(?:ceutical)?|drug companies|companies|media|banks|world|"
            r"governments?|hollywood|press|news|money|economy|fed|un|everything|country|west|"
            r"elections?|nhs|system|opioid crisis|crisis|wars?)\b",
        ),
        # Dog whistles used, not discussed: 1488 (not a year, a phone number or a count),
        # 13/50, (((echoes))), the great replacement.
        _unless(
            _ABOUT_CODE,
            r"(?:(?<![\d/.:,£$#-])(?<!in )(?<!year )(?<!since )(?<!circa )(?<!from )(?<!until "
            r")(?:14 ?88|14/88)(?![\d/.:,%-]| ?(?:st|nd|rd|th|am|pm|kg|km|mg|miles|cal\w*|kcal|"
            r"pounds|quid|ml|steps|words|days|hours|mins)\b)|(?<![\d/.:])13 ?(?:/|%? (?:commit|do|"
            r"does)) ?5[02]\b(?![\d/:.])|\({3}[^()]{1,40}\){3}|\bgreat replacement\b|\b(?:you|"
            r"jews) will not replace us\b|\b(?:sieg heil|heil hitler|rahowa|white genocide|(?:the "
            r")?(?:14|fourteen) words)\b)",
        ),
    ),
    # "Not racism, just facts": lx.COUNTER reads the disclaimer as counter-speech, so
    # these are "direct" (silenced by negation and reporting, not by counter).
    *_rules(
        "hate",
        0.9,
        "direct",
        r"\bi am not (?:a |being )?racist,? but\b[^.!?]{0,60}\b"
        + _GROUP
        + r"(?: are| is)\b|\b"
        + _GROUP
        + r"\b[^.!?]{0,60}\b(?:that is|it is|those are|these are|just) (?:the |stating )?facts?,?"
        r" not (?:racism|racist|hate|bigotry)\b",
    ),
    # --- self-harm method offered to others: places, doses, supply, hiding it -----------
    *_rules(
        "self_harm_method",
        0.9,
        "direct",
        r"\b(?:" + _SPOT + r"\b[^.!?]{0,60}\b(?:no (?:barriers?|railings?|fences?|nets?|cameras?|"
        r"cctv|security)|(?:nobody|no ?one)(?: is|s| s)? (?:around|about|there|checks|watches)|"
        r"(?:is|are) the highest|unguarded)|no (?:barriers?|railings?|fences?|nets?)\b[^.!?]{0,40}"
        r"\b" + _SPOT + r")\b(?![^.!?]*\b(?:parking|bikes?|cycl\w+|wheelchairs?|prams?|buggy)\b)"
        r".{0,60}" + _FOR_YOU,
        r"\bbest (?:spot|place|location|bridge|building)(?: round here| around here| in town)? "
        r"(?:is|would be) (?![^.!?]*\bfor (?:fishing|swimming|photos|stargazing|walking|running|"
        r"sunsets?|sunrises?|views?|the view|birdwatching|a picnic)\b)[^.!?,]{0,40}\b(?:"
        + _SPOT
        + r"|river)\b[^.!?]{0,60}\b(?:nobody|no ?one)(?: is|s| s)? (?:around|about|there|will "
        r"see|will find|will stop)\b",
        _unless(
            _SELF,
            r"\b(?:take|taking|swallow|swallowing|neck|mix(?:ing)?|(?:a|the) (?:whole|full|entire) "
            r"(?:pack|packet|box|bottle|strip))\b[^.!?]{0,50}\b(?:is |it is |that is "
            r")?(?:basically |pretty much |almost |practically |100 ?% )?(?:guaranteed|certain "
            r"death|foolproof|fool proof|never fails|always (?:fatal|works|kills))\b(?=\W*(?:$|,|"
            r"\.| that| if| to (?:kill|work\W*$|do it|end it)))",
        ),
        _unless(
            _SELF,
            r"\b\d+ (?:of (?:the|them|those|your)|pills|tablets|caps)\b[^.!?]{0,40}\b(?:that is|is|"
            r"was) the (?:amount|dose|number|quantity) (?:that |which )?(?:\w+ ){0,4}(?:(?:works|"
            r"worked)\b(?! on| with| for (?:me|my|migraines?|headaches?|pain|sleep)\b)|does it|did "
            r"it|kills|killed|you need)\b",
        ),
        r"\b(?:get|buy|order) [^.!?]{0,30}\b(?:with no|without (?:a|any)|no need for a|no) "
        r"(?:prescription|script|questions asked)\b[^.!?]{0,40}\b(?:stockpile|stock up|hoard|build "
        r"up|save up|a few boxes|enough)\b|\bstockpile\b[^.!?]{0,30}\b(?:and you are set|you will "
        r"be set|you will have enough|until you have enough|enough to)\b",
        r"\b(?:lie to|trick|fool|tell) (?:your|the) (?:doctor|gp|pharmacist|psychiatrist|nurse|"
        r"prescriber)\b[^.!?]{0,30}\bto get (?:more|extra|a bigger|double)\b(?! time| days| sick| "
        r"leave| off).{0,60}\b(?:stash|stockpile|built up|build up|hoard|save them|enough)\b",
        r"\b(?:(?:mixing|mix|taking|combining|method|way)\b[^.!?]{0,40}\b(?:is|are|was) (?:totally "
        r"|completely |basically |pretty |quite )?(?:painless|peaceful|guaranteed|foolproof|"
        r"undetectable|reliable)\b.{0,40}\b" + _FOR_YOU + r"|" + _FOR_YOU + r".{0,40}\b(?:mixing|"
        r"mix|taking|combining)\b[^.!?]{0,40}\b(?:is|are) (?:totally |completely |basically "
        r")?(?:painless|peaceful|guaranteed|foolproof|undetectable))",
        r"\b(?:video|vid|clip|site|website|forum|thread|guide|page)\b[^.!?]{0,40}\b(?:shows?|"
        r"explains?|goes through|walks you through|lists?) (?:the )?(?:whole |entire |exact |full |"
        r"step by step )?methods?\b(?! (?:for|of|to|in|on|behind)\b).{0,60}\b(?:i saved it|i "
        r"(?:will|can) (?:give|send)|if you want|" + _FOR_YOU + ")",
        r"\b(?:where|somewhere) (?:the (?:nurses|staff|doctors|carers|ward|police)|they|nobody|no "
        r"one|noone|your (?:mum|mom|parents|family)) (?:will not|do not|can not|would not|will "
        r"never|never) (?:check|look|find you|notice|interrupt|stop you)\b.{0,40}\b(?:i will tell "
        r"you (?:where|how)|i know (?:a|the|just the) (?:spot|place)|ask me|"
        + _OFFER
        + r"|dm\W*$)",
        r"\b(?:look like|make it look like|pass (?:it )?off as) an "
        r"accident\b[^.!?]{0,30}\b(?:there "
        r"are ways|i know how|ask me|i can (?:tell|show) you|" + _OFFER + ")",
        r"\b" + _OFFER + r".{0,60}\b(?:which (?:pills|meds|tablets|ones)|how (?:many|much))\b"
        r".{0,40}\bi will (?:send|give|tell|show) you\b|\bhow (?:many|much) (?:of )?(?:your|those|"
        r"these) (?:\w+ )?(?:pills|tablets|meds|antidepressants|painkillers|insulin|paracetamol)\b "
        r"(?:would|will|does) it take\b",
        # Hiding self-harm or not eating from the people who would help.
        _START + r"(?:just |you can |you could |always )?(?:wear|keep|use|put on|cover) "
        r"[^.!?]{0,60}\bso (?:the|your) (?:marks|cuts|scars|bruises|burns) (?:never|will not|do "
        r"not|can not) (?:show|be seen)\b[^.!?]{0,40}\b(?:nobody|no one|"
        r"noone)\b[^.!?]{0,30}\b(?:know|notice|find out)|\b(?:tell|say to) (?:everyone|them|your "
        r"(?:mum|mom|parents|family|carers?|nurse)) (?:that )?you (?:already |have already "
        r")?(?:ate|eaten|had (?:lunch|dinner|breakfast|tea))\b.{0,60}\b(?:skipped meals|without "
        r"(?:anyone|anybody) (?:clocking|noticing)|they will not notice)",
    ),
    # --- doxxing: where and when someone else can be found ---------------------------
    *_rules(
        "doxxing",
        0.9,
        "direct",
        *(
            _unless(_MINE, p)
            for p in (
                # A named member's workplace, or a third person's gym, therapist or children's
                # school, with when they are there (not "..., so she'll join late").
                r"(?:" + _MEMBER + r" (?:also |still |now )?(?:works? (?:nights |days |shifts )?"
                r"(?:at|for|in)|teach(?:es)? at|trains? at|stud(?:ies|y) at|attends?)|\b(?:his|her|"
                r"their) (?:gym|work|office|workplace|school|uni|college|therapist|clinic|doctor|"
                r"gp|psychiatrist|counsell?or|church|mosque|kids?|children|daughter|son) (?:is|are|"
                r"go|goes)\b)[\s\S]{0,80}?(?:\b(?:his|her|their) (?:shift|class|lesson|session|"
                r"appointment|practice|training|lecture) (?:ends|finishes|starts|is) (?:at )?\d|"
                r"\b(?:every|each) " + _DAY + r"s? (?:at |from |till |until |around |about )?\d|"
                r"\b(?:picks|drops) (?:them|him|her|the kids) (?:up |off )?at "
                r"\d)(?![\s\S]*\b(?:join|be late|miss (?:the|group))\b)",
                r"\b(?:drives|(?:his|her|their) car is) (?:a |an )?(?:\w+ "
                r"){0,3}\w+\b[^.!?]{0,40}\b(?:reg(?:istration)?(?: number| plate)?|number "
                r"?plate)\b[^.!?]{0,40}\bparks\b",
                r"\b(?:he|she|they) (?:goes|go|is|are) (?:to|at|in) [^.!?]{1,30}\b(?:high|school|"
                r"academy|college|primary|secondary|grammar)\b[^.!?]{0,20}\byear "
                r"\d{1,2}\b[^.!?]{0,10}\b(?:the (?:one|lad|girl|boy|kid) with|wears|always has|"
                r"(?:purple|pink|red|blue|green|black|yellow|white|blonde|ginger) (?:backpack|bag|"
                r"coat|jacket|hair|hoodie))",
                r"\b(?:he|she|they) (?:lives|live|stays|is staying) (?:above|below|next to|"
                r"opposite|behind|over|near|by|round the corner from)\b[^.!?]{0,60}\b(?:flat|apt|"
                r"apartment|unit|number|no) ?\d+\b",
            )
        ),
        r"\b(?:found|got|have|dug up|tracked down|worked out) " + _HIS + r" (?:real|full|actual|"
        r"legal|irl) (?:name|identity|surname)\b[\s\S]{0,80}\b(?:lives|works|goes to|studies|"
        r"address|is on " + _PLATFORM + r"|posting it|here it is)\b",
        # Outing someone's recovery to the people around them.
        r"\b(?:deserves? to|needs? to|ought to|should|have a right to) know (?:that )?(?:he|she|"
        r"they)(?: is| are| has been| have been| was)? (?:\w+ ){0,2}(?:in|at|attending|going to|"
        r"part of|a member of|on) (?:a |an |the |this |our )?(?:\w+ ){0,2}(?:recovery|rehab|"
        r"support|mental health|addiction|drug|aa|na|psych\w*)\b(?![^.!?]*\?)",
        r"\b(?:his|her|their|\w+s) (?:mobile|mobiles|mob|digits|landline|work phone|whatsapp)(?: "
        r"number)?(?: is| s)? ?:? ?\+?\d[\d ().-]{5,16}\d\b",
        # Tracing someone (not a scammer, for the police) or promising to post where they live.
        r"\b(?:traced|tracked|looked up|pulled|grabbed|found) (?:his|her|their|the mods|@\w+ s) "
        r"(?:ip|ip address|location|address|street|house|postcode|home)\b(?![\s\S]*\b(?:scam\w*|"
        r"phishing|fraud\w*|police|reported))|\b(?:(?:will|going to|about to) (?:post|leak|share)|"
        r"(?:posting|leaking)(?= \w+ \w+ (?:next|tomorrow|tonight|soon|later)\b)) (?:his|her|their|"
        r"the mods) (?:street|address|postcode|house|home|location|workplace|school|real name|"
        r"details|face)\b",
        r"\bthe (?:guy|girl|man|woman|person|one|mod|member) (?:who|that) (?:reported|banned|"
        r"blocked|muted|kicked|flagged|grassed on|snitched on) (?:me|us)\b[^.!?]{0,15}\bis [a-z]+ "
        r"[a-z]+\b[^.!?]{0,40}\b(?:\d(?:st|nd|rd|th) year|year \d+|studies|studying|works (?:at|"
        r"for)|lives (?:in|on|at)|goes to|at the (?:uni|university|college|school|hospital))\b",
        r"\b(?:pic|picture|photo|screenshot|image) of (?:his|her|their) (?:front door|house|flat|"
        r"car|street|building|home|door|window)\b.{0,60}\b(?:you (?:lot |all |guys )?know what to "
        r"do|numbers? (?:is |are )?visible|do your thing)\b|\b(?:his|her|their) (?:address|house|"
        r"street|door|car|workplace|school|location)\b.{0,80}\byou (?:lot |all |guys |people "
        r")?know what to do\b",
    ),
]
