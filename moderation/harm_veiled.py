"""Harm said sideways: threats, encouragement, grooming and contempt found in round-7
training-only text that the other tables miss.

harm_lexicon.py names harms outright and harm_families.py catches their common
paraphrases. Round 7's training-only messages showed harm with none of their
words: menace with no violent verb ("accidents happen", "i know what time your
shift finishes"), encouragement phrased as impatience ("jump already"), grooming
phrased as kindness ("our little secret", "the others are too immature for
you"). Hate passed off as fact or dog whistle, method tips offered as local
knowledge and doxxing by someone's schedule are in harm_covert.py, which shares
this module's helpers. Same `Rule` shape and context checks as the other tables;
each pattern is a family, not a sentence, and demands the harmful half, so banter,
idiom, members sharing their own details, moderators quoting and people in crisis
talking about themselves pass (tests/moderation/test_harm_veiled.py). Every pattern
consumes a literal, so harm.py's Prefilter skips it for most messages.
"""

from __future__ import annotations

from moderation import harm_lexicon as lx
from moderation.harm_context import _THIRD_PARTY
from moderation.harm_families import _KIN, _r

# Every pattern ends here: a phrase inside double quotes (normalize() turns single
# quotes into double) is being quoted, by a moderator or by counter-speech, not said.
_UNQUOTED = r'(?=(?:[^"]*"[^"]*")*[^"]*$)'
# Clause start: a command or a bare remark, not "i keep starving" or "asked me to delete".
_START = r"(?:^|[.!?,;:] *)"


def _unless(guard: str, pattern: str) -> str:
    """`pattern`, in a message that nowhere matches `guard`.

    The match then starts at 0, so harm.py's checks of the text before a match see
    nothing: the guard must cover what they would have caught.
    """
    return r"^(?![\s\S]*(?:" + guard + r"))[\s\S]*?" + pattern


def _rules(category: str, score: float, kind: str, *patterns: str) -> list[lx.Rule]:
    return _r(category, score, kind, *(p + _UNQUOTED for p in patterns))


_DAY = r"(?:day|morning|night|evening|week|weekday|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
_PIC = r"(?:pics?|pictures?|photos?|fotos?|selfies?|snaps?|vids?|videos?)"
# What turns "our little secret" from a surprise party into grooming.
_SECRET = (
    r"(?:you can tell me anything|(?:do not|dont) tell (?:anyone|anybody|your \w+)|nobody (?:needs|"
    r"has) to know|(?:just )?between (?:us|you and me)|i (?:will|would) never tell|you can trust "
    r"me|only for me|just for me|special (?:connection|friendship|bond))"
)
_TREAT = r"(?:surprise|party|present|gift|recipe|birthday|proposal|spoilers?)"

