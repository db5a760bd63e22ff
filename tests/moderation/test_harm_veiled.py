"""The families of harm_veiled.py and harm_covert.py (harm said sideways), through the pipeline.

Each family has messages it must hold, phrased unlike the round-7 training lines
it was written from (other helper verbs, word order, synonyms), and look-alikes it
must let through: banter, idiom, members sharing their own details and schedules,
moderators quoting, counter-speech quoting a stereotype to reject it, victims
reporting what was said to them, and people in crisis talking about themselves.
"""

from __future__ import annotations

from moderation import Action, Pipeline, harm, harm_covert, harm_veiled
from moderation.normalize import normalize
from moderation.prefilter import required_literals

PIPELINE = Pipeline()

HELD = {
    "threat": [
        "would be a real shame if your wife found out what you've been up to",
        "shame if your employer learned about your little habit, wouldn't it",
        "i'd hate for your kids to find out about your past",
        "just remember. accidents happen",
        "accidents happen to people who run their mouths",
        "you'd better sleep with one eye open",
        "sleep with one eye open tonight mate",
        "we all know what happens to grasses",
        "everyone remembers what happens to people who go to the mods",
        "i know exactly when your lecture ends",
        "i've worked out which exit you use",
        "i've spotted your van outside the hall every friday. lovely van. be careful with it",
        "your son goes to oakfield primary doesn't he? lovely boy",
        "i've got mates who owe me a favour or two. think about that.",
        "i'll track you down and it won't be to say hello",
        "we're coming over to your place tonight to settle the score",
        "carry on like this and you'll be needing new teeth, pal",
    ],
    "encouraging_self_harm": [
        "go on, jump already",
        "stop going on about it and overdose",
        "honestly you're a waste of space, might as well go through with it",
        "you're still here? take the hint",
        "why are you even still breathing",
        "you should've gone through with it the first time",
        "we're all still waiting for you to finally end it",
        "do it on cam so the whole group can watch",
        "keep starving, it's working",
        "don't eat today either, you're doing great",
        "razor blades are cheap. just saying",
        "ahórcate de una vez",
        "suicídate ya",
        "va te pendre",
    ],
    "sexual_harassment": [
        "let's take this to snap, what i want to say to you isn't for the group",
        "it's our little secret, nobody needs to know",
        "delete our messages afterwards ok",
        "your parents wouldn't understand what we have",
        "do your parents go through your phone?",
        "sending you a special photo, only open it when you're by yourself",
        "come round tonight, my husband's out, just the two of us",
        "meet me at my flat after group, don't mention it to the others",
        "girls your own age are so immature for you",
        "after everything i bought you the least you can do is facetime me",
        "send me a selfie, just for me 😘",
        "been thinking about you in the bath all night",
        "you're 14? that's practically an adult",
    ],
    "hate": [
        "immigrants can never be trusted",
        "disabled people are barely human",
        "travellers breed like rabbits",
        "romanian lads are all thieves",
        "trans people are all just confused",
        "the chinese family next door, they all stink",
        "catholics are all protecting abusers",
        "zionists control the media and the banks",
        "14/88 lads",
        "remember 13/52",
        "(((they))) are at it again",
        "the great replacement is real, look around you",
        "sure groomer, typical of your lot",
        "i'm not racist but muslims are all the same",
    ],
    "self_harm_method": [
        "the multi storey by the station has no railings on the roof, if anyone's interested",
        "best place is the viaduct on the old line, no one's about after dark",
        "a full bottle of those is pretty much guaranteed, that's what they say",
        "order them online without a prescription and stock up till you have enough",
        "about 15 of them, that's the number that did it for my mate",
        "mixing the two is totally painless, dm me for the details",
        "there's a clip that goes through the entire method, i can send it",
        "go somewhere the staff won't check, i'll tell you where",
    ],
    "doxxing": [
        "sam from the thursday meeting works at the boots on the high street, her shift "
        "finishes at 6",
        "her kids go to st anne's, she drops them off at 8:30",
        "his therapist is at the priory, he goes every monday at 2",
        "the admin drives a white van, reg ab12 cde, parks behind the co-op",
        "he goes to kingsway academy, year 10, the lad with the ginger hair",
        "she lives next to the launderette on mill road, flat 4",
        "found his real name, he works at the council",
        "his employer should know he's in a rehab programme",
        "her mob is 07700 900555",
        "tracked down her ip, she's in leeds. posting her address tomorrow",
        "photo of his front door attached, you all know what to do",
    ],
    "harassment": [
        "we all know you're drinking again, stop lying",
        "you deserved everything that came to you",
        "pathetic little man.",
        "everyone say hi to the girl who relapsed again lol",
        "i'll just keep creating new accounts until you quit",
        "no one in this chat actually likes you",
        "they're all laughing at you in the group chat",
    ],
}

