"""Style frames for dev2: each style = titles, paragraphs of slots (alternative sentence
templates; a slot whose facts are missing is skipped), filler lines, and a hedge preference.
Placeholders are facts rendered by gen.Facts (numbers carry their unit and hedge)."""

from __future__ import annotations

# Shared building blocks -------------------------------------------------------------------
DAY_WHY = {
    "biggest_music_day": [
        "No other day this year held more music than this one.",
        "If your year had a peak, this was it: your biggest day of music.",
        "Of every day you listened, this one held the most music.",
        "It was the most music you put on in a single day all year.",
        "Measured in music, nothing else in the calendar came close.",
    ],
    "biggest_podcast_day": [
        "It was your biggest day for podcasts all year.",
        "The talkiest day of your year, counted in podcast minutes.",
        "No day of the year had more talk in your ears.",
    ],
    "biggest_discovery_day": [
        "It was the day you met the most new artists.",
        "More first-time artists turned up that day than on any other.",
        "No other day brought you as many first meetings.",
    ],
    "biggest_top_artist_day": [
        "It was your biggest day with your top artist of the year.",
        "No other day gave your number one artist as much room.",
    ],
    "biggest_top_genre_day": [
        "It was your biggest day for your top genre of the year.",
        "Your favourite genre never had a bigger day.",
    ],
    "most_nostalgic_day": [
        "It was your most nostalgic day of the year.",
        "No day leaned further into the back catalogue.",
    ],
    "most_unusual_day": [
        "It was the day your listening looked least like the rest of your year.",
        "Of all your days, this one broke pattern the most.",
    ],
}
CAT_DETAIL = {
    "biggest_music_day": [
        "You stacked up {dmin} that day, across {dplays}.",
        "{dmin}, spread over {dartists}.",
        "The tally: {dmin}, {dplays}, {dartists}.",
    ],
    "biggest_podcast_day": [
        "{show} kept you company on a day of {dmin}.",
        "You gave the day {dmin}, and {show} was the show you spent it with most.",
    ],
    "biggest_discovery_day": [
        "You found {newart} that day, with {topnew} leading the newcomers.",
        "{newart} turned up in one day, and {topnew} got the most of your time among them.",
        "That day brought {newart}.",
    ],
    "biggest_top_artist_day": [
        "{ytop_day} filled {ytop_day_min} of it.",
        "You gave {ytop_day} {ytop_day_min} that day alone.",
    ],
    "biggest_top_genre_day": [
        "{genre_day} took up {genre_day_min} that day.",
        "That day held {genre_day_min} of {genre_day}.",
    ],
    "most_nostalgic_day": [
        "{throw_min} went to music released in {cutoff} or earlier.",
        "You spent {throw_min} on songs from {cutoff} or before, and the oldest was {oldest} by {oldest_by}, from {oldest_year}.",
        "The oldest thing you played was {oldest} by {oldest_by}, released in {oldest_year}.",
    ],
    "most_unusual_day": [
        "You played {dplays} by {dartists} that day.",
        "It held {dmin}, across {dartists}.",
    ],
}


def why(cat: str) -> list[str]:
    return DAY_WHY.get(cat, ["It stood out from the rest of your year."])


def detail(cat: str) -> list[str]:
    return CAT_DETAIL.get(cat, ["You played {dplays} that day."])


