"""Hand-written frames for the test split: one entry per style (the record's `source`).

Each style has titles, first paragraphs (the day) and second paragraphs (a nod to the year).
Frames read facts from `Ctx` (see gen_core); a frame that needs a fact the day lacks raises
`Missing` and another frame is tried.
"""

# ruff: noqa: E501
from __future__ import annotations

import random


def q(c, s: str) -> str:
    """A quoted title, in the listener's quote style."""
    return f"\u201c{s}\u201d" if c.uk else f'"{s}"'


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def alt(c, key: str, *options) -> str:
    """One of several wordings of a sentence (lambdas), fixed per story like CAT."""
    return random.Random(f"{c._f.get('cat_seed', 0)}-{key}").choice(options)()


def low(c, s: str) -> str:
    """Lower-case a CAT sentence's first letter to run it on, unless it starts with a name."""
    for v in c._f.values():
        if isinstance(v, str) and v and s.startswith(v):
            return s
    return s[:1].lower() + s[1:]


def CAT(c, i: int) -> str:
    """One or two sentences on why the day is interesting, composed from interchangeable
    parts (a head, a tail, sometimes an extra) so that no wording repeats often. The choice
    is fixed per story (`cat_seed`), so a re-render for a planted defect words it the same."""
    rng = random.Random(f"{c._f.get('cat_seed', 0)}-{i}")
    k = c.cat
    if k == "biggest_music_day":
        heads = [
            lambda: "It was the biggest music day of your year",
            lambda: "No other day this year had more music in it",
            lambda: f"Nothing else in {c.year} came close for music",
            lambda: "This was your record for music in one day",
            lambda: "Your music total peaked right here",
            lambda: "For sheer amount of music, this day wins the year",
            lambda: f"The music alone came to {c.ex('mus_min')} minutes, a record for you",
            lambda: f"{c.ex('mus_min')} minutes of it was music, more than on any other day",
            lambda: "It holds the title of your biggest music day",
            lambda: "The year's high-water mark for music sits right here",
            lambda: f"No day of {c.year} packed in more music",
            lambda: "Of all your days, this one had the most music",
        ]
        tails = [lambda: ".", lambda: ", full stop.", lambda: ", and it is easy to see why.",
                 lambda: ". Every other day falls short of it.", lambda: " — the peak of the year.",
                 lambda: ", and it shows.", lambda: ".", lambda: ", no contest.",
                 lambda: ". Not a close call.", lambda: ", by your own standards."]
        extras = [lambda: ""]
    elif k == "biggest_podcast_day":
        heads = [
            lambda: f"Podcasts took {c.ex('pod_min')} minutes of it",
            lambda: f"{c.ex('pod_min')} minutes went to podcasts",
            lambda: f"The talk side of the day came to {c.ex('pod_min')} minutes",
            lambda: f"Your podcast queue ran to {c.ab('pod_min')} minutes",
            lambda: f"You gave {c.ex('pod_min')} minutes to spoken word",
            lambda: "The voices won the day",
            lambda: f"Podcasts filled {c.hours('pod_min')}",
        ]
        tails = [lambda: ", more podcast time than on any other day of the year.",
                 lambda: "; no day of the year had more podcast listening.",
                 lambda: ", making it your biggest podcast day.",
                 lambda: " — a record for talk in your year.",
                 lambda: ", the most talk you listened to in a single day all year."]
        extras = [lambda: f" {c.show} did the most talking.", lambda: f" Top of the queue: {c.show}.",
                  lambda: f" {c.show} alone accounted for {c.ex('show_min')} minutes.",
                  lambda: f" The show you leaned on was {c.show}.",
                  lambda: f" Chief voice in your ears: {c.show}.",
                  lambda: f" Most of the chatter came courtesy of {c.show}." if 2 * c._f["show_min"] > c._f["pod_min"] else "",
                  lambda: f" {c.show} got {c.ex('show_min')} of those minutes.",
                  lambda: f" You spent the longest with {c.show}.",
                  lambda: f" Pride of place went to {c.show}.",
                  lambda: "", lambda: "", lambda: ""]
    elif k == "biggest_discovery_day":
        heads = [
            lambda: f"{c.ex('new_n')} artists were brand new to you that day",
            lambda: f"You met {c.ex('new_n')} new artists in one go",
            lambda: f"{cap(c.wo('new_n'))} first-time artists turned up",
            lambda: f"Your discovery count hit {c.ex('new_n')} new artists",
            lambda: f"It brought {c.wo('new_n')} artists you had never played before",
            lambda: f"{c.ex('new_n')} newcomers joined your rotation",
            lambda: f"You played {c.ex('new_n')} artists for the very first time",
        ]
        tails = [lambda: ", more than on any other day of the year.",
                 lambda: ", your biggest day for discovery all year.",
                 lambda: "; no other day brought you as many newcomers.",
                 lambda: " — a record for the year.",
                 lambda: ", the most new names of any day."]
        extras = [lambda: f" The newcomer you played longest: {c.top_new}.",
                  lambda: f" {c.top_new} made the strongest first impression.",
                  lambda: f" Leading the new arrivals: {c.top_new}.",
                  lambda: f" Of the new faces, {c.top_new} got the most time.",
                  lambda: f" Pick of the new bunch, by minutes: {c.top_new}.",
                  lambda: f" {c.top_new} was the find of the day.",
                  lambda: f" First among the first-timers: {c.top_new}.",
                  lambda: f" The discovery you stayed with longest was {c.top_new}.",
                  lambda: f" Newcomer with the most minutes: {c.top_new}.",
                  lambda: f" {c.top_new} was the new name that stuck around longest.",
                  lambda: "", lambda: "", lambda: "", lambda: ""]
    elif k == "biggest_top_artist_day":
        heads = [
            lambda: f"It was your biggest day of the year with {c.yta}",
            lambda: f"{c.yta} never got more of a single day than this",
            lambda: f"No day gave {c.yta} more airtime",
            lambda: f"This was {c.yta}{'’' if c.yta.endswith('s') else '’s'} biggest day with you",
            lambda: f"Your time with {c.yta} peaked here",
            lambda: f"No other day had as much {c.yta} in it",
        ]
        mids = [", your top artist of the year", ", the artist you spent the most time with all year",
                ", your number one artist", ""]
        m = rng.choice(mids)
        tails = [lambda: f"{m}: {c.ex('yta_day_min')} minutes.",
                 lambda: f"{m}, {c.ex('yta_day_min')} minutes in all.",
                 lambda: f"{m}, with {c.ex('yta_day_plays')} plays.", lambda: f"{m}."]
        extras = [lambda: ""]
    elif k == "biggest_top_genre_day":
        g = c.ygenre
        heads = [
            lambda: f"It was your biggest {g} day",
            lambda: f"{g} never had a bigger day with you",
            lambda: f"Your {g} listening peaked here",
            lambda: f"No other day had as much {g}",
            lambda: f"This was the high point of your {g} year",
            lambda: f"The most {g} of any day landed here",
        ]
        tails = [lambda: f", {c.ex('genre_day_min')} minutes of it.", lambda: ".",
                 lambda: f": {c.ex('genre_day_min')} minutes.",
                 lambda: f", with {c.ex('genre_day_min')} minutes in the tank."]
        extras = [lambda: f" {g} was your top genre of the year.",
                  lambda: f" Fitting, since {g} was your favourite genre.",
                  lambda: f" No genre got more of your year than {g}.",
                  lambda: f" ({g} was your most-listened genre overall.)",
                  lambda: " It is, after all, the genre you gave the most time to this year.",
                  lambda: f" Across the year, {g} sat at the top of your genres.",
                  lambda: f" {g} led your genres all year, so this makes sense.",
                  lambda: f" And {g} is the genre that ruled your year.",
                  lambda: " Your year's number one genre, naturally.",
                  lambda: "", lambda: "", lambda: "", lambda: ""]
    else:
        raise KeyError(k)
    h = rng.choice(heads)
    t = rng.choice(tails)
    e = rng.choice(extras)
    return cap(h() + t() + e())


def H_g1(c):
    return alt(c, "g1", lambda: "Some days everything grows at once.", lambda: "Spring came early, if only for a day.", lambda: "Every gardener has one day when the whole plot wakes up.", lambda: "There is a day each year when the soil just gives.")


def H_g2(c):
    return alt(c, "g2", lambda: f"{c.top_a} was the plant that spread the furthest.", lambda: f"The vine that climbed highest was {c.top_a}.", lambda: f"{c.top_a} took over the biggest bed.", lambda: f"Nothing grew faster than {c.top_a}.")


def H_d1(c):
    return alt(c, "d1", lambda: f"Pressed play at {c.first}, didn't really stop until {c.last}. {c.ex('mins')} minutes, start to finish.", lambda: f"Music on at {c.first}, off at {c.last}, {c.ex('mins')} minutes in between.", lambda: f"First play {c.first}; last one {c.last}. Somehow {c.ex('mins')} minutes went by.", lambda: f"Woke the speakers at {c.first} and let them rest at {c.last}: {c.ex('mins')} minutes of it.")


def H_s1(c):
    return alt(c, "s1", lambda: f"You played {c.ex('plays')} tracks and episodes.", lambda: f"There were {c.ex('plays')} plays.", lambda: f"You pressed play {c.ex('plays')} times.", lambda: f"The play count was {c.ex('plays')}.")