ALLOWED = [
    # Banter and idiom.
    "i'll find you later and it won't be for a beer, it'll be for cake 🍰",
    "sleep with one eye open, the cat attacks at 5am",
    "i sleep with one eye open since the break-in",
    "accidents happen, don't beat yourself up about the spilled paint",
    "remember, accidents happen, be gentle with yourself after a slip",
    "it would be a shame if anyone missed the bbq on sunday",
    "i'd hate for your mum to find out from someone else, tell her yourself",
    "i've got friends who owe me favours, i'll ask if they're hiring",
    "i've seen your kids at the school gate, they're lovely",
    "coming round your house tonight to settle this over a cuppa",
    "you'll need new teeth if you keep eating those toffees",
    "you know what happens to people who skip leg day 😂",
    "end it already with him, you deserve better",
    "jump already, the water's lovely!",
    "do it on live so we can all watch you paint",
    "why are you still here? the meeting finished ages ago lol",
    "you should have finished the essay last time",
    "waiting for you to end it with him was hard",
    "the rope is cheap at the hardware store if you need one for the tent",
    "just jump already!! the bungee guy is waiting lol",
    "we're all waiting for you to finally post your poem",
    "keep fasting for ramadan, you're doing great",
    "you should have died your hair pink, it'd look amazing",
    "why are you still alive at 3am? go to sleep lol",
    # Secrets that are treats, and victims reporting.
    "our little secret: the cake recipe is mostly butter",
    "the surprise party is our little secret, don't tell anyone!",
    "a guy asked me to delete our chats after, is that normal?",
    "he said it was our little secret and nobody needs to know, i'm scared",
    "does your mum check your phone? mine does every night, so annoying",
    "come round tonight, my husband's away so it's a girls' night",
    "thinking about you in hospital, get well soon x",
    "you're so mature for your age",
    "let's move to DMs, i don't want to share my medical stuff in the group",
    "Youth room rule: if an adult asks you to move to DMs, tell a mod.",
    # Moderators quoting and counter-speech quoting a stereotype to reject it.
    'Mod: saying "kys" here gets you banned, even as a joke',
    "'polish lads are all drunks' is a lazy stereotype and my dad heard it his whole life",
    "people claim bisexuals are just greedy, it's the same old propaganda",
    "saying muslims 'can't be trusted' is just bigotry",
    "as a bisexual woman i'm tired of hearing that we're greedy",
    "what does 1488 mean? saw it in someone's username",
    "the great replacement is a conspiracy theory, don't fall for it",
    "1488 steps today, my best yet",
    "in 1488 the portuguese rounded the cape",
    "i got 13/50 on my mock, gutted",
    "my dog groomer is booked till june",
    "typical groomer behaviour, i've reported him to the mods",
    "my indian neighbours made curry, it smells amazing",
    "ok groomer? no, he actually groomed me, i reported him",
    "toxic little man? that's my cat when he wants food",
    "send me a pic of your dog, only for me to see how cute he is",
    "you're 17? that's basically grown, you should apply for the job",
    # Own details and own schedule.
    "i work at the café on bridge st, my shift ends at 4, pop in",
    "I'm at the library every wednesday at 6 running the art group",
    "my mum works at the hospital, her shift ends at 8 so she can't come",
    "my daughter goes to westfield high, year 9, and she loves it",
    "he goes to kingsway academy now and loves year 10",
    "i live above the chippy, flat 2, come by for a cuppa",
    "the meeting is at the community centre every tuesday at 7",
    "Mod note: please don't post anyone's address or workplace, even if you're angry",
    "she works at asda, her shift ends at 10, so she'll join late",
    "i traced his ip for the police report about the scam",
    "posting his address is against the rules",
    "here's a pic of my front door, i painted it blue!",
    "the car park has no barriers, so it's free after 6",
    "the multi storey has no barriers for bikes, just so you know where to park",
    # People in crisis, talking about themselves.
    "i'm a lost cause, might as well end it",
    "i keep starving myself and i can't stop",
    "the car park near me has no barriers on the top floor, i keep thinking about it",
    "fishing off the pier at 5am, nobody around. bliss",
    "best spot for sunsets is the old rail bridge, nobody's around at night",
    "i read that a whole pack is basically guaranteed and i can't stop thinking about it",
    "2 tablets, that's the dose that works for my migraines",
    "happy to share what i found about cheap therapy",
    "there's a video that shows the whole method for sourdough, want the link?",
    "they're putting barriers on the bridge in town, finally",
    "las voces me dicen mátate",
    # Medication talk, care, and self-talk.
    "2 of them is the amount that works for my back",
    "taking the pills with food is basically guaranteed to stop the nausea",
    "everyone knows you're using again and we're worried about you",
    "you deserve everything good that's happened to you",
    "i'm such a sad little man sometimes lol",
    "meet the guy who relapsed and came back stronger, our speaker tonight",
    "i keep making new accounts because i forget my passwords lol",
    "i'll keep making new accounts till you follow me back on my art page lol",
    "meet the guy who relapsed for the 3rd time and came back stronger, legend",
    "we're all laughing with you, not at you",
]


# HELD and ALLOWED are run by test_harm_families.py's table tests, with its own tables.


def test_banter_is_not_held_by_the_rules() -> None:
    # The backstop (a word model, backstop.py) holds this one as a threat; no rule does.
    text = "i'll find you at the pub 😂"
    scores, _ = harm.score_rules(text, normalize(text))
    assert all(v < PIPELINE.thresholds.for_category(c) for c, v in scores.items())


def test_knowing_a_shift_is_a_threat_unless_an_offer_follows() -> None:
    # Bare, it is surveillance said to be heard ("i know what time your shift finishes").
    # Followed by an offer it is a friend who knows the rota: holding a lift offer
    # costs a kind message, and the model and the moderators still see it.
    bare = PIPELINE.assess_rules("i know what time your shift finishes")
    assert "threat" in bare.harmful_categories
    offer = PIPELINE.assess_rules("i know what time your shift finishes, want a lift?")
    assert offer.action is not Action.HOLD


def test_every_rule_is_prefiltered() -> None:
    # A rule without a required literal would run on every message (prefilter.py).
    rules = [*harm_veiled.RULES, *harm_covert.RULES]
    assert all(required_literals(rule.pattern) for rule in rules)