GENERIC_DAY = [
    "You played {dplays} that day.",
    "The first song came on {first_part}, and the last one {last_part}.",
    "You started {first_part} and were still going {last_part}.",
    "Things got going {first_part}: {first} by {first_by} was up first.",
    "By the time you stopped, {last_part}, {dartists} had had a turn.",
    "{first} by {first_by} opened proceedings {first_part}.",
    "Your day's headliner was {dtop}, with {dtop_min} of airtime.",
    "{dtop_u} led the day: {dtop_min}, more than anyone else got from you that day.",
    "You pressed play on {dtrack} by {dtrack_by} {dtrack_plays_n} times that day.",
    "{dtop_u} got {dtop_min} of your attention that day, more than any other artist on the day.",
    "The day opened with {first} by {first_by}.",
    "You heard {dartists} before the day was out.",
]
YEAR = [
    "Across the year, {ytop} was your top artist.",
    "Zoom out and {ytop} is the name at the top of your year, with {ytop_min}.",
    "Your year belonged to {ytop}: more time with them than with any other artist.",
    "Over the whole year you logged {ymin}.",
    "You listened on {ydays} this year.",
    "Your most-played track of the year was {ytrackp} by {ytrackp_by}, with {ytrackp_plays}.",
    "{ygenre} was your top genre of the year.",
    "{busy} was your busiest day of the week.",
    "You heard {yartists} over the year.",
    "Your top three artists of the year were {ytop}, {ytop2} and {ytop3}.",
    "Runner-up for the year: {ytop2}, right behind {ytop}.",
    "Who was your top artist this year? {ytop}.",
    "In second place for the year, just behind {ytop}, sat {ytop2}.",
    "No track got more replays this year than {ytrackp}.",
    "On repeat all year: {ytrackp} by {ytrackp_by}, {ytrackp_plays_n} times.",
    "{yartp} was the artist you pressed play on most this year, {yartp_plays} in all.",
    "You spent more time with {ytop} than with any other artist, {ytop_min} in all.",
    "Your listening peaked on {busy}s.",
    "The song you came back to most this year? {ytrackp}, by {ytrackp_by}.",
    "Most-streamed song of {year}: {ytrackp}, {ytrackp_plays} of it.",
    "Your favourite artist of {year} was {ytop}, with {ytop_plays}.",
    "Top genre of the year, by a nose or a mile: {ygenre}.",
    "Across {ydays}, you listened to {ytracks}.",
]

# Styles ------------------------------------------------------------------------------------
# each: title (list), paras: list of paragraphs, each a list of slots (list of templates)
STYLES: dict[str, dict] = {}


def style(name: str, **kw) -> None:
    STYLES[name] = kw