def H_s2(c):
    return alt(c, "s2", lambda: f"Your top artist of the day was {c.top_a}. You listened to {c.ex('n_art')} artists in total.", lambda: f"You heard {c.ex('n_art')} artists. The one with the most minutes was {c.top_a}.", lambda: f"{c.top_a} had the most minutes. {c.ex('n_art')} artists played in all.", lambda: f"Artists heard: {c.ex('n_art')}. Most time: {c.top_a}.")


def H_t1(c):
    return alt(c, "t1", lambda: f"Along the way you passed through {c.ex('n_art')} artists, lingering longest with {c.top_a}.", lambda: f"The route took in {c.ex('n_art')} artists, with the longest stop at {c.top_a}.", lambda: f"You crossed the territory of {c.ex('n_art')} artists and lingered longest with {c.top_a}.")


def H_t2(c):
    return alt(c, "t2", lambda: f"Distance covered: {c.ex('mins')} minutes.", lambda: f"Total time on the road: {c.ex('mins')} minutes.", lambda: f"Odometer at the end: {c.ex('mins')} minutes.")


def H_sp1(c):
    return alt(c, "sp1", lambda: "And they're off!", lambda: "Here we go!", lambda: "What a start!")


def H_sp2(c):
    return alt(c, "sp2", lambda: f"{c.top_a} took an early lead and held it with {c.ex('top_a_min')} minutes on the board.", lambda: f"{c.top_a} controlled the game, {c.ex('top_a_min')} minutes on the scoreboard.", lambda: f"Top scorer? {c.top_a}, with {c.ex('top_a_min')} minutes.")


def H_m1(c):
    return alt(c, "m1", lambda: f"Mixed media: {c.ex('plays')} plays, {c.ex('mins')} minutes.", lambda: f"Medium: sound, {c.ex('mins')} minutes across {c.ex('plays')} plays.", lambda: f"Materials: {c.ex('plays')} plays; duration {c.ex('mins')} minutes.")


def H_m2(c):
    return alt(c, "m2", lambda: f"Note the recurring motif of {c.top_a} throughout.", lambda: f"Observe how {c.top_a} returns across the work.", lambda: f"{c.top_a} is the dominant figure in the composition.")


def H_q1(c):
    return alt(c, "q1", lambda: f"Who did you spend the most time with? {c.Y_top}. How many days did you press play? {c.ex('Y_days')}. Not a bad run.", lambda: f"Your number one by time? {c.Y_top}. Days with music? {c.ex('Y_days')}. Any regrets? None.", lambda: f"Whose name tops the year? {c.Y_top}. And how often did you listen? On {c.ex('Y_days')} days.")


def H_z1(c):
    return alt(c, "z1", lambda: f"For ten points: name the day you listened from {c.first} to {c.last} and racked up {c.ex('mins')} minutes over {c.ex('plays')} plays. Answer: {c.date_('long')}.", lambda: f"Starter for ten: which day ran from {c.first} to {c.last} with {c.ex('plays')} plays? It was {c.date_('long')}.", lambda: f"Our first contestant asks: when did you rack up {c.ex('mins')} minutes in a single day? On {c.date_('long')}.")


def H_d2(c):
    return alt(c, "d2", lambda: f"Mostly {c.top_a}, if I'm honest, {c.ex('top_a_plays')} plays of them.", lambda: f"A lot of {c.top_a}: {c.ex('top_a_plays')} plays.", lambda: f"{c.top_a} again and again, {c.ex('top_a_plays')} plays.")


S: list[dict] = []


def style(name, titles, p1, p2):
    S.append({"name": name, "titles": titles, "p1": p1, "p2": p2})