RULES: list[lx.Rule] = [
    # --- veiled threats: menace without a violent verb ----------------------------
    *_rules(
        "threat",
        0.85,
        "direct",
        # Blackmail ("be a shame if your boss found out about ..."), not a friend's advice
        # ("... from someone else, tell her yourself").
        r"\b(?:shame|pity|would hate|not want) (?:if|for) (?:your (?:\w+ )?(?:" + _KIN + r"|boss|"
        r"manager|employer|work|sponsor|landlord|school|church|neighbours|ex|missus|mrs|other "
        r"half)|(?:any|some|every)(?:one|body)|people|the (?:group|room|mods|others)) (?:\w+ "
        r"){0,2}(?:to )?(?:found out|finds? out|were to find out|heard|learned|got hold of|"
        r"knew)(?: about (?:your|what|the|us)| what (?:you|their|his|her|your) |\W*(?:$|just "
        r"saying|would not it|would it not))(?![^.!?]*\b(?:from (?:someone|somebody|anyone|other|"
        r"facebook|social)|(?:tell|talk to|speak to) (?:them|him|her)|" + _TREAT + r"))",
        _START + r"(?:just )?remember\W+accidents (?:do |can )?happen\W*$",
        r"\baccidents (?:do |can )?happen (?:to (?:people|those|folk|anyone) (?:who|that) (?:\w+ "
        r")?(?:talk|snitch|grass|report|run their mouths?|open their mouths?|mess with|cross|"
        r"threaten|disrespect|tell)|to (?:snitches|grasses|rats|people like you))\b|\b(?:shame|"
        r"pity) if you (?:had|have|were to have) (?:a |an )?(?:nasty )?accident",
        r"(?:^|[.!?,;:] *|\bi would |\byou )(?:had |would |should |might want to )?(?:better |best "
        r")?sleep with (?:one|1) eye open(?: (?:tonight|from now on|if i were you|mate|pal|buddy|"
        r"lad|love|sweetheart))*\W*$",
        r"(?:\b(?:you|we all|everyone|everybody) (?:know|knows|remembers?)|(?:^|[.!?,;:] *)(?:just "
        r")?remember) what happens to (?:snitches|grasses|grassers|rats|narcs|informers|people "
        r"like you|(?:people|those) (?:who|that) (?:snitch|grass|talk|report|tell|run their "
        r"mouths?|go to the (?:mods|police|cops)))\b|\bsnitches (?:get|end up in) (?:stitches|"
        r"ditches|hurt)\b",
        # Knowing a routine. An offer that follows ("..., want a lift?") reads as a friend
        # who knows the rota, not as surveillance: see test_harm_veiled.py.
        r"\bi (?:\w+ )?(?:know|found out|worked out|figured out|have clocked) (?:exactly "
        r")?(?:(?:what time|when|where) (?:you|your) (?:\w+ )?(?:shift|class|lesson|session|"
        r"meeting|practice|training|lecture|bus|train|gym) (?:finishes|ends|starts|gets out|lets "
        r"out|leaves|gets in|arrives)|which (?:exit|entrance|way|route) you (?:\w+ )?(?:leave|use|"
        r"take|come out|go|walk))\b(?![^.!?]{0,60}\b(?:lift|pick you up|give you|meet you|wait for "
        r"you|walk you|drive you|save you|join you|come with you|grab|coffee|cuppa|see you|text "
        r"you|call you|ring you|want me|shall i|i can come))",
        r"\bi (?:have )?(?:seen|spotted|clocked|noticed|saw|watched) (?:your|ur) (?:car|van|bike|"
        r"house|flat|front door|"
        + _KIN
        + r")\b[^.!?]{0,50}\b(?:(?:every|most|each) "
        + _DAY
        + r"s?|on "
        + _DAY
        + r"s)\b.{0,60}\b(?:be careful|careful with|nice (?:car|house|kids?|"
        r"family)|lovely (?:car|house|kids?|family)|would be a shame|shame if|just saying|you "
        r"never know)",
        r"\byour (?:\w+ )?(?:" + _KIN + r") (?:goes|go|still goes|is|are) (?:to|at) [^.!?]{1,40}"
        r"\W+(?:cute|lovely|pretty|sweet|beautiful|gorgeous|adorable) (?:kids?|girl|boy|little "
        r"(?:girl|boy|one|thing)|family)\W*(?:$|would be a shame|shame if|be careful|just saying)",
        r"\bi (?:have )?(?:got )?(?:people|mates|friends|lads|guys|contacts|cousins|boys) (?:who|"
        r"that) (?:owe me (?:a )?(?:favou?rs?|one)(?: or two)?\W*(?:$|just saying|remember that|"
        r"think about|keep that in mind|do not forget)|know where you live|will (?:sort you out|"
        r"deal with you|pay you a visit|find you))",
        r"\bi (?:will|am going to|am coming to) (?:(?:find|come for|catch|track down|get|visit) "
        r"(?:you|him|her)|track (?:you|him|her) down)\b[^.!?]{0,25}\bit (?:will not|is not going "
        r"to|would not) be (?:(?:for|to) (?:a (?:beer|pint|drink|chat|coffee|cuppa|hug|brew)|chat|"
        r"talk|shake hands|say (?:hi|hello))|pretty|friendly|a social call|a friendly "
        r"visit)\b(?![^.!?]{0,10}\bit (?:will|is going to) be (?:for|to)\b)",
        r"\b(?:i am|we are|i will be|we will be|i will|we will) (?:\w+ )?(?:coming|come|going|"
        r"popping|heading|driving|turning up|showing up) (?:round |over |down |up )?(?:to |at "
        r")?(?:your|ur) (?:house|place|flat|door|work|address|street|gaff|home|"
        r"doorstep)\b[^.!?]{0,60}\b(?:settle (?:this|it|things|the score)(?! (?:over|with|at|in|"
        r"by)\b)|sort you out|deal with you|teach you a lesson|see how (?:brave|tough|hard|big) "
        r"you are|see who is laughing)",
        r"\b(?:you|your) (?:will|are going to|would|going to) (?:be )?(?:need|needing|needin) (?:a "
        r")?(?:new set of teeth|new teeth|false teeth|dental records|a new face|new kneecaps|a "
        r"wheelchair|a new jaw)\b(?![^.!?]*\b(?:sweets|sugar|candy|fizzy|toffees?|eating|grinding|"
        r"brushing))",
        r"\bi (?:will|am going to|could|would|swear i will) (?:put|send) you (?:in|to|into) "
        r"(?:hospital|the hospital|a wheelchair|a coma|intensive care|an early grave|the ground|"
        r"the morgue)\b|\bi (?:will|am going to|could|would) (?:burn|torch|firebomb|petrol bomb|"
        r"smash up|trash) (?:down )?(?:your|ur) (?:place|house|flat|car|home|shop|gaff|van)\b",
    ),
    # --- encouraging self-harm, said to someone (never "i", never "might as well" alone) --
    *_rules(
        "encouraging_self_harm",
        0.9,
        "esh",
        r"(?:^|[.!?,;:] *|\b(?:and|just|go on|then|so|now) )(?:just )?(?:jump|go through with it|"
        r"end it|pull the trigger|take (?:the lot|them all|the pills)|kill yourself|hang yourself) "
        r"already\b(?! with)(?!.{0,60}\b(?:water|pool|lake|sea|bungee|parachute|plane|queue))",
        r"\bstop (?:talking about it|threatening|teasing|whining about it|moaning about it|going "
        r"on about it|saying you will)\b[^.!?]{0,20}\b(?:and )?(?:just )?(?:jump|end it|kill "
        r"yourself|take the pills|pull the trigger|hang yourself|overdose)\b",
        r"\b(?:you are|your) (?:\w+ ){0,3}(?:lost cause|hopeless case|waste of (?:space|air|oxygen|"
        r"skin)|burden|write off)\b[^.!?]{0,20}\b(?:might as well|may as well|so just|just) (?:end "
        r"it|do it|jump|kill yourself|go through with it|take the lot|end your life|not wake up)\b",
        r"(?:\bwhy are you |\byou are |^|[.!?,;:] *)(?:even )?still (?:here|alive|breathing|"
        r"around)\b\W+(?:just )?take the hint\b|\btake the hint\b[^.!?]{0,15}\b(?:and )?(?:die|"
        r"disappear|end it|kill yourself|jump|go away forever)\b|\bwhy are you (?:even still "
        r"(?:alive|breathing|living|on this (?:earth|planet))\b|still (?:alive|breathing)\W*$)",
        r"\byou should (?:have|of) (?:(?:finished (?:it|the job|yourself off)|done it (?:properly|"
        r"right)|gone through with it) (?:last time|the first time|when you (?:had the chance|"
        r"tried|could)|back then)|died|stayed dead|not woken up|not survived)\b(?! (?:laughing|of|"
        r"your|my|her|his|it|the)\b)",
        r"\b(?:waiting|still waiting) for you to (?:finally |actually )?(?:go through with it|end "
        r"it|kill yourself|jump|top yourself|off yourself|overdose|finish the job)\b(?! with)",
        r"\b(?:do it|kill yourself|end it|jump|hang yourself|overdose) (?:on|in) (?:live|a live|"
        r"stream|a stream|camera|cam|a livestream|insta live|tiktok live)\b[^.!?]{0,20}\b(?:so |"
        r"and )?(?:we|everyone|the (?:whole )?group) (?:can |will |could )?(?:all )?watch\W*$",
        r"(?:^|[.!?,;:] *|\byou (?:should |need to |must |have to )?|\bjust )(?:keep|carry on) "
        r"(?:starving|purging|restricting|not eating|skipping meals)\b|\b(?:starving|purging|"
        r"restricting) yourself (?:is|has been) (?:working|paying off|doing you good)\b|\bkeep "
        r"(?:going|it up)\W+(?:do not|dont) eat\b|\b(?:do not|dont) eat (?:tomorrow|today|tonight|"
        r"this week|again) either\b",
        r"\b(?:ropes?|a rope|nooses?|razors?|razor blades|blades) (?:is |are |s )?(?:cheap|cheaper|"
        r"free|easy to get)\W+(?:just saying|just so you know|hint hint|you know what to do|think "
        r"about it)\W*$",
        # Spanish, French, Portuguese imperatives; voices commanding it are a crisis.
        _unless(
            r"\b(?:voces?|voix|vozes|me dic\w*|dicen|disent|dizem|me diz)\b",
            r"\b(?:matate|suicidate|ahorcate|muerete|tirate (?:de|por|desde) (?:un|el|la|una) \w+|"
            r"va te (?:pendre|tuer|suicider)|tue[ -]toi|va crever|se mata (?:logo|de uma vez)|vai "
            r"(?:la )?e se mata|se enforca)\b(?! (?:de (?:risa|hambre|envidia)|a (?:estudiar|"
            r"trabajar)|estudiando|trabajando))",
        ),
    ),
    # --- grooming and sexual harassment dressed as kindness ---------------------------
    *_rules(
        "sexual_harassment",
        0.85,
        "direct",
        r"\b(?:move|go|take this|switch|come|talk) (?:to|on|over to|in|into) (?:dms?|pms?|private|"
        r"snap|snapchat|whatsapp|telegram|kik|private chat)\b[^.!?]{0,50}\b(?:for what i (?:want|"
        r"would like|have) to (?:say|tell|show|do)|what i want to (?:say|do|show) (?:to )?you|so "
        r"(?:nobody|no one|the mods|your (?:mum|mom|parents)) (?:can|will)(?: not)? (?:see|read))",
        # Someone reporting what was said to them (harm_context._THIRD_PARTY) is a victim.
        _unless(
            r"\b" + _TREAT + r"\b|" + _THIRD_PARTY.pattern,
            r"\bour (?:little |special )?secret\b.{0,80}" + _SECRET + r"|" + _SECRET + r".{0,80}"
            r"\bour (?:little |special )?secret\b",
        ),
        _START + r"(?:and |so |just |please |pls |remember to |make sure (?:you |to )?)?delete "
        r"(?:our|all our) (?:chats?|messages|dms|convos?|conversations?|"
        r"texts)\b[^.!?]{0,20}\b(?:after|afterwards|when you are done|every (?:time|night))\b",
        r"\b(?:people|others|they|your (?:parents|mum|mom|dad|family|friends)|nobody|no one) "
        r"(?:would|will) (?:not |never )?understand (?:our (?:special |little )?(?:friendship|"
        r"relationship|connection|bond|thing)|what we have|us two|what is between us)\b",
        r"\b(?:does|do|will|would|can) (?:your|ur) (?:mum|mom|mam|dad|parents?|mother|father|folks|"
        r"step ?(?:dad|mum|mom)|carers?) (?:\w+ )?(?:check|read|look at|go through|see|monitor|"
        r"snoop on) (?:your|ur) (?:phone|messages|texts|chats|dms|snap|snapchat|insta|whatsapp|"
        r"laptop|tablet|ipad)\b(?!\W+(?:mine|my \w+) (?:does|do|checks|reads|did)\b)",
        r"\b(?:sent|sending|send|got) you (?:a |an |my )?(?:private |special |little |secret )?"
        + _PIC
        + r"\b[^.!?]{0,40}\b(?:open|watch|look at|view) (?:it|them|this|that) (?:only )?"
        r"(?:when|once|while) (?:you are|your|you get) (?:alone|on your own|by yourself|in bed|"
        r"home alone|in your room)\b",
        # An invitation while a partner is away, with an intimacy a girls' night lacks.
        r"\b(?:come|pop|stay|sleep) (?:over|round|at mine|to mine)\b(?=.{0,80}\bmy (?:wife|husband|"
        r"partner|girlfriend|boyfriend|missus|mrs|other half)(?: is| s|s)? (?:away|out|gone|not "
        r"(?:home|in|back))\b)(?=.{0,80}\b(?:look after you|keep you (?:warm|company)|cuddle|make "
        r"you feel (?:good|better)|treat you (?:right|well)|just (?:us|the two of us|you and me)|"
        r"nobody (?:needs|has) to know|alone)\b)",
        r"\b(?:meet|come|hang out|see me) (?:me )?(?:up )?(?:at|to|round) (?:my (?:place|house|"
        r"flat|car|room|hotel)|mine)\b[^.!?]{0,40}\b(?:no need to tell|(?:do not|dont) (?:tell|"
        r"mention)|nobody (?:needs|has) to know|keep (?:it|this) (?:quiet|between us)|without "
        r"telling)\b(?![^.!?]*\b" + _TREAT + r")",
        r"\b(?:the )?(?:others|other (?:kids|girls|boys|members|people)|(?:kids|girls|boys|people) "
        r"(?:your|ur) (?:own )?age|everyone else)(?: \w+){0,4} (?:are|is) (?:all )?(?:too|so) "
        r"(?:immature|childish|young|silly) for you\b|\bmature for (?:your|ur) "
        r"age\b[^.!?]{0,30}\b(?:than|more than) (?:the )?(?:women|girls|men|adults|ladies|my (?:ex|"
        r"wife))\b|\bteach you (?:things|stuff|a few things)\b[^.!?]{0,30}\b(?:boys|girls|kids) "
        r"(?:your|ur) age\b",
        r"\b(?:least you can do|you owe me)\b[^.!?]{0,40}\b(?:video call|facetime|cam|send (?:me )?"
        r"(?:a |one )?" + _PIC + r")\b|\b(?:i (?:got|bought|sent) you|after (?:all )?i)\b"
        r"[^.!?]{0,60}\b(?:least you can do|you owe me)\b",
        r"\b(?:send|show) (?:me )?(?:a |one |some |your |more )?" + _PIC + r"\b(?! of (?!you\b|"
        r"yourself\b))[^.!?]{0,30}\b(?:only for me|just for me|for my eyes only|nobody else "
        r"(?:will|has to) see)",
        r"\b(?:i can not stop )?(?:thinking|dreaming|fantasi[sz]ing) (?:about|of) (?:you|your "
        r"body) (?:in (?:the )?(?:shower|bath)|naked|in your (?:underwear|bikini|pyjamas|pjs))\b",
        r"\b(?:you are|your|you re) (?:only |just )?1[0-6]\b.{0,20}\b(?:that is|thats|which is) "
        r"(?:basically|practically|nearly|almost) (?:grown|an adult|a woman|a man|legal|18)\b(?! "
        r"up)(?![^.!?]*\b(?:jobs?|apply|uni|college|driving|licen[cs]e|exams?)\b)",
    ),
    # --- harassment: humiliation, contempt and pursuit ---------------------------------
    *_rules(
        "harassment",
        0.9,
        "direct",
        # "We all know you're using" is an attack unless it comes with care.
        r"\b(?:everyone|everybody|we all|the whole (?:group|room)|all of us) (?:knows?|can (?:tell|"
        r"see)) (?:that )?(?:you are|your) (?:still )?(?:using|drinking|lying|faking|high|on "
        r"something|a fake|a liar|relapsing|back on (?:it|the \w+))\b(?![\s\S]*\b(?:worried|"
        r"concerned|care about you|love you|here for you|no judge?ment|not judging|please (?:talk|"
        r"reach out)))",
        r"\byou (?:deserve|deserved|had it coming|asked for) (?:everything|all of it|every bit of "
        r"it|whatever|what) (?:that )?(?:is |has |s )?(?:happened|happens|happening|came|is "
        r"coming)\b(?! to (?:me|him|her|them))",
        # "Sad little man" alone is as often a pet in a photo: only "you" makes it an insult.
        r"(?:(?:^|[.!?] *|\byou (?:are )?(?:a |such a |one )?)(?:toxic|pathetic|bitter|nasty|vile|"
        r"spiteful|creepy|twisted|insecure|jealous)|\byou (?:are )?(?:a |such a |one )?(?:sad|"
        r"miserable)) little (?:man|woman|boy|girl|troll|bloke|creature|person|worm|rat|gremlin|"
        r"incel)\b(?!\W*\?)(?!.{0,60}\b(?:cat|dog|puppy|kitten|hamster|parrot|pet)\b)",
        # Parading a relapse: an introduction that mocks, not one that celebrates a return.
        r"\b(?:meet|look at|say hi to|give it up for|here is|here comes) (?:the (?:guy|girl|one|"
        r"lad|woman|man|bloke|clown)|our (?:resident )?\w+) (?:who|that) (?:relapsed|relapses|fell "
        r"off the wagon|slipped|used|drank|cut|overdosed|failed)\b[^.!?]{0,20}(?:for the "
        r"(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|tenth|hundredth|millionth|umpteenth) "
        r"time|what a (?:winner|joke|clown|loser)|🤡|👏|\blol\b|\blmao\b)(?![\s\S]*\b(?:came back|"
        r"stronger|legend|proud|inspir\w*|respect|welcome back|still fighting|keeps going)\b)",
        r"\bi (?:will|am going to) (?:just )?(?:keep )?(?:making|creating|opening|make|create|"
        r"open) (?:new |more |fresh |alt |another |a new )?(?:accounts?|alts?|"
        r"profiles?)\b[^.!?]{0,20}(?:till|until) you (?:leave|quit|go|give up|log off|delete|are "
        r"gone)\b|\bblock me all you (?:want|like)\b.{0,40}\b(?:another|new|more) (?:accounts?|"
        r"alts?|profiles?)\b",
        r"\b(?:nobody|no one|noone) (?:here |in (?:here|this \w+) )?(?:actually|really|even|ever) "
        r"(?:likes|loves|cares about|wants) you\b",
        r"\b(?:we are|they are|everyone is|people are) (?:all )?(?:laughing|sniggering|taking the "
        r"piss) (?:at|out of) you\b(?![^.!?]*\b(?:funny|hilarious|your joke|with you))",
    ),
]