style(
    "chatty_bestie",
    title=[
        "Okay, {date_short} was a whole moment",
        "Let's talk about {date_short}",
        "Remember {weekday}?",
    ],
    paras=[
        [
            ["Okay, so. {date}. You remember it, right?", "Can we talk about {date} for a second?"],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["And honestly? Zooming out, {yearline_l}", "Also, {yearline_l}"],
            [
                "That's the kind of detail that makes a year feel like yours.",
                "Love that for you, genuinely.",
            ],
        ],
    ],
    fill=["No notes. Just vibes.", "We noticed, and we're glad you pressed play."],
)
style(
    "sincere_letter",
    title=["A note about {date_short}", "Dear listener, about {date_short}", "For you: {date_th}"],
    paras=[
        [
            ["Dear you,", "Hello again,"],
            ["I wanted to write to you about {date}."],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["{yearline}"],
            ["{yearline2}"],
            [
                "Thank you for letting the music keep you company.",
                "With warm regards, and more songs to come.",
            ],
        ],
    ],
    fill=[
        "It is a small thing to notice, and I noticed it.",
        "Days like this one are why we keep a record at all.",
    ],
    hedge="exact",
)
style(
    "sports_commentary",
    title=["{date_short}: the match report", "Full time on {date_short}", "What a game, {weekday}"],
    paras=[
        [
            ["And we're underway on {date}!", "Kick-off, {date}, and the crowd is on its feet!"],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["Looking at the season table, {yearline_l}", "Season stats: {yearline_l}"],
            ["{yearline2}"],
            [
                "What a performance from you.",
                "The pundits will be talking about this one for weeks.",
            ],
        ],
    ],
    fill=["Unbelievable scenes.", "You simply refused to stop."],
)
style(
    "radio_dj",
    title=[
        "Coming up: your {date_short}",
        "On the air: {date_short}",
        "Request line, {weekday} edition",
    ],
    paras=[
        [
            [
                "Good evening, night owls and early birds, and this one goes out to you.",
                "You're tuned in, and tonight we're spinning back to {date}.",
            ],
            ["Rewind the tape to {date}.", "{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["Before the next record: {yearline_l}", "Quick one before the break, {yearline_l}"],
            ["Stay tuned, you're listening to your own year.", "Keep those requests coming."],
        ],
    ],
    fill=["Turn it up a notch.", "The phone lines are lit."],
)
style(
    "weather_report",
    title=[
        "Forecast for {date_short}: heavy music",
        "{date_short}: conditions report",
        "Your weather, {weekday}",
    ],
    paras=[
        [
            ["Here's your forecast for {date}.", "A look at the conditions on {date}."],
            ["{why}"],
            ["Expect {dmin}, with scattered {dplays} throughout the day.", "{detail}"],
            ["{generic}"],
        ],
        [
            [
                "The long-range outlook: {yearline_l}",
                "Seasonal averages tell a story too: {yearline_l}",
            ],
            ["{yearline2}"],
            ["Visibility: excellent. Mood: you decide.", "That's the weather; back to you."],
        ],
    ],
    fill=["Winds light, playlists strong.", "No umbrella needed, just headphones."],
    hedge="hedged",
)
style(
    "recipe_card",
    title=[
        "Recipe: one {weekday}, well seasoned",
        "How to cook a {date_short}",
        "The {date_short} recipe",
    ],
    paras=[
        [
            ["Take one {weekday}, specifically {date}.", "Start with {date}."],
            ["Add a generous pinch of {weekday} mood.", "Preheat the speakers."],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["For the base stock, {yearline_l}", "Pantry staples this year: {yearline_l}"],
            ["Season with {yearline2_l}", "{yearline2}"],
            ["Serve warm, and go back for seconds.", "Serves one: you."],
        ],
    ],
    fill=["Let it simmer.", "Stir gently and taste as you go."],
)
style(
    "award_speech",
    title=[
        "And the award for {date_short} goes to you",
        "Best Day, {year}: {date_short}",
        "Acceptance speech for {date_short}",
    ],
    paras=[
        [
            ["Thank you, thank you, please sit down.", "Wow. I did not prepare anything."],
            ["I'd like to accept this award on behalf of {date}."],
            ["{why}"],
            ["{detail}"],
        ],
        [
            [
                "I want to thank {ytop}, your top artist of the year, without whom none of this would be possible.",
                "I want to thank the whole year, where {yearline_l}",
            ],
            ["{yearline2}"],
            [
                "And most of all, I want to thank you, for pressing play.",
                "Goodnight, and keep listening.",
            ],
        ],
    ],
    fill=["The orchestra is playing me off.", "I'll be brief."],
)
style(
    "diary_entry",
    title=["Dear diary: {date_short}", "{date_iso}, a diary page", "Notes from {weekday}"],
    paras=[
        [
            [
                "Dear diary, today was {date}, and you, dear reader, were busy.",
                "{date_iso}. You again, writing yourself into the record.",
            ],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["{generic}"],
            ["Thinking about the whole year: {yearline_l}", "{yearline}"],
            ["Going to sleep on that thought.", "More tomorrow, probably."],
        ],
    ],
    fill=["Some days just fit.", "It felt like your kind of day."],
)
style(
    "listicle_prose",
    title=[
        "Five things about your {date_short}",
        "{date_short}, by the numbers",
        "What we learned on {date_short}",
    ],
    paras=[
        [
            [
                "First things first: {date} was special for you.",
                "Number one, the day itself: {date}.",
            ],
            ["Second, {why_l}"],
            ["Third, {detail_l}"],
            ["Fourth, {generic_l}"],
        ],
        [
            ["And fifth, the big picture: {yearline_l}", "Finally, a bonus fact: {yearline_l}"],
            ["That's the list.", "Bookmark this one."],
        ],
    ],
    fill=["Yes, we counted.", "Every item checks out."],
)
style(
    "news_bulletin",
    title=[
        "Breaking: {date_short} in your headphones",
        "Bulletin: {date_short}",
        "This just in, {weekday}",
    ],
    paras=[
        [
            ["This just in from {date}.", "Reports are coming in about {date}."],
            ["{why}"],
            ["Sources confirm {detail_l}"],
            ["{generic}"],
        ],
        [
            ["In other news, {yearline_l}", "Analysts note that {yearline_l}"],
            ["{yearline2}"],
            ["More as this story develops.", "Back to you in the studio."],
        ],
    ],
    fill=["Officials described the listening as steady.", "No further details were released."],
)
style(
    "gentle_poet",
    title=["Small hours of {date_short}", "A song for {date_short}", "The light on {weekday}"],
    paras=[
        [
            ["On {date}, you let the music in.", "There was {date}, and there was you, listening."],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["Somewhere across the year, {yearline_l}", "{yearline}"],
            ["Some days hum long after they end.", "And the songs stayed."],
        ],
    ],
    fill=["Quiet, then not quiet.", "A day kept like a pressed flower."],
    hedge="hedged",
)
style(
    "question_led",
    title=["What happened on {date_short}?", "Who were you on {date_short}?", "Guess the day"],
    paras=[
        [
            ["What made {date} different?", "Why does {date} stand out?"],
            ["{why}"],
            ["How much music? {detail}"],
            ["{generic}"],
        ],
        [
            ["And the year? {yearline}", "What about the bigger picture? {yearline}"],
            ["{yearline2}"],
            ["Any guesses for next year?", "Who knows what comes next?"],
        ],
    ],
    fill=["Curious, isn't it?", "Worth asking."],
)
style(
    "museum_placard",
    title=["Exhibit: {date_short}", "Gallery label, {date_iso}", "On display: one {weekday}"],
    paras=[
        [
            ["Exhibit 14. {date}.", "Untitled (Your {weekday}), {date_iso}."],
            ["Medium: headphones, attention."],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["Context: {yearline_l}", "Curator's note: {yearline_l}"],
            ["{yearline2}"],
            ["On permanent loan from you.", "Please do not touch the playlist."],
        ],
    ],
    fill=["Lent by the listener.", "Acquired in {year}."],
    hedge="exact",
)
style(
    "film_trailer",
    title=["In a world... {date_short}", "Coming soon: {date_short}", "{weekday}: the movie"],
    paras=[
        [
            [
                "In a year full of days, one stood out.",
                "This winter, or whenever, one day changes everything.",
            ],
            ["{date}."],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["Starring {ytop}, your top artist of the year.", "Featuring {yearline_l}"],
            ["{yearline2}"],
            ["Rated U for you.", "Now playing, in your ears only."],
        ],
    ],
    fill=["One listener.", "No intermission."],
)
style(
    "data_nerd",
    title=["{date_iso}: a data note", "Stats for {date_short}", "A quick readout, {weekday}"],
    paras=[
        [
            [
                "Quick readout for {date_iso}, which was a {weekday}.",
                "Data point of the year: {date}.",
            ],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["Year-level context: {yearline_l}", "For calibration, {yearline_l}"],
            ["{yearline2}"],
            ["Sample size of one, and still a clear signal.", "The numbers speak for you."],
        ],
    ],
    fill=["Numbers checked.", "No outliers removed."],
    hedge="exact",
)
style(
    "hedged_analyst",
    title=[
        "Roughly speaking, {date_short}",
        "Approximately {date_short}",
        "A ballpark look at {weekday}",
    ],
    paras=[
        [
            [
                "Let's round things a little, because {date} deserves the big picture.",
                "Ballpark figures for {date}.",
            ],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["Over the year, {yearline_l}", "Give or take, {yearline_l}"],
            ["{yearline2}"],
            ["Close enough to tell the story.", "The rounding is ours; the listening was yours."],
        ],
    ],
    fill=["Nothing here is exaggerated.", "We kept the numbers honest."],
    hedge="hedged",
)
style(
    "casual_text",
    title=["{date_short} tho", "ok but {date_short}", "{weekday} check-in"],
    paras=[
        [
            ["ok so {date}, you remember that one", "{date}. big day for you ngl"],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["also {yearline_l}", "and the year overall: {yearline_l}"],
            ["{yearline2}"],
            ["anyway. good year", "thats it thats the post"],
        ],
    ],
    fill=["no notes", "respect"],
    lower=True,
)
style(
    "fairy_tale",
    title=["Once upon a {weekday}", "The tale of {date_short}", "A story for {date_short}"],
    paras=[
        [
            [
                "Once upon a time, on {date}, there lived a listener, and that listener was you.",
                "In a land not far away, {date} dawned like any other.",
            ],
            ["{why}"],
            ["{detail}"],
        ],
        [
            [
                "And all through the kingdom of your year, {yearline_l}",
                "The wise ones of the realm wrote it down: {yearline_l}",
            ],
            ["{yearline2}"],
            ["And you listened happily ever after.", "The end, for now."],
        ],
    ],
    fill=["The birds sang along.", "Nobody could say why, but it felt right."],
)
style(
    "noir_detective",
    title=["The case of {date_short}", "{date_short}, file closed", "Night shift, {weekday}"],
    paras=[
        [
            [
                "The file landed on my desk: {date}.",
                "It was {date}, and the city was quiet except for your headphones.",
            ],
            ["{why}"],
            ["The evidence: {detail_l}"],
            ["{generic}"],
        ],
        [
            ["I pulled the year's records. {yearline}", "Motive? {yearline}"],
            ["{yearline2}"],
            ["Case closed, kid. You've got taste.", "I lit nothing, and filed the report."],
        ],
    ],
    fill=["The trail was warm.", "Nothing adds up like a good playlist."],
)
style(
    "coach_pep",
    title=["{date_short}: personal best", "Training log, {date_short}", "You showed up, {weekday}"],
    paras=[
        [
            ["Let's go! {date} was a personal best.", "Coach here. Let's review {date}."],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["Season totals: {yearline_l}", "Zoom out to the season: {yearline_l}"],
            ["{yearline2}"],
            ["Consistency wins. Hydrate, stretch, press play.", "Proud of the work you put in."],
        ],
    ],
    fill=["Form looked great.", "Reps on reps."],
)
style(
    "travelogue",
    title=["Postcard from {date_short}", "Travels through {date_short}", "Arrived: {weekday}"],
    paras=[
        [
            [
                "We arrived in {date} without a map.",
                "Greetings from {date}, where the music never paused.",
            ],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["{generic}"],
            [
                "From up here the whole year is visible: {yearline_l}",
                "The guidebook says {yearline_l}",
            ],
            ["Wish you were here, except you were.", "Onward to the next stop."],
        ],
    ],
    fill=["The locals were friendly.", "Every street had a soundtrack."],
)
style(
    "timeline",
    title=["{date_short}, step by step", "The {date_short} timeline", "How {weekday} unfolded"],
    paras=[
        [
            ["{date}.", "Timeline, {date_iso}."],
            ["Morning or night, the music started: {generic_l}"],
            ["Then: {detail_l}"],
            ["{why}"],
        ],
        [
            ["Meanwhile, across the year: {yearline_l}", "Year to date: {yearline_l}"],
            ["{yearline2}"],
            ["Next entry: whatever you play next.", "End of timeline."],
        ],
    ],
    fill=["Noted.", "Logged."],
    hedge="exact",
)
style(
    "quiz_show",
    title=["Quiz night: {date_short}", "For ten points: {date_short}", "Name that day"],
    paras=[
        [
            ["Welcome back to the quiz, and tonight's contestant is you.", "Fingers on buzzers!"],
            ["First question: what happened on {date}?"],
            ["Correct answer: {why_l}"],
            ["Bonus round: {detail_l}"],
        ],
        [
            [
                "Final question: who was your top artist of the year? It was {ytop}.",
                "Speed round: {yearline_l}",
            ],
            ["{yearline2}"],
            ["You win the whole year.", "Thanks for playing."],
        ],
    ],
    fill=["Applause, please.", "Judges?"],
)
style(
    "tasting_notes",
    title=["Tasting notes: {date_short}", "Vintage {year}, {date_short}", "Notes on a {weekday}"],
    paras=[
        [
            ["On the nose, {date} is bright and full-bodied.", "A generous pour from {date}."],
            ["{why}"],
            ["{detail}"],
        ],
        [
            [
                "The finish is long: {yearline_l}",
                "Pairs well with the rest of the year, where {yearline_l}",
            ],
            ["{yearline2}"],
            ["Cellar it and come back next year.", "A classic."],
        ],
    ],
    fill=["Layered and warm.", "Balanced, with a lingering chorus."],
)
style(
    "gardener",
    title=["What grew on {date_short}", "In bloom: {date_short}", "Garden log, {weekday}"],
    paras=[
        [
            [
                "Every garden has a day when everything opens at once, and yours was {date}.",
                "On {date}, your garden was busy.",
            ],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["The deep roots of your year: {yearline_l}", "Season's harvest: {yearline_l}"],
            ["{yearline2}"],
            ["Water, wait, listen.", "Next season, more blooms."],
        ],
    ],
    fill=["New shoots everywhere.", "Patience pays."],
    hedge="hedged",
)
style(
    "spoken_intro",
    title=["Hey, it's your {date_short}", "Quick hello about {date_short}", "Hi from {weekday}"],
    paras=[
        [
            ["Hey you. Got a minute?", "Hi! Quick one."],
            ["Let's go back to {date}."],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["{yearline}"],
            ["{yearline2}"],
            ["Thanks for listening, truly.", "Okay, that's all. Go play something."],
        ],
    ],
    fill=["It's a good one.", "You'll like this."],
)
style(
    "plays_counter",
    title=["{date_short}, counted in plays", "Play count: {date_short}", "Press play, {weekday}"],
    paras=[
        [
            [
                "Count the plays on {date} and you get {dplays}.",
                "On {date} you pressed play on {dplays}.",
            ],
            ["{why}"],
            ["{detail}"],
        ],
        [
            [
                "Your most-played track of the year: {ytrackp} by {ytrackp_by}, with {ytrackp_plays}.",
                "The song you came back to most this year was {ytrackp} by {ytrackp_by}.",
                "No artist got more of your plays this year than {yartp}, with {yartp_plays}.",
            ],
            ["{yearline}"],
            ["Every play counts.", "That's a lot of pressing play."],
        ],
    ],
    fill=["Click, click, click.", "We counted so you didn't have to."],
)
style(
    "british_wry",
    title=[
        "Right, about {date_short}",
        "{date_th}: a modest triumph",
        "A quiet word about {weekday}",
    ],
    paras=[
        [
            ["Right. {date}.", "Let's not make a fuss, but {date} was rather something."],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["Meanwhile, the year as a whole: {yearline_l}", "For the record, {yearline_l}"],
            ["{yearline2}"],
            ["Not bad at all, really.", "Quietly brilliant, as these things go."],
        ],
    ],
    fill=["Understated, naturally.", "One does like a good day."],
)
style(
    "american_hype",
    title=["{date_short} was HUGE", "Let's gooo, {date_short}", "Big energy on {weekday}"],
    paras=[
        [
            ["Let's go! {date} was HUGE for you!", "Okay, {date}: absolutely stacked."],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["And the year? {yearline}", "Year in review, baby: {yearline_l}"],
            ["{yearline2}"],
            ["Keep that energy coming.", "You earned this one."],
        ],
    ],
    fill=["Seriously.", "No cap, a great day."],
)
style(
    "minimal",
    title=["{date_short}", "{weekday}", "{date_iso}"],
    paras=[
        [["{date}."], ["{why}"], ["{detail}"], ["{generic}"]],
        [["{yearline}"], ["{yearline2}"], ["Yours.", "That's all."]],
    ],
    fill=["Enough said.", "Simple."],
    hedge="exact",
)
style(
    "lab_notes",
    title=["Lab notes, {date_iso}", "Observation log: {date_short}", "Experiment: your {weekday}"],
    paras=[
        [
            ["Observation date: {date}.", "Subject: you. Date: {date_iso}."],
            ["Finding one: {why_l}"],
            ["Finding two: {detail_l}"],
            ["{generic}"],
        ],
        [
            ["Control group, the rest of the year: {yearline_l}", "Background: {yearline_l}"],
            ["{yearline2}"],
            ["Conclusion: you like music. Results replicate.", "Further study recommended."],
        ],
    ],
    fill=["Method: listening.", "Error bars small."],
    hedge="exact",
)
style(
    "storyteller_long",
    title=[
        "The long version of {date_short}",
        "How {date_short} went",
        "Sit down, it's about {weekday}",
    ],
    paras=[
        [
            [
                "Pull up a chair, because the story of {date} takes a minute to tell, and it is worth every second of it.",
                "There are days that slip by without a mark, and then there is {date}, which left one.",
            ],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            [
                "If you step back and look at the whole year, the shape is easy to see: {yearline_l}",
                "Widen the frame to the whole year and {yearline_l}",
            ],
            ["{yearline2}"],
            [
                "That is the kind of year that deserves to be told slowly, and we are glad you lived it.",
                "And that, more or less, is how it went.",
            ],
        ],
    ],
    fill=[
        "It was not a loud day, but it was a full one.",
        "You will not remember every song, but the day remembers you.",
    ],
)
style(
    "ballpark_figures",
    title=["Give or take, {date_short}", "Round numbers for {date_short}", "{weekday}, roughly"],
    paras=[
        [
            ["No decimals today, just the shape of {date}.", "Ballpark time: {date}."],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["{yearline}"],
            ["{yearline2}"],
            ["Round numbers, real listening.", "Close enough to feel right, true enough to count."],
        ],
    ],
    fill=["We rounded fairly.", "Give or take a song."],
    hedge="hedged",
)

style(
    "nature_documentary",
    title=[
        "The listener in its habitat, {date_short}",
        "Wild {weekday}",
        "Field notes: {date_short}",
    ],
    paras=[
        [
            [
                "Here, in its natural habitat, we observe you on {date}.",
                "Dawn breaks over {date}, and the listener stirs.",
            ],
            ["{why}"],
            ["Remarkably, {detail_l}"],
            ["{generic}"],
        ],
        [
            [
                "Over the seasons, a pattern emerges: {yearline_l}",
                "Researchers have tracked you all year: {yearline_l}",
            ],
            ["{yearline2}"],
            ["Truly, one of nature's great listeners.", "And so the cycle continues."],
        ],
    ],
    fill=["A rare sight.", "We watch in silence."],
)
style(
    "press_release",
    title=[
        "FOR IMMEDIATE RELEASE: {date_short}",
        "Announcement regarding {date_short}",
        "Statement on {weekday}",
    ],
    paras=[
        [
            ["FOR IMMEDIATE RELEASE. {date}.", "Today we can confirm the following about {date}."],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["About the listener: {yearline_l}", "Background for editors: {yearline_l}"],
            ["{yearline2}"],
            ["Media enquiries: you already know everything.", "Ends."],
        ],
    ],
    fill=["The listener declined to comment.", "Further figures are available on request."],
    hedge="exact",
)
style(
    "horoscope",
    title=["Your stars for {date_short}", "Horoscope: {weekday}", "The planets on {date_short}"],
    paras=[
        [
            [
                "The stars aligned for you on {date}.",
                "With the moon in your headphones, {date} arrived.",
            ],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["{generic}"],
            [
                "Looking at your whole chart for the year, {yearline_l}",
                "Your rising sign this year: {yearline_l}",
            ],
            ["Lucky colour: whatever the album cover was.", "The cosmos approves."],
        ],
    ],
    fill=["Mercury was not in retrograde, for once.", "Trust the process."],
    hedge="hedged",
)
style(
    "train_announcement",
    title=[
        "Now arriving: {date_short}",
        "Platform 2, {weekday} service",
        "Calling at {date_short}",
    ],
    paras=[
        [
            ["The next service arriving is {date}.", "Ladies and gentlemen, this is {date}."],
            ["{why}"],
            ["Calling points on this service, in order of appearance: {detail_l}"],
            ["{generic}"],
        ],
        [
            [
                "Passengers travelling the full year should note that {yearline_l}",
                "Network update: {yearline_l}",
            ],
            ["{yearline2}"],
            ["Please mind the gap between albums.", "Thank you for travelling with your own ears."],
        ],
    ],
    fill=["This train is on time.", "Please keep your headphones with you at all times."],
)
style(
    "product_review",
    title=["Five stars for {date_short}", "Review: {date_short}", "Verified listener, {weekday}"],
    paras=[
        [
            ["Rating: five out of five for {date}.", "Verified review of {date}."],
            ["Pros: {why_l}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            [
                "Long-term review, after a year of use: {yearline_l}",
                "Update after a full year: {yearline_l}",
            ],
            ["{yearline2}"],
            ["Would listen again.", "Highly recommended, by you, to you."],
        ],
    ],
    fill=["Arrived on time.", "No cons found."],
)
style(
    "ships_log",
    title=["Ship's log, {date_iso}", "Captain's entry: {date_short}", "Log of the {weekday} watch"],
    paras=[
        [
            ["Ship's log, {date}.", "Captain's entry for {date_iso}."],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["Charting the whole voyage, {yearline_l}", "Navigator's note: {yearline_l}"],
            ["{yearline2}"],
            ["Fair winds, steady course.", "All hands accounted for, all songs played."],
        ],
    ],
    fill=["Calm seas.", "The compass held."],
)
style(
    "stand_up",
    title=["So, {date_short}, huh?", "A bit about {date_short}", "{weekday} material"],
    paras=[
        [
            ["So I was looking at your {date}, right?", "You ever have a day like {date}?"],
            ["{why}"],
            ["{detail}"],
            ["{generic}"],
        ],
        [
            ["And then I see the year: {yearline_l}", "And the whole year? {yearline}"],
            ["{yearline2}"],
            ["You've been great, goodnight!", "Tip your bartender, wait, no, tip your speakers."],
        ],
    ],
    fill=["I'm serious.", "Stay with me here."],
)
style(
    "yearbook",
    title=[
        "Most likely to press play: {date_short}",
        "Yearbook page, {year}",
        "Superlatives for {weekday}",
    ],
    paras=[
        [
            ["Yearbook entry, {year}.", "Class of {year}, page one: you."],
            ["Best day: {date}."],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["Superlatives: {yearline_l}", "Voted by you, for you: {yearline_l}"],
            ["{yearline2}"],
            ["Stay in touch, keep listening.", "Never change."],
        ],
    ],
    fill=["Sign my yearbook.", "See you next year."],
)
style(
    "bedtime_story",
    title=[
        "A bedtime story about {date_short}",
        "Goodnight, {weekday}",
        "Sleepy tale of {date_short}",
    ],
    paras=[
        [
            [
                "Once, on {date}, a listener curled up with some songs.",
                "Close your eyes and remember {date}.",
            ],
            ["{why}"],
            ["{detail}"],
        ],
        [
            ["And all year long, {yearline_l}", "Through every season, {yearline_l}"],
            ["{yearline2}"],
            ["Sleep tight, and dream in choruses.", "The end. Lights out."],
        ],
    ],
    fill=["Softly now.", "The stars were listening too."],
    hedge="hedged",
)