style(
    "gpt_upbeat",
    [lambda c: f"{c.wd} Was a Whole Mood", lambda c: "Your Day, Turned Up Loud", lambda c: f"The Day {c.top_a} Ran the Show"],
    [
        lambda c: f"What a day {c.date_('long')} turned out to be! You pressed play at {c.first} and kept going until {c.last}, racking up {c.ex('mins')} minutes across {c.ex('plays')} plays. {CAT(c, 0)} {c.top_a} led the charge with {c.ex('top_a_min')} minutes, and {c.ex('n_art')} different artists got a moment in the spotlight.",
        lambda c: f"Talk about commitment! On {c.date_('long')} you spent {c.ab('mins')} minutes with your headphones, and {low(c, CAT(c, 1))} {c.top_a_p} was the name you kept coming back to, with {c.wo('top_a_plays')} plays before the day was done.",
    ],
    [
        lambda c: f"Zoom out and the whole year looks just as lively: {c.hours('Y_total')} of listening over {c.ex('Y_days')} days, with {c.Y_top} at the very top of your artist list. Here's to the next chapter!",
        lambda c: f"And this was no fluke. You showed up on {c.ex('Y_days')} days this year, and {c.Y_genre} was the sound you spent the most time with. Keep that energy going!",
    ],
)
style(
    "claude_measured",
    [lambda c: f"A Closer Look at {c.date_('short')}", lambda c: "Where the Day Went", lambda c: f"Notes on a {c.wd}"],
    [
        lambda c: f"{c.date_('long')} stands out in your year for a simple reason. {CAT(c, 2)} Your first track began the day at {c.first_t}, and by the last one at {c.last} you had listened for {c.ex('mins')} minutes. {c.top_a} accounted for the largest share, {c.ex('top_a_min')} minutes of it.",
        lambda c: f"It is worth pausing on {c.date_('long')}. {CAT(c, 3)} Over {c.ex('plays')} plays you moved between {c.ex('n_art')} artists, though {c.top_a} got the most time.",
    ],
    [
        lambda c: f"Seen against the whole year, the day fits a pattern. You listened most {c.Y_part_phrase}, and your busiest day of the week was {c.Y_busy}. {c.Y_top} remained the artist you gave the most time to, {c.hours('Y_top_min')} in all.",
        lambda c: f"Across the year you heard {c.ex('Y_n_art')} different artists, yet the centre of gravity stayed with {c.Y_top}. It is a year with a clear favourite and plenty of curiosity around it.",
    ],
)
style(
    "llama_listicle",
    [lambda c: f"{c.date_('short')}, By the Numbers", lambda c: "Three Things About Your Day", lambda c: "The Day in a List"],
    [
        lambda c: f"Three things to know about {c.date_('long')}. One: {low(c, CAT(c, 0))} Two: {c.top_a} was the artist of the day, with {c.ex('top_a_plays')} plays. Three: it all kicked off at {c.first_t} with {q(c, c.first_title)} by {c.first_by}.",
        lambda c: f"Your {c.wd}, listed. First play: {c.first}. Last play: {c.last}. Total: {c.ex('mins')} minutes. Artists heard: {c.ex('n_art')}. Headliner: {c.top_a}. {CAT(c, 3)}",
    ],
    [
        lambda c: f"And the year, in brief: {c.ex('Y_days')} listening days, {c.ex('Y_n_art')} artists, and one clear leader in {c.Y_top}. Your top genre? {c.Y_genre}.",
        lambda c: f"Bonus facts for the year: your busiest weekday was {c.Y_busy}, your top decade was the {c.Y_decade}, and your listening personality came out as {c.Y_pers}.",
    ],
)
style(
    "small_model_terse",
    [lambda c: f"Your Day: {c.date_('short')}", lambda c: "A Big Listening Day", lambda c: f"{c.wd} Listening"],
    [
        lambda c: f"On {c.date_('long')}, you listened for {c.ex('mins')} minutes. {H_s1(c)} {CAT(c, 1)} {H_s2(c)}",
        lambda c: f"This is your day: {c.date_('long')}. You started at {c.first}. You stopped at {c.last}. {CAT(c, 2)} The artist you played most was {c.top_a_p}, with {c.ex('top_a_plays')} plays.",
    ],
    [
        lambda c: f"This year, you listened on {c.ex('Y_days')} days. Your top artist was {c.Y_top}. Your top genre was {c.Y_genre}. Your listening personality is {c.Y_pers}.",
        lambda c: f"In {c.year}, you heard {c.ex('Y_n_art')} artists. You listened most on {c.Y_busy}s. You spent {c.ex('Y_top_min')} minutes with {c.Y_top}, more than with any other artist.",
    ],
)
style(
    "copywriter_punchy",
    [lambda c: f"{c.top_a}. On Loop. All Day", lambda c: "Volume Up, Excuses Down", lambda c: f"The {c.wd} That Wouldn't Quit"],
    [
        lambda c: f"{c.date_('long')}. {c.ex('mins')} minutes. {c.ex('n_art')} artists. One headliner: {c.top_a}. {CAT(c, 0)} First track at {c.first}, last one at {c.last}, and barely a breath in between.",
        lambda c: f"Some days you listen. Some days you commit. {c.date_('long')} was the second kind: {c.ab('mins')} minutes, start to finish. {CAT(c, 2)} Leading the pack? {c.top_a}.",
    ],
    [
        lambda c: f"The year? Same energy. {c.ex('Y_days')} days of listening. {c.Y_top} on top. {c.Y_genre} in your bones. Onwards.",
        lambda c: f"Bigger picture: {c.hours('Y_music')} of music this year, and {c.Y_top} got the biggest slice. Not bad. Not bad at all.",
    ],
)
style(
    "poetic",
    [lambda c: f"A {c.wd} Made of Sound", lambda c: "The Long Light of Listening", lambda c: f"When {c.top_a} Filled the Room"],
    [
        lambda c: f"The first note arrived at {c.first_t}, and the day unfolded like a tide coming in. By {c.last}, {c.date_('long')} had carried {c.ex('mins')} minutes of sound, {c.ex('n_art')} voices drifting in and out. {CAT(c, 3)} Through all of it, {c.top_a} was the steady current.",
        lambda c: f"Some days hum. {c.date_('long')} sang. From {c.first} until {c.last}, {c.top_a} kept returning like a familiar street at dusk, {c.ex('top_a_min')} minutes in all. {CAT(c, 1)}",
    ],
    [
        lambda c: f"And the year, seen from a distance, has its own shape: {c.ex('Y_days')} days of listening, {c.Y_top} at its heart, and the {c.Y_decade} echoing underneath it all.",
        lambda c: f"The year kept its own quiet rhythm. {c.Y_busy}s were fullest, the hours {c.Y_part_phrase} were yours, and {c.Y_genre} was the colour the months kept returning to.",
    ],
)
style(
    "question_led",
    [lambda c: f"Remember {c.date_('short')}?", lambda c: "Guess Which Day Won", lambda c: f"Who Owned Your {c.wd}?"],
    [
        lambda c: f"Remember {c.date_('long')}? You might not, but your headphones do. {CAT(c, 0)} How much listening are we talking? {cap(c.ab('mins'))} minutes. And who got the most of it? {c.top_a}, with {c.ex('top_a_min')} minutes.",
        lambda c: f"What does a big day look like for you? Something like {c.date_('long')}. {c.ex('plays')} plays, {c.ex('n_art')} artists, and a start at {c.first}. Want to know who led the way? {c.top_a}, {c.wo('top_a_plays')} times.",
    ],
    [
        lambda c: f"And the year? {H_q1(c)}",
        lambda c: f"Which genre kept you company all year? {c.Y_genre}. Which weekday was loudest? {c.Y_busy}. Some answers just make sense.",
    ],
)
style(
    "sports_commentary",
    [lambda c: f"{c.top_a} Takes the Lead", lambda c: "Full Time: A Record Day", lambda c: f"Match Report: {c.date_('short')}"],
    [
        lambda c: f"{H_sp1(c)} Kick-off at {c.first} on {c.date_('long')}, and the pace never dropped. {H_sp2(c)} {CAT(c, 0)} Final whistle at {c.last}, {c.ex('mins')} minutes played.",
        lambda c: f"What a performance on {c.date_('long')}! {c.ex('n_art')} artists took the field, but {c.top_a} was man of the match with {c.ex('top_a_plays')} plays. {CAT(c, 2)}",
    ],
    [
        lambda c: f"Over the full season, the table is clear: {c.Y_top} finished top of your artists, with {c.Y_2} as the runner-up. {c.ex('Y_days')} appearances on the calendar. Quite the campaign.",
        lambda c: f"Season stats: {c.ex('Y_days')} listening days, {c.ex('Y_n_art')} artists used, and {c.Y_top} as the undisputed captain of the squad.",
    ],
)
style(
    "weather_report",
    [lambda c: f"Forecast: Heavy {c.top_a}", lambda c: "Sound Front Moving In", lambda c: "Clear Skies, Loud Speakers"],
    [
        lambda c: f"Today's listening forecast for {c.date_('long')}: steady music from {c.first}, clearing around {c.last}. Total accumulation reached {c.ex('mins')} minutes. {CAT(c, 1)} A strong {c.top_a} system dominated, delivering {c.ex('top_a_min')} minutes.",
        lambda c: f"Conditions on {c.date_('long')} were ideal for listening: {c.ex('plays')} plays fell across the day, with scattered appearances from {c.ex('n_art')} artists. {CAT(c, 3)} Expect {c.top_a} to be remembered as the prevailing wind.",
    ],
    [
        lambda c: f"The long-range outlook for the year shows the same pattern: {c.hours('Y_total')} of listening, with the heaviest spells {c.Y_part_phrase} and {c.Y_top} the dominant system overall.",
        lambda c: f"Seasonal summary: {c.ex('Y_days')} listening days, a persistent {c.Y_genre} climate, and {c.Y_busy}s reliably the stormiest day of the week.",
    ],
)
style(
    "diary_voice",
    [lambda c: f"Dear Diary, It Was {c.wd}", lambda c: "An Entry Worth Keeping", lambda c: f"From the Notebook: {c.date_('short')}"],
    [
        lambda c: f"Dear diary: {c.date_('long')}. {H_d1(c)} {CAT(c, 2)} {H_d2(c)}",
        lambda c: f"Entry for {c.date_('long')}. {CAT(c, 1)} Heard {c.ex('n_art')} artists today, but {c.top_a} kept pulling me back. First song: {q(c, c.first_title)} by {c.first_by}.",
    ],
    [
        lambda c: f"Looking back over the year's pages: {c.ex('Y_days')} days with music in them, {c.Y_top} ahead of everyone, and an awful lot of {c.Y_genre}.",
        lambda c: f"Note to self for the year: {c.Y_busy} is clearly my loudest day, and {c.Y_top} clearly my person. {c.hours('Y_top_min')} of them, apparently.",
    ],
)
style(
    "british_wry",
    [lambda c: "Rather a Lot of Listening", lambda c: f"{c.wd}, Thoroughly Soundtracked", lambda c: "Not Bad for a Weekday"],
    [
        lambda c: f"{c.date_('long')} was, by any reasonable measure, rather a lot. {CAT(c, 0)} You started at {c.first}, carried on until {c.last}, and got through {c.ex('mins')} minutes in between. {c.top_a} did most of the heavy lifting, which seems fair.",
        lambda c: f"One doesn't like to make a fuss, but {c.date_('long')} deserves a mention. {CAT(c, 3)} {c.ex('n_art')} artists had a go, and {c.top_a} came away with {c.ex('top_a_min')} minutes of it. Jolly good.",
    ],
    [
        lambda c: f"As for the year, it's been steady rather than showy: {c.ex('Y_days')} days of listening, {c.Y_top} firmly at the top, and a soft spot for the {c.Y_decade} you needn't apologise for.",
        lambda c: f"The year in summary: {c.Y_genre} as your favourite genre, {c.Y_busy} as your favourite day to listen, and {c.Y_top} as the artist you gave the most hours to. Carry on.",
    ],
)
style(
    "american_hype",
    [lambda c: "Okay, This Day Went Hard", lambda c: f"{c.top_a} Season Was Real", lambda c: "You Really Said Play It All"],
    [
        lambda c: f"Okay, {c.date_('long')} absolutely went off. {c.ex('mins')} minutes of listening, {c.ex('plays')} plays, {c.ex('n_art')} artists. {CAT(c, 0)} And {c.top_a}? Total MVP with {c.ex('top_a_min')} minutes.",
        lambda c: f"Let's talk about {c.date_('long')}, because wow. You hit play at {c.first} and just kept it rolling until {c.last}. {CAT(c, 2)} {c.top_a} was all over it, {c.wo('top_a_plays')} plays deep.",
    ],
    [
        lambda c: f"And your whole year backed it up: {c.Y_top} was your number one artist, {c.Y_genre} was your genre, and you showed up on {c.ex('Y_days')} days. Legendary stuff.",
        lambda c: f"Honestly the whole year was a vibe. {c.hours('Y_music')} of music, and {c.Y_top} got more of it than anybody. Run it back next year.",
    ],
)
style(
    "news_bulletin",
    [lambda c: f"Breaking: {c.top_a} Dominates", lambda c: f"Report From {c.date_('short')}", lambda c: "Listener Sets Personal Record"],
    [
        lambda c: f"This just in: on {c.date_('long')}, one listener logged {c.ex('mins')} minutes of audio between {c.first} and {c.last}. {CAT(c, 1)} Sources confirm that {c.top_a} led the day with {c.ex('top_a_min')} minutes.",
        lambda c: f"Headlines from {c.date_('long')}: {low(c, CAT(c, 3))} Witnesses report {c.ex('n_art')} artists in rotation and {c.top_a} at the front of the line.",
    ],
    [
        lambda c: f"In other news, the annual figures are in: {c.ex('Y_days')} listening days, {c.Y_top} named artist of the year, and {c.Y_genre} holding its lead among genres.",
        lambda c: f"Analysts note that the year as a whole leaned {c.Y_part_phrase}, peaked on {c.Y_busy}s, and was led throughout by {c.Y_top}.",
    ],
)
style(
    "museum_placard",
    [lambda c: f"Exhibit: {c.date_('short')}", lambda c: f"Study of a {c.wd}", lambda c: "On Loan From Your Year"],
    [
        lambda c: f"{c.date_('long')}. {H_m1(c)} {CAT(c, 2)} The work opens at {c.first_t} with {q(c, c.first_title)} by {c.first_by} and closes at {c.last}. {H_m2(c)}",
        lambda c: f"This piece, dated {c.date_('ord')}, a {c.wd}, draws on {c.ex('n_art')} artists. {CAT(c, 0)} Curators point to {c.top_a}, present for {c.ex('top_a_min')} minutes, as its organising theme.",
    ],
    [
        lambda c: f"Part of a larger collection spanning {c.ex('Y_days')} days. Principal artist of the collection: {c.Y_top}. Dominant school: {c.Y_genre}. Period: chiefly the {c.Y_decade}.",
        lambda c: f"Context: the artist's wider year, catalogued as {c.Y_pers}, favoured {c.Y_busy}s and gave the most time to {c.Y_top}.",
    ],
)
style(
    "recipe_card",
    [lambda c: f"Recipe for a Perfect {c.wd}", lambda c: "Ingredients: Music, Time", lambda c: f"How to Cook Up {c.date_('short')}"],
    [
        lambda c: f"How to make {c.date_('long')}: start at {c.first}. Add {c.ex('n_art')} artists, one generous helping of {c.top_a} ({c.ex('top_a_min')} minutes), and keep simmering until {c.last}. Serves {c.ex('mins')} minutes. {CAT(c, 3)}",
        lambda c: f"Ingredients for {c.date_('long')}: {c.ex('plays')} plays, a base of {c.top_a}, and a pinch of {c.first_by} to start. {CAT(c, 1)} Cooking time: {c.ab('mins')} minutes.",
    ],
    [
        lambda c: f"Your house special all year long? {c.Y_top}, with a side of {c.Y_genre}. Served on {c.ex('Y_days')} days and counting.",
        lambda c: f"The year's pantry was stocked with {c.ex('Y_n_art')} artists, but the one you spent the most time with was {c.Y_top}. A classic for a reason.",
    ],
)
style(
    "travelogue",
    [lambda c: f"Postcards From {c.date_('short')}", lambda c: "A Day-Long Journey in Sound", lambda c: f"Travelling With {c.top_a}"],
    [
        lambda c: f"The journey on {c.date_('long')} set off at {c.first} and didn't reach its destination until {c.last}. {H_t1(c)} {CAT(c, 0)} {H_t2(c)}",
        lambda c: f"Every trip has a guide. On {c.date_('long')}, yours was {c.top_a}, who walked you through {c.ex('top_a_plays')} plays. {CAT(c, 2)}",
    ],
    [
        lambda c: f"The year's map shows {c.ex('Y_days')} stops, and the road kept leading back to {c.Y_top}. Your favourite landscape: {c.Y_genre}.",
        lambda c: f"Over the whole year you covered {c.hours('Y_total')}, travelling mostly {c.Y_part_phrase} and mostly in the company of {c.Y_top}.",
    ],
)
style(
    "radio_dj",
    [lambda c: f"Live From Your {c.wd}", lambda c: "Request Line Was Busy", lambda c: f"All Day on {c.top_a} FM"],
    [
        lambda c: f"Good morning, good afternoon and good night, because on {c.date_('long')} this station ran from {c.first} to {c.last}! We spun {c.ex('plays')} records for {c.ex('mins')} minutes, and the artist with the most airtime was {c.top_a}. {CAT(c, 1)}",
        lambda c: f"You're tuned to {c.date_('long')}. Coming up next: more {c.top_a}, because you asked for it {c.wo('top_a_plays')} times today. {CAT(c, 3)} We opened with {q(c, c.first_title)}, of course.",
    ],
    [
        lambda c: f"Year-end countdown, and at number one on your artist chart: {c.Y_top}. Just behind, at number two: {c.Y_2}. Stay tuned for next year.",
        lambda c: f"Station ID for the year: {c.ex('Y_days')} days on air, {c.Y_genre} on heavy rotation, and {c.Y_top} the artist with the most airtime.",
    ],
)
style(
    "letter",
    [lambda c: "A Note About Your Year", lambda c: f"Dear Listener, About {c.wd}", lambda c: "Something We Noticed"],
    [
        lambda c: f"Dear listener, we wanted to tell you about {c.date_('long')}. {CAT(c, 0)} You started at {c.first} and listened for {c.ex('mins')} minutes in all. {c.top_a} was there for {c.ex('top_a_min')} of them.",
        lambda c: f"Hello again. We keep thinking about {c.date_('long')}, when you played {c.ex('plays')} tracks and episodes from {c.ex('n_art')} artists. {CAT(c, 2)} {c.top_a} got the most of your attention.",
    ],
    [
        lambda c: f"It fits the rest of your year, really: {c.Y_top} as your top artist, {c.Y_genre} as your top genre, and music on {c.ex('Y_days')} days. Warmly, your year in review.",
        lambda c: f"We noticed the rest of the year too. You listened most on {c.Y_busy}s and heard {c.ex('Y_n_art')} artists in all. With thanks for the company.",
    ],
)
style(
    "timeline",
    [lambda c: f"{c.first} to {c.last}", lambda c: f"{c.date_('short')}, Hour by Hour", lambda c: "The Day on a Clock"],
    [
        lambda c: f"{c.first_t}: the first play of {c.date_('long')}, {q(c, c.first_title)} by {c.first_by}. Through the day: {c.ex('n_art')} artists, {c.top_a} most of all. {c.last}: the last play, {c.ex('mins')} minutes later in listening terms. {CAT(c, 1)}",
        lambda c: f"Start: {c.first}. Finish: {c.last}. In between, {c.date_('long')} added up to {c.ex('plays')} plays. {CAT(c, 0)} Most frequent name on the clock: {c.top_a_p}.",
    ],
    [
        lambda c: f"Zoom out to the calendar: {c.ex('Y_days')} listening days this year, {c.Y_busy} the busiest weekday, and the hours {c.Y_part_phrase} the busiest time.",
        lambda c: f"Across the year's timeline, {c.Y_top} kept appearing, {c.hours('Y_top_min')} in total, more than any other artist.",
    ],
)
style(
    "data_nerd",
    [lambda c: f"Dataset: {c.date_('iso')}", lambda c: "The Numbers Behind the Day", lambda c: "Outlier Detected"],
    [
        lambda c: f"Dataset for {c.date_('iso')}, a {c.wd}: n = {c.ex('plays')} plays, {c.ex('mins')} minutes, {c.ex('n_art')} distinct artists. {CAT(c, 3)} Modal artist by time: {c.top_a} ({c.ex('top_a_min')} minutes).",
        lambda c: f"Let's look at the data for {c.date_('long')}. Session window: {c.first} to {c.last}. {CAT(c, 2)} {c.top_a} accounts for {c.ex('top_a_plays')} of the {c.ex('plays')} plays.",
    ],
    [
        lambda c: f"Annual aggregates: {c.ex('Y_total')} minutes total, {c.ex('Y_days')} active days, {c.ex('Y_n_tracks')} distinct tracks. Rank 1 artist: {c.Y_top}. Rank 2: {c.Y_2}.",
        lambda c: f"For the year as a whole, {c.Y_top} leads your artists with {c.ex('Y_top_min')} minutes, and your listening clusters {c.Y_part_phrase}.",
    ],
)
style(
    "fairy_tale",
    [lambda c: f"Once Upon a {c.wd}", lambda c: "The Tale of the Endless Playlist", lambda c: f"How {c.top_a} Won the Day"],
    [
        lambda c: f"Once upon a time, on {c.date_('ord')}, a listener pressed play at {c.first}. The listening went on and on, {c.ex('mins')} minutes of it, through {c.ex('n_art')} artists and more. {CAT(c, 0)} And wherever the story turned, {c.top_a} was waiting.",
        lambda c: f"In a land not far away, {c.date_('long')} began with {q(c, c.first_title)}. {CAT(c, 1)} The hero of the tale was {c.top_a}, summoned {c.wo('top_a_plays')} times before the candles went out at {c.last}.",
    ],
    [
        lambda c: f"And so the year went, {c.ex('Y_days')} days of music in all, with {c.Y_top} the most faithful companion of them all. The end, for now.",
        lambda c: f"The rest of the year was a kingdom of {c.Y_genre}, ruled by {c.Y_top}, with {c.Y_busy}s as its feast days.",
    ],
)
style(
    "noir_detective",
    [lambda c: f"The Case of the Long {c.wd}", lambda c: "Somebody Kept Pressing Play", lambda c: f"The {c.top_a} File"],
    [
        lambda c: f"It was {c.date_('long')}, and the first track hit at {c.first_t}. I'd seen days like this before, but not many. {c.ex('mins')} minutes of listening, {c.ex('n_art')} artists in the line-up. {CAT(c, 3)} The name that kept turning up? {c.top_a}.",
        lambda c: f"The file on {c.date_('long')} was thick. {c.ex('plays')} plays, last one logged at {c.last}. {CAT(c, 2)} The prime suspect was {c.top_a}, seen at the scene {c.wo('top_a_plays')} times.",
    ],
    [
        lambda c: f"The year told the same story, if you knew where to look: {c.Y_top} at the top, {c.Y_genre} everywhere, and the heaviest listening {c.Y_part_phrase}. Case closed.",
        lambda c: f"I checked the year's records too. {c.ex('Y_days')} days with activity. One artist, {c.Y_top}, ahead of all the rest. Some cases solve themselves.",
    ],
)
style(
    "minimal_verse",
    [lambda c: f"{c.wd}, in Verse", lambda c: "Small Poem, Big Day", lambda c: f"{c.top_a}, Again"],
    [
        lambda c: f"{c.first_t}, the first song.\n{c.last}, the last.\n{c.ex('mins')} minutes between,\n{c.top_a} at the centre.\n{CAT(c, 1)} {c.date_('long')}, {c.ex('n_art')} artists, one long breath.",
        lambda c: f"{c.date_('long')}: {c.ex('plays')} plays, and a day that did not want to end. {CAT(c, 0)} {c.top_a}, {c.top_a}, {c.top_a}, {c.wo('top_a_plays')} times in all.",
    ],
    [
        lambda c: f"The year: {c.ex('Y_days')} days. {c.Y_top}, most of all. {c.Y_genre}, underneath. Enough said.",
        lambda c: f"And the year, smaller on the page than it felt: {c.Y_busy}s, {c.Y_part_phrase}, and always {c.Y_top}.",
    ],
)
style(
    "emoji_light",
    [lambda c: f"{c.wd} Vibes \U0001f3a7", lambda c: "Your Day on Repeat \U0001f501", lambda c: f"{c.top_a} Appreciation Day"],
    [
        lambda c: f"\U0001f3a7 {c.date_('long')} was a big one! You listened for {c.ex('mins')} minutes, starting at {c.first}. {CAT(c, 0)} \U0001f31f Star of the day: {c.top_a}, with {c.ex('top_a_plays')} plays.",
        lambda c: f"Hello {c.date_('long')} \U0001f44b {c.ex('plays')} plays, {c.ex('n_art')} artists and a finish at {c.last}. {CAT(c, 2)} {c.top_a} was front and centre the whole time \U0001f3b6",
    ],
    [
        lambda c: f"Your year in a nutshell \U0001f4c5 {c.ex('Y_days')} listening days, {c.Y_top} as your number one artist and {c.Y_genre} as your go-to genre. \u2728",
        lambda c: f"All year you were a {c.Y_busy} listener at heart \U0001f4c6 and {c.Y_top} was your most listened-to artist. See you next year \U0001f44b",
    ],
)
style(
    "fitness_coach",
    [lambda c: "Personal Best, Unlocked", lambda c: f"Training Log: {c.date_('short')}", lambda c: "You Went the Distance"],
    [
        lambda c: f"Personal best alert! On {c.date_('long')} you put in {c.ex('mins')} minutes of listening, warming up at {c.first} and cooling down at {c.last}. {CAT(c, 0)} Your training partner of choice: {c.top_a}, {c.ex('top_a_min')} minutes.",
        lambda c: f"Session report for {c.date_('long')}: {c.ex('plays')} reps, {c.ex('n_art')} different artists in the circuit. {CAT(c, 3)} {c.top_a} carried you through {c.wo('top_a_plays')} of those sets.",
    ],
    [
        lambda c: f"Season totals: you trained on {c.ex('Y_days')} days this year, and {c.Y_top} was your most reliable spotter. Same time next year?",
        lambda c: f"Over the year you logged {c.hours('Y_total')} of listening, most of it {c.Y_part_phrase}. {c.Y_top} was the coach you listened to most.",
    ],
)
style(
    "film_trailer",
    [lambda c: f"{c.date_('short')}: The Movie", lambda c: "Coming Soon to Your Headphones", lambda c: f"Starring {c.top_a}"],
    [
        lambda c: f"In a year full of days, one day stood apart. {c.date_('long')}. {c.ex('mins')} minutes. {c.ex('n_art')} artists. And one star: {c.top_a}. {CAT(c, 1)} Opening scene: {c.first}. Closing credits: {c.last}.",
        lambda c: f"This {c.wd}, one listener will press play at {c.first}... and won't stop. {CAT(c, 2)} Featuring {c.top_a} in {c.ex('top_a_plays')} appearances. Rated L for loud.",
    ],
    [
        lambda c: f"Also showing all year: {c.Y_top} in the lead role, {c.Y_2} in support, and {c.Y_genre} as the score. Running time: {c.ex('Y_days')} days.",
        lambda c: f"From the year that brought you {c.hours('Y_music')} of music comes a familiar face: {c.Y_top}, the artist you spent the most time with.",
    ],
)
style(
    "lab_notes",
    [lambda c: f"Observation Log, {c.date_('iso')}", lambda c: "Results Are In", lambda c: "An Unusually Active Sample"],
    [
        lambda c: f"Observation, {c.date_('long')}: subject began listening at {c.first} and ceased at {c.last}. Total exposure: {c.ex('mins')} minutes across {c.ex('plays')} plays. {CAT(c, 3)} Dominant variable: {c.top_a}.",
        lambda c: f"Experiment {c.date_('iso')} recorded {c.ex('n_art')} distinct artists. {CAT(c, 0)} The strongest signal came from {c.top_a}, measured at {c.ex('top_a_min')} minutes.",
    ],
    [
        lambda c: f"Longitudinal findings for the year: {c.ex('Y_days')} active days, peak activity on {c.Y_busy}s, and a persistent preference for {c.Y_top}.",
        lambda c: f"Conclusion across the year: the subject is best classified as {c.Y_pers}, with {c.Y_top} the most-listened artist.",
    ],
)
style(
    "postcard",
    [lambda c: f"Greetings From {c.wd}", lambda c: "Wish You Were Here (You Were)", lambda c: "Sent From a Very Good Day"],
    [
        lambda c: f"Greetings from {c.date_('long')}! Weather: loud. Arrived at {c.first}, left at {c.last}, and stayed for {c.ex('mins')} minutes of listening. {CAT(c, 2)} Everyone here talks about {c.top_a}.",
        lambda c: f"Hi from {c.date_('long')}. Met {c.ex('n_art')} artists today, but spent the most time with {c.top_a}, {c.ex('top_a_min')} minutes. {CAT(c, 1)} More soon.",
    ],
    [
        lambda c: f"P.S. The whole year was like this: {c.ex('Y_days')} days of music, lots of {c.Y_genre}, and {c.Y_top} at every stop.",
        lambda c: f"P.P.S. Checked the year's souvenirs: {c.Y_top} top of the pile, {c.Y_busy}s the liveliest days. Back next year.",
    ],
)
style(
    "quiz_show",
    [lambda c: "Final Answer: This Day", lambda c: f"Question One: {c.wd}", lambda c: "For the Bonus Point"],
    [
        lambda c: f"{H_z1(c)} {CAT(c, 0)} Bonus point: who led the day? {c.top_a}.",
        lambda c: f"Quick-fire round. First play on {c.date_('long')}? {c.first}. Artists heard? {c.ex('n_art')}. Headliner? {c.top_a}. {CAT(c, 3)}",
    ],
    [
        lambda c: f"Final question: your number one artist of the year? It's {c.Y_top}. And your top genre? {c.Y_genre}. Full marks.",
        lambda c: f"Tie-breaker: on how many days did you listen this year? The answer is {c.ex('Y_days')}. Your busiest weekday? {c.Y_busy}.",
    ],
)
style(
    "tasting_notes",
    [lambda c: f"Tasting Notes: {c.wd}", lambda c: "A Full-Bodied Roast of a Day", lambda c: "Notes of Something Good"],
    [
        lambda c: f"{c.date_('long')} opens bright at {c.first_t}, with {q(c, c.first_title)} up front. The body is generous, {c.ex('mins')} minutes, with {c.top_a} on the palate throughout. {CAT(c, 1)} A long finish, lasting until {c.last}.",
        lambda c: f"A complex roast: {c.date_('long')}, blended from {c.ex('n_art')} artists. {CAT(c, 2)} Dominant notes of {c.top_a}, {c.ex('top_a_min')} minutes' worth.",
    ],
    [
        lambda c: f"The year's pantry is deep: {c.ex('Y_n_art')} artists, {c.Y_genre} as the house blend, and {c.Y_top} the bean you lingered over longest.",
        lambda c: f"As a whole, the year has a clear character: {c.Y_pers}, with {c.Y_top} as the signature bean and the {c.Y_decade} as the harvest.",
    ],
)
style(
    "gardener",
    [lambda c: f"What Grew on {c.wd}", lambda c: "A Good Day in the Garden", lambda c: f"{c.top_a} in Full Bloom"],
    [
        lambda c: f"{H_g1(c)} On {c.date_('long')} the first seed went in at {c.first}, and by {c.last} the beds held {c.ex('mins')} minutes of listening. {CAT(c, 3)} {H_g2(c)}",
        lambda c: f"{c.date_('long')} was a busy season in a single day: {c.ex('n_art')} artists planted, {c.ex('plays')} plays harvested. {CAT(c, 0)} The tallest stem belonged to {c.top_a}.",
    ],
    [
        lambda c: f"Over the whole year, your garden of {c.ex('Y_n_art')} artists kept its shape around one old tree: {c.Y_top}.",
        lambda c: f"Through the year's seasons, you tended it on {c.ex('Y_days')} days, and {c.Y_genre} was the soil everything grew in.",
    ],
)
style(
    "hedged_analyst",
    [lambda c: "Roughly Speaking, a Big Day", lambda c: f"A Little Over the Usual on {c.wd}", lambda c: "Give or Take a Few Minutes"],
    [
        lambda c: f"On {c.date_('long')} you listened for {c.ab('mins')} minutes, give or take. {CAT(c, 1)} {c.top_a} took the biggest share, {c.ab('top_a_min')} minutes or so, and {c.ex('n_art')} artists passed through in total.",
        lambda c: f"Roughly speaking, {c.date_('long')} held {c.ov('plays')} plays, from {c.first} to {c.last}. {CAT(c, 3)} At the front, as usual for that day: {c.top_a}.",
    ],
    [
        lambda c: f"For the year, the headline is {c.hours('Y_total')} of listening, and {c.Y_top} alone accounts for {c.hours('Y_top_min')} of it.",
        lambda c: f"Over the whole year you heard {c.ov('Y_n_art')} artists, on {c.nr('Y_days')} days, with {c.Y_top} ahead of the rest.",
    ],
)
style(
    "casual_text",
    [lambda c: f"ok so {c.wd} was a lot", lambda c: "no skips just vibes", lambda c: f"{c.top_a} all day lol"],
    [
        lambda c: f"ok so {c.date_('long')} was kind of a lot. you started at {c.first}, finished at {c.last}, and clocked {c.ex('mins')} minutes. {CAT(c, 0)} {c.top_a} was basically the whole personality of the day tbh, {c.ex('top_a_plays')} plays.",
        lambda c: f"not to be dramatic but {c.date_('long')} was iconic. {c.ex('plays')} plays, {c.ex('n_art')} artists. {CAT(c, 2)} and yes, {c.top_a} was there for most of it.",
    ],
    [
        lambda c: f"the year overall? {c.Y_top} on top, {c.Y_genre} everywhere, {c.ex('Y_days')} days of listening. honestly consistent.",
        lambda c: f"also your whole year was very {c.Y_busy}-coded, and {c.Y_top} got more of your time than anyone else. noted.",
    ],
)
style(
    "storyteller_long",
    [lambda c: f"The Story of {c.date_('short')}", lambda c: "A Day You Kept Coming Back To", lambda c: "The One That Stood Out"],
    [
        lambda c: f"Every year has one day that says more than the rest, and for you it might be {c.date_('long')}. The first track came on at {c.first_t}, {q(c, c.first_title)} by {c.first_by}, and from there the day filled up: {c.ex('mins')} minutes across {c.ex('plays')} plays. {CAT(c, 2)}",
        lambda c: f"If you had to pick a day to explain your year to a stranger, {c.date_('long')} would do nicely. {CAT(c, 1)} You moved through {c.ex('n_art')} artists, but the thread running through it was {c.top_a}, with {c.ex('top_a_min')} minutes.",
    ],
    [
        lambda c: f"The rest of the year filled in around days like this one. You listened on {c.ex('Y_days')} days, mostly {c.Y_part_phrase}, and the artist you gave the most time to was {c.Y_top}, at {c.hours('Y_top_min')}.",
        lambda c: f"Step back from that {c.wd} and the year comes into focus: {c.Y_genre} as the main colour, {c.Y_2} close behind {c.Y_top} among your artists, and {c.Y_busy}s as your most reliable listening days.",
    ],
)
style(
    "plays_focused",
    [lambda c: "Played It Again. And Again", lambda c: "Counting the Replays", lambda c: f"{c.top_a}, {c.ex('top_a_plays_3')} Times Over"],
    [
        lambda c: f"On {c.date_('long')} you played {q(c, c.rep_t)} by {c.top_t_by} {c.ex('top_t_plays')} times, more than any other track that day. {CAT(c, 0)} Altogether you listened for {c.ex('mins')} minutes.",
        lambda c: f"{c.date_('long')} was a replay kind of day. {q(c, c.rep_t)} came round {c.wo('top_t_plays')} times, and {c.top_a} racked up {c.ex('top_a_plays')} plays in total. {CAT(c, 3)}",
        lambda c: f"On {c.date_('long')}, {c.top_a_p} got {c.ex('top_a_plays')} plays, the most of any artist that day. Across the whole year you played {c.top_a} {c.ex('ta_year_3')} times. {CAT(c, 2)}",
    ],
    [
        lambda c: f"Over the year, your most-played track was {q(c, c.Y_mpt)} by {c.Y_mpt_by}, with {c.ex('Y_mpt_n')} plays. No other song reached that count.",
        lambda c: f"And the year's replay champion? {q(c, c.Y_mpt)}, which you played {c.wo('Y_mpt_n')} times. By play count, the artist you pressed play on most was {c.Y_mpa}, {c.ex('Y_mpa_n')} plays.",
        lambda c: f"All year, no artist got more plays from you than {c.Y_mpa}: {c.ov('Y_mpa_n')} of them. The song you came back to most often was {q(c, c.Y_mpt)}.",
    ],
)
style(
    "spoken_intro",
    [lambda c: "Let Me Tell You About This Day", lambda c: f"Picture It: {c.wd}", lambda c: "So, About That Day"],
    [
        lambda c: f"So, picture it: {c.date_('long')}. It's {c.first_t}, and the first song is already playing. By the time the last one ends at {c.last}, you've listened for {c.ex('mins')} minutes. {CAT(c, 3)} And the soundtrack? Mostly {c.top_a}.",
        lambda c: f"Let me tell you about {c.date_('long')}. {CAT(c, 0)} {c.ex('n_art')} artists got a look in, but {c.top_a} got {c.ex('top_a_min')} minutes, which tells you everything.",
    ],
    [
        lambda c: f"And honestly, the whole year went like that. {c.Y_top}, more than anyone. {c.Y_genre}, more than anything. {c.ex('Y_days')} days of it.",
        lambda c: f"Now zoom out. Your year: the {c.Y_decade} as your favourite decade, {c.Y_busy} as your favourite day, and {c.Y_top} as the artist you spent the most time with.",
    ],
)


#: a third first and second paragraph for each style (more wordings, fewer repeats)
EXTRA = {
    "gpt_upbeat": (
        lambda c: f"Let's hear it for {c.date_('long')}! {CAT(c, 5)} From {c.first} onwards you stacked up {c.ex('plays')} plays, and {c.top_a} got {c.ov('top_a_min')} minutes of your attention. That's what we call a great day!",
        lambda c: f"Amazing news: the rest of your year delivered too! {c.Y_top} was your top artist, and you played them {c.ex('Y_top_plays')} times in all. What a ride!",
    ),
    "claude_measured": (
        lambda c: f"There is a quiet logic to {c.date_('long')}. {CAT(c, 6)} The listening began at {c.first} and ended at {c.last}, with {c.ex('n_art')} artists along the way and {c.top_a} the most present of them.",
        lambda c: f"Over the year as a whole, you listened on {c.ex('Y_days')} days. If there is a thread running through them, it is {c.Y_genre}, with {c.Y_top} as its most frequent voice.",
    ),
    "llama_listicle": (
        lambda c: f"Here's your day at a glance. Date: {c.date_('long')}. Listening time: {c.ex('mins')} minutes. Most time with: {c.top_a}. {CAT(c, 7)}",
        lambda c: f"Key takeaways from the year: {c.Y_top} was your top artist, {c.Y_2} came second, and you heard {c.ex('Y_n_tracks')} different tracks along the way.",
    ),
    "small_model_terse": (
        lambda c: f"Day: {c.date_('long')}. Minutes: {c.ex('mins')}. Plays: {c.ex('plays')}. {CAT(c, 8)} Main artist: {c.top_a}. First play at {c.first}.",
        lambda c: f"Year: {c.ex('Y_total')} minutes in total. Listening days: {c.ex('Y_days')}. Top artist: {c.Y_top}. Busiest weekday: {c.Y_busy}.",
    ),
    "copywriter_punchy": (
        lambda c: f"{c.first}. Play. {c.last}. Still playing. {c.date_('long')} in a nutshell: {c.ex('plays')} plays, {c.top_a} in charge. {CAT(c, 9)}",
        lambda c: f"Your year, in three words: {c.Y_top}. {c.Y_genre}. {c.Y_busy}s. Everything else is detail.",
    ),
    "poetic": (
        lambda c: f"There are days that pass like weather, and days that stay. {c.date_('long')} stayed. {CAT(c, 10)} From {c.first} until {c.last}, {c.top_a} threaded through the hours like a familiar melody hummed under the breath.",
        lambda c: f"Around it, the year turned slowly: {c.ex('Y_days')} days of sound, {c.Y_top} returning like a season, and {c.Y_genre} the weather you lived in.",
    ),
    "question_led": (
        lambda c: f"How do you know a day mattered? Look at {c.date_('long')}. {CAT(c, 11)} Who was on your mind? {c.top_a}, with {c.ex('top_a_min')} minutes. When did it end? {c.last}.",
        lambda c: f"So what was your year really about? {c.Y_top}, for {c.hours('Y_top_min')}. And when did you listen most? {c.Y_part_phrase}, mostly.",
    ),
    "sports_commentary": (
        lambda c: f"Scenes on {c.date_('long')}! {CAT(c, 12)} {c.top_a} dominated possession with {c.ex('top_a_min')} minutes, while {c.ex('n_art')} artists in all got minutes on the pitch.",
        lambda c: f"League table for the year: {c.Y_top} top, {c.Y_2} second, {c.Y_3} third. {c.ex('Y_days')} matchdays played.",
    ),
    "weather_report": (
        lambda c: f"Weather warning issued for {c.date_('long')}: persistent music from {c.first}. {CAT(c, 13)} Visibility was low for anything but {c.top_a}.",
        lambda c: f"Climate data for the year confirms it: {c.hours('Y_music')} of music fell, with {c.Y_top} the prevailing front.",
    ),
    "diary_voice": (
        lambda c: f"{c.date_('long')}, late. {CAT(c, 14)} Can't stop thinking about {c.top_a}: {c.ex('top_a_min')} minutes today. Started at {c.first}, which feels like a week ago.",
        lambda c: f"End-of-year note: {c.ex('Y_n_art')} artists this year. Most of them passing through. {c.Y_top} stayed.",
    ),
    "british_wry": (
        lambda c: f"Right then, {c.date_('long')}. {CAT(c, 15)} Kettle on at {c.first}, presumably, and music until {c.last}. {c.top_a}, {c.ex('top_a_plays')} plays. Splendid.",
        lambda c: f"For the year, a modest {c.ex('Y_days')} days of listening and a fairly unshakeable loyalty to {c.Y_top}. We'd expect nothing less.",
    ),
    "american_hype": (
        lambda c: f"Big day energy on {c.date_('long')}! {CAT(c, 16)} You went from {c.first} all the way to {c.last}, and {c.top_a} was straight-up carrying with {c.ex('top_a_min')} minutes.",
        lambda c: f"And can we talk about your year? {c.hours('Y_total')} of listening. {c.Y_top} at number one. Absolutely elite.",
    ),
    "news_bulletin": (
        lambda c: f"Developing story: {c.date_('long')} has been confirmed as a standout day. {CAT(c, 17)} The listener's first play was recorded at {c.first}; {c.top_a} led the day's coverage.",
        lambda c: f"Year-end report: {c.Y_top} retains the top spot among artists, ahead of {c.Y_2}. Total listening days: {c.ex('Y_days')}.",
    ),
    "museum_placard": (
        lambda c: f"Main gallery: {c.date_('long')}. Sound installation, {c.ex('mins')} minutes. {CAT(c, 18)} The artist {c.top_a} features most prominently.",
        lambda c: f"Permanent collection: {c.ex('Y_n_art')} artists acquired over the year, the most extensively represented being {c.Y_top}.",
    ),
    "recipe_card": (
        lambda c: f"Today's special, {c.date_('long')}: a slow-cooked day of {c.ex('mins')} minutes. {CAT(c, 19)} Season generously with {c.top_a} and serve from {c.first}.",
        lambda c: f"Chef's note for the year: {c.Y_genre} was your staple ingredient, and {c.Y_top} your signature dish.",
    ),
    "travelogue": (
        lambda c: f"Travel log, {c.date_('long')}. Departed {c.first}. {CAT(c, 20)} Main companion on the road: {c.top_a}. Arrived {c.last}, tired and happy.",
        lambda c: f"Across the year's itinerary, {c.ex('Y_days')} days on the road, {c.Y_busy}s the busiest, and {c.Y_top} the most familiar landmark.",
    ),
    "radio_dj": (
        lambda c: f"Caller on line one says {c.date_('long')} was the best day of the year on this station. {CAT(c, 21)} We played {c.top_a} for {c.ex('top_a_min')} minutes, so no complaints here.",
        lambda c: f"Before we sign off for the year: {c.ex('Y_n_art')} artists made the playlist, but {c.Y_top} got the most airtime. Goodnight!",
    ),
    "letter": (
        lambda c: f"Dear you, {c.date_('long')} keeps coming up when we look back at your year. {CAT(c, 22)} {c.top_a} was your main companion, {c.ex('top_a_plays')} plays of it.",
        lambda c: f"The year around it was generous too: {c.ex('Y_days')} days of listening and {c.Y_top} at the heart of it. Yours, the year in review.",
    ),
    "timeline": (
        lambda c: f"{c.date_('long')}, in order: {c.first}, first play. Afterwards, {c.ex('plays')} plays. {c.last}, last play. {CAT(c, 23)} Name on repeat: {c.top_a_p}.",
        lambda c: f"The year in sequence: {c.Y_top} at number one from start to finish, {c.Y_busy} the loudest weekday, {c.ex('Y_days')} days in all.",
    ),
    "data_nerd": (
        lambda c: f"Quick stats, {c.date_('long')}: {c.ex('mins')} minutes, {c.ex('plays')} plays, {c.ex('n_art')} artists. {CAT(c, 24)} Top contributor by time: {c.top_a}.",
        lambda c: f"Year summary: {c.ex('Y_n_art')} unique artists, {c.ex('Y_days')} active days, top artist by time {c.Y_top} at {c.ex('Y_top_min')} minutes.",
    ),
    "fairy_tale": (
        lambda c: f"Long ago, on a {c.wd} in {c.date_('month')}, a listener woke the music at {c.first}. {CAT(c, 25)} The bard {c.top_a} played longest of all, and the feast went on until {c.last}.",
        lambda c: f"And in the wider kingdom of the year, {c.Y_top} sat on the throne, with {c.Y_2} as the loyal second.",
    ),
    "noir_detective": (
        lambda c: f"{c.date_('long')}. {c.first}. The music started and it wasn't going to stop for anyone. {CAT(c, 26)} I followed the trail and it led to {c.top_a}. It always does.",
        lambda c: f"I closed the year's file with a single name circled: {c.Y_top}. {c.hours('Y_top_min')} of evidence.",
    ),
    "minimal_verse": (
        lambda c: f"{c.date_('long')}.\n{c.ex('plays')} plays.\n{c.top_a}, mostly.\n{CAT(c, 27)}",
        lambda c: f"A year: {c.ex('Y_days')} days, {c.Y_genre}, and {c.Y_top} above the rest.",
    ),
    "emoji_light": (
        lambda c: f"\U0001f4c5 {c.date_('long')} \U0001f3b5 {c.ex('mins')} minutes, {c.ex('n_art')} artists. {CAT(c, 28)} Most time with: {c.top_a} \U0001f3a4",
        lambda c: f"\U0001f3c6 Top artist of the year: {c.Y_top}. \U0001f3b8 Top genre: {c.Y_genre}. \U0001f4c6 Busiest day: {c.Y_busy}.",
    ),
    "fitness_coach": (
        lambda c: f"Let's break down {c.date_('long')}, champ. {CAT(c, 29)} Warm-up at {c.first}, {c.ex('n_art')} artists in the rotation, and {c.top_a} as your pacer for {c.ex('top_a_min')} minutes.",
        lambda c: f"Year-end assessment: {c.ex('Y_days')} sessions, strongest on {c.Y_busy}s, {c.Y_top} your favourite training track-maker.",
    ),
    "film_trailer": (
        lambda c: f"Based on a true story. {c.date_('long')}. {CAT(c, 30)} {c.top_a} stars in {c.ex('top_a_plays')} scenes. Runtime: {c.ex('mins')} minutes.",
        lambda c: f"The sequel writes itself: {c.Y_top} returns, {c.Y_genre} sets the mood, and a whole year of {c.ex('Y_days')} listening days comes to a close.",
    ),
    "lab_notes": (
        lambda c: f"Lab note, {c.date_('long')}. {CAT(c, 31)} Sampling ran from {c.first} to {c.last}. Most frequent signal source: {c.top_a_p}.",
        lambda c: f"Annual summary: {c.ex('Y_n_art')} sources observed, {c.Y_top} dominant, genre classification {c.Y_genre}.",
    ),
    "postcard": (
        lambda c: f"Having a wonderful {c.wd}! It's {c.date_('long')} here. {CAT(c, 32)} {c.top_a} has been playing all day. Love, your headphones.",
        lambda c: f"P.S. Packed {c.ex('Y_n_art')} artists for the year's trip, but mostly wore {c.Y_top}.",
    ),
    "quiz_show": (
        lambda c: f"Picture round: the day is {c.wd}, {c.date_('ord')}. {CAT(c, 33)} For a bonus, how many plays? {c.ex('plays')}. Which artist took the most time? {c.top_a}.",
        lambda c: f"And the final scores for the year: {c.Y_top} first, {c.Y_2} second. Thanks for playing!",
    ),
    "tasting_notes": (
        lambda c: f"Single origin: {c.date_('long')}. {CAT(c, 34)} Opens at {c.first}; firm structure of {c.top_a}; lingering close at {c.last}.",
        lambda c: f"Cupping notes for the year: {c.ex('Y_days')} days brewed, predominantly {c.Y_genre}, with {c.Y_top} the house favourite.",
    ),
    "gardener": (
        lambda c: f"Notes from the potting shed, {c.date_('long')}. {CAT(c, 35)} {c.top_a} needed the most watering: {c.ex('top_a_min')} minutes.",
        lambda c: f"Over the year the garden grew {c.ex('Y_n_tracks')} different tracks, and {c.Y_top} was the hardiest perennial.",
    ),
    "hedged_analyst": (
        lambda c: f"Give or take, {c.date_('long')} came to {c.hours('mins')} of listening. {CAT(c, 36)} {c.top_a} took {c.ab('top_a_min')} minutes of it, if the logs are to be believed.",
        lambda c: f"The year, approximately: {c.ab('Y_total')} minutes, {c.ov('Y_days')} listening days, and {c.Y_top} ahead of the pack.",
    ),
    "casual_text": (
        lambda c: f"{c.date_('long')} really said no breaks. {c.ex('mins')} minutes?? {CAT(c, 37)} and {c.top_a} was doing the most, {c.ex('top_a_min')} mins.",
        lambda c: f"ngl the year was {c.Y_top} + {c.Y_genre} on loop and we love that for you. {c.ex('Y_days')} days of it.",
    ),
    "storyteller_long": (
        lambda c: f"Think back to {c.date_('long')}. The day started at {c.first}, like any other. {CAT(c, 38)} By the time it ended at {c.last}, {c.top_a} had soundtracked {c.ex('top_a_min')} minutes of it, and you had heard {c.ex('n_art')} artists in all.",
        lambda c: f"It was a year of {c.Y_genre} and a year of {c.Y_top}, with {c.Y_2} never far behind. You listened on {c.ex('Y_days')} days.",
    ),
    "plays_focused": (
        lambda c: f"{c.date_('long')}: {c.ex('plays')} plays, and {c.ex('top_a_plays_3')} of them went to {c.top_a}. Over the year, {c.top_a} got {c.ex('ta_year_3')} plays from you. {CAT(c, 39)}",
        lambda c: f"Your most-played song of {c.year} was {q(c, c.Y_mpt)}: {c.ex('Y_mpt_n')} plays. And the artist you played most often, counting plays rather than minutes, was {c.Y_mpa}.",
    ),
    "spoken_intro": (
        lambda c: f"Okay, here's the thing about {c.date_('long')}. {CAT(c, 40)} You were at it from {c.first}, and {c.top_a} got {c.ex('top_a_plays')} plays. That's the day.",
        lambda c: f"And the year? {c.ex('Y_days')} days of listening, {c.Y_top} out in front, {c.Y_genre} underneath everything.",
    ),
}
for _s in S:
    _a, _b = EXTRA[_s["name"]]
    _s["p1"].append(_a)
    _s["p2"].append(_b)


style(
    "scrobble_stats",
    [lambda c: "Scrobbles Don't Lie", lambda c: f"{c.wd}'s Spin Count", lambda c: "Streams, Spins and Replays"],
    [
        lambda c: f"Spin count for {c.date_('long')}: {c.ex('plays')} streams between {c.first} and {c.last}. {q(c, c.top_t)} by {c.top_t_by} took the most time, with {c.wo('top_t_plays')} spins of its own. {CAT(c, 41)}",
        lambda c: f"{c.date_('long')} logged {c.ex('plays')} scrobbles. {c.top_a} accounts for {c.ex('top_a_plays_3')} of them, and over the whole year you streamed {c.top_a} {c.ex('ta_year_3')} times. {CAT(c, 42)}",
        lambda c: f"The counter on {c.date_('long')} read {c.ov('plays')} streams by the end of the day. {CAT(c, 43)} {q(c, c.top_t)} alone got {c.ex('top_t_plays')} spins, and it has {c.ex('tt_year')} for the year.",
    ],
    [
        lambda c: f"Your most-streamed song of the year: {q(c, c.Y_mpt)}, at {c.ex('Y_mpt_n')} spins. Your most-streamed artist: {c.Y_mpa}, with {c.nr('Y_mpa_n')} plays to their name.",
        lambda c: f"By sheer spin count, {q(c, c.Y_mpt)} was the song of your year: {c.wo('Y_mpt_n')} plays, more than any other track. By minutes, though, {c.Y_top} was your top artist.",
        lambda c: f"Year tally: {c.ex('Y_top_plays')} streams of {c.Y_top}, your top artist by time, and {c.ex('Y_tt_plays')} of {q(c, c.Y_tt)}, the track you spent the most minutes with.",
    ],
)
style(
    "ballpark_figures",
    [lambda c: "In Round Numbers", lambda c: f"{c.wd}, Approximately", lambda c: "Ballpark Figures for a Big Day"],
    [
        lambda c: f"In round numbers: on {c.date_('long')} you listened for {c.ab('mins')} minutes, got through {c.ov('plays')} plays and heard {c.ov('n_art')} different artists. {CAT(c, 44)}",
        lambda c: f"Call it {c.hours('mins')}: that's roughly what {c.date_('long')} added up to, from {c.first} until {c.last}. {CAT(c, 45)} {c.top_a} claimed {c.ab('top_a_min')} minutes of it.",
        lambda c: f"{c.date_('long')}, ballpark: {c.nr('mins')} minutes, {c.nr('plays')} plays. {CAT(c, 46)} The artist who took the most time was {c.top_a}.",
    ],
    [
        lambda c: f"Across the year, you clocked {c.hours('Y_total')}, heard {c.ov('Y_n_art')} artists and listened on {c.nr('Y_days')} days. {c.Y_top} got {c.hours('Y_top_min')} of it.",
        lambda c: f"The year, roughly: {c.ab('Y_music')} minutes of music, {c.ab('Y_n_tracks')} different tracks, and {c.Y_top} out in front with {c.ab('Y_top_min')} minutes.",
        lambda c: f"Rounded off, your year came to {c.nr('Y_total')} minutes, and nobody got more of them than {c.Y_top}: {c.ov('Y_top_min')}.",
    ],
)
style(
    "replay_confessional",
    [lambda c: "You Pressed Replay. A Lot", lambda c: "Again, Again, Again", lambda c: f"The Replays of {c.date_('short')}"],
    [
        lambda c: f"Some songs you just can't leave alone. On {c.date_('long')}, {q(c, c.rep_t)} by {c.top_t_by} came back {c.wo('top_t_plays')} times, more than any other song that day. {CAT(c, 47)}",
        lambda c: f"Confession time: on {c.date_('long')} you played {c.top_a_p} {c.ex('top_a_plays')} times, more plays than any other artist got that day. {CAT(c, 48)} It all started at {c.first}.",
        lambda c: f"On {c.date_('long')} the replay button earned its keep. {c.top_a} racked up {c.ex('top_a_plays_3')} plays between {c.first} and {c.last}. {CAT(c, 49)}",
    ],
    [
        lambda c: f"The song you came back to most all year was {q(c, c.Y_mpt)}, {c.ex('Y_mpt_n')} plays in total. No other track got as many.",
        lambda c: f"And across the year, no artist got more plays from you than {c.Y_mpa}: {c.ex('Y_mpa_n')} in all. Your favourite song to replay? {q(c, c.Y_mpt)}.",
        lambda c: f"Over the year you played {q(c, c.Y_mpt)} {c.ex('Y_mpt_n')} times, making it your most-played track, and {c.Y_mpa} was the artist you played most often.",
    ],
)


#: a by-plays nod to the year for some styles (true: the unique #1 by play count)
PLAYS_P2 = {
    "gpt_upbeat": lambda c: f"And can we talk about {q(c, c.Y_mpt)}? You played it {c.ex('Y_mpt_n')} times this year, more than any other song. Iconic!",
    "claude_measured": lambda c: f"One detail from the wider year is worth noting: the track you played most often was {q(c, c.Y_mpt)} by {c.Y_mpt_by}, {c.ex('Y_mpt_n')} plays in all.",
    "british_wry": lambda c: f"And the year's most-played song was {q(c, c.Y_mpt)}. {cap(c.wo('Y_mpt_n'))} plays. We counted.",
    "casual_text": lambda c: f"also {q(c, c.Y_mpt)} was your most played song of the year, {c.ex('Y_mpt_n')} plays, no one is surprised.",
    "radio_dj": lambda c: f"Most-requested song of the year on this station: {q(c, c.Y_mpt)}, spun {c.ex('Y_mpt_n')} times. Most-requested artist, by plays: {c.Y_mpa}.",
    "data_nerd": lambda c: f"By play count, the year's leaders are {q(c, c.Y_mpt)} among tracks ({c.ex('Y_mpt_n')} plays) and {c.Y_mpa} among artists ({c.ex('Y_mpa_n')} plays).",
    "question_led": lambda c: f"Which song did you play the most this year? {q(c, c.Y_mpt)}, {c.ex('Y_mpt_n')} times. And which artist got the most plays? {c.Y_mpa}.",
    "timeline": lambda c: f"Across the year, one track kept coming round: {q(c, c.Y_mpt)}, {c.ex('Y_mpt_n')} plays, the most of any song.",
    "american_hype": lambda c: f"Also, {q(c, c.Y_mpt)} was on repeat all year, {c.ex('Y_mpt_n')} plays, your most-played track of the year. We see you.",
    "noir_detective": lambda c: f"The year's records showed one song played more than any other: {q(c, c.Y_mpt)}, {c.ex('Y_mpt_n')} times. The artist with the most plays? {c.Y_mpa}.",
    "postcard": lambda c: f"P.S. The song I played most this year: {q(c, c.Y_mpt)}. {c.ex('Y_mpt_n')} times. Don't judge.",
    "minimal_verse": lambda c: f"All year, one song more than the rest: {q(c, c.Y_mpt)}, {c.ex('Y_mpt_n')} plays.",
}
for _s in S:
    if _s["name"] in PLAYS_P2:
        _s["p2"].append(PLAYS_P2[_s["name"]])
        _s["plays_p2"] = [len(_s["p2"]) - 1]
    elif _s["name"] in ("plays_focused", "scrobble_stats", "replay_confessional"):
        _s["plays_p2"] = list(range(len(_s["p2"])))
