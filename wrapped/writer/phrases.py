"""The embedded writer's phrase bank, in the spirit of the v1 system prompt.

Witty, sincere, quietly playful; safe; second person. Written in American spelling (the writer
localizes the literal text). `{slot}` placeholders are filled only from `slots.py`, so every
name and number a phrase states comes from the listener's data; a phrase whose slots are missing
is simply not chosen. Day slots start with `d_` (the day's facts) or are `the_date`, `weekday`,
`month`, `first_title`, `first_by`, `log_regular`.

Per category: `titles`, `openers` (what made the day interesting) and `details` (one more
grounded fact about the day). Shared: `details` for any day, `bridges` to the year, `closers`.
"""

from __future__ import annotations

CATEGORY: dict[str, dict[str, list[str]]] = {
    "biggest_music_day": {
        "titles": [
            "The Day the Volume Won",
            "{weekday}, Turned All the Way Up",
            "Your Loudest {weekday}",
            "{d_music_minutes} Minutes of {weekday}",
            "The Soundtrack Ran Long",
            "Main Stage, {month}",
        ],
        "openers": [
            "On {the_date}, the music simply did not stop: {d_music_minutes} minutes of it, your biggest music day of the year.",
            "Some days have a soundtrack. {the_date} was mostly soundtrack, with {d_music_minutes} minutes of music across {d_music_plays} plays, more than any other day of your year.",
            "If your year had a main stage, {the_date} was the headline slot. You pressed play {d_plays} times and clocked {d_music_minutes} minutes of music.",
            "Nothing else this year came close to {the_date}: {d_music_minutes} minutes of music and barely a quiet moment to speak of.",
            "Of all the days in your listening year, {the_date} was the one with the most music in it, {d_music_minutes} minutes from start to finish.",
        ],
        "details": [
            "{d_top_artist} set the pace, with {d_top_artist_plays} of those plays.",
            "{d_distinct_artists} different artists got a turn, and {d_top_artist} got the most.",
            # the day's top track is its top by minutes: "came back to most" would claim plays
            'The track you spent the most time with that day was "{d_top_track}" by {d_top_track_artist}.',
        ],
    },
    "biggest_podcast_day": {
        "titles": [
            "The Day of Long Listening",
            "Tuned In on {weekday}",
            "{weekday}, in Good Company",
            "All Ears in {month}",
            "A Full {weekday} of Talk",
        ],
        "openers": [
            "On {the_date}, you gave the talkers the floor: {d_podcast_minutes} minutes of podcasts, your biggest podcast day of the year.",
            "{the_date} was a day for listening closely. You spent {d_podcast_minutes} minutes with podcasts, more than on any other day.",
            "Some days call for conversation. On {the_date} you settled in for {d_podcast_minutes} minutes of podcasts across {d_podcast_plays} episodes.",
            "Your biggest podcast day arrived on {the_date}, when {d_podcast_minutes} minutes of talk kept you company.",
        ],
        "details": [
            "{d_top_show} did the most talking, with {d_top_show_minutes} minutes of your day.",
            "{d_top_show} did the most talking.",
        ],
    },
    "biggest_discovery_day": {
        "titles": [
            "New Names on {weekday}",
            "The Day Your Library Grew",
            "{d_new_artists} New Doors",
            "Fresh Ears in {month}",
            "A {weekday} of First Listens",
        ],
        "openers": [
            "On {the_date} you went exploring: {d_new_artists} artists you had never played before turned up in a single day, your biggest discovery day of the year.",
            "Curiosity peaked on {the_date}. {d_new_artists} artists made their debut in your listening that day, more than on any other.",
            "Every library needs new shelves. On {the_date} you added {d_new_artists} artists you had never played before.",
            "Your biggest discovery day was {the_date}, when {d_new_artists} brand-new artists found their way into your ears.",
        ],
        "details": [
            "Of the newcomers, {d_top_new_artist} got the most of your time.",
            "{d_top_new_artist} made the strongest first impression.",
        ],
    },
    "biggest_top_artist_day": {
        "titles": [
            "A Whole Day with {d_year_top_artist}",
            "{d_year_top_artist}, On Repeat (Politely)",
            "The {d_year_top_artist} Show",
            "Your {weekday} with {d_year_top_artist}",
        ],
        "openers": [
            "On {the_date}, {d_year_top_artist} all but had the day to themselves: {d_year_top_artist_plays} plays and {d_year_top_artist_minutes} minutes, more than on any other day.",
            "Should {d_year_top_artist} ever ask who was listening, point them to {the_date}: {d_year_top_artist_minutes} minutes in a single day.",
            "{the_date} belonged to {d_year_top_artist}, your top artist of the year. You gave them {d_year_top_artist_minutes} minutes that day, your most for them on any day.",
            "Every favorite has its day. For {d_year_top_artist}, your top artist of the year, it was {the_date}, with {d_year_top_artist_plays} plays.",
        ],
        "details": [
            'The track that came round most was "{d_top_track}" by {d_top_track_artist}.',
            "Across the year they earned {top_artist_minutes} minutes of your time, and this day was their finest hour.",
        ],
    },
    "biggest_top_genre_day": {
        "titles": [
            "Deep in {d_year_top_genre}",
            "A {weekday} of {d_year_top_genre}",
            "All Day in {d_year_top_genre}",
            "Genre of the Day",
        ],
        "openers": [
            "On {the_date}, {d_year_top_genre} took over: {d_year_top_genre_minutes} minutes of it, more of your top genre than on any other day.",
            "{the_date} was {d_year_top_genre} through and through, with {d_year_top_genre_plays} plays and {d_year_top_genre_minutes} minutes of your favorite sound.",
            "Your top genre had its biggest day on {the_date}: {d_year_top_genre_minutes} minutes of {d_year_top_genre}.",
            "If {d_year_top_genre} is the color of your year, {the_date} was painted in it, {d_year_top_genre_plays} plays deep.",
        ],
        "details": [
            "{d_top_artist} did the heavy lifting, with {d_top_artist_plays} plays.",
            'The standout was "{d_top_track}" by {d_top_track_artist}.',
        ],
    },
    "most_nostalgic_day": {
        "titles": [
            "Rewind, {weekday}",
            "The Day You Time-Traveled",
            "Back Catalog {weekday}",
            "An Old Favorite Kind of Day",
        ],
        "openers": [
            "On {the_date} you took the long way back: {d_throwback_minutes} minutes of music released in {d_cutoff_year} or earlier, your most nostalgic day of the year.",
            "Your most nostalgic day was {the_date}, when the back catalog came calling and you answered with {d_throwback_minutes} minutes of it.",
            "{the_date} had a distinctly vintage color to it: {d_throwback_plays} plays of music from {d_cutoff_year} or earlier.",
        ],
        "details": [
            'The oldest thing you played was "{d_oldest_track}" by {d_oldest_track_artist}, from {d_oldest_year}.',
            'You reached all the way back to {d_oldest_year} with "{d_oldest_track}".',
        ],
    },
    "most_unusual_day": {
        "titles": [
            "Off the Usual Map",
            "The {weekday} Detour",
            "Something Different in {month}",
            "A Change of Scenery",
        ],
        "openers": [
            "{the_date} did not sound like the rest of your year, and that is exactly what made it stand out.",
            "Every year needs a plot twist. Yours came on {the_date}, your most unusual day of listening.",
            "On {the_date} you wandered off your usual path: {d_plays} plays that looked nothing like a typical day for you.",
            "Most of your days have a familiar shape. {the_date} did not, and it was the most unusual day of your year.",
        ],
        "details": [
            "{d_top_artist} led the detour.",
            "The day's most played artist was {d_top_artist}, with {d_top_artist_plays} plays.",
        ],
    },
    "birthday": {
        "titles": [
            "Many Happy Returns (and Replays)",
            "Your Birthday Soundtrack",
            "Birthday, Turned Up",
            "The Birthday Playlist",
        ],
        "openers": [
            "Birthdays deserve a soundtrack, and on yours you wrote it yourself: {d_plays} plays and {d_minutes} minutes.",
            "On your birthday you treated yourself to {d_minutes} minutes of listening. No candles required.",
            "Happy birthday, in hindsight. On the day itself you pressed play {d_plays} times, which seems like the right way to celebrate.",
            "Your birthday this year came with {d_minutes} minutes of listening, a present you picked out yourself.",
        ],
        "details": [
            "{d_top_artist} got the most invitations to the party.",
            "The guest of honor was {d_top_artist}, with {d_top_artist_plays} plays.",
        ],
    },
    "new_years_day": {
        "titles": [
            "First Track of the Year",
            "New Year, First Play",
            "How Your Year Began",
            "Opening Lines",
        ],
        "openers": [
            'Your listening year opened on New Year\'s Day with "{first_title}" by {first_by}. Not a bad first line.',
            'Every year needs an opening track. Yours was "{first_title}" by {first_by}, and you kept going for {d_plays} plays on New Year\'s Day.',
            "On New Year's Day you eased in gently: {d_plays} plays and {d_minutes} minutes to set the tone for everything after.",
            "The year was only hours old when you pressed play. By the end of New Year's Day you had listened for {d_minutes} minutes.",
        ],
        "details": [
            "{d_top_artist} made the strongest start, with {d_top_artist_plays} plays.",
            '"{d_top_track}" by {d_top_track_artist} had a good first day too.',
        ],
    },
}

#: Details any day can use (the day's own log and facts).
DETAILS: list[str] = [
    'It started with "{first_title}" by {first_by}, and the day took it from there.',
    'The first play was "{first_title}" by {first_by}.',
    "{log_regular} kept turning up in the mix.",
    "You listened for {d_minutes} minutes in all that day.",
]

#: Connections to the year (the stats block).
BRIDGES: list[str] = [
    "For the record, {top_artist} was your top artist of the year, with {top_artist_minutes} minutes all told.",
    "Across the whole year you listened on {listening_days} different days, so this one had plenty of competition.",
    "Zoom out and you spent {total_minutes} minutes listening this year, with {distinct_artists} different artists along the way.",
    "Your longest run was {streak_days} days of listening in a row, which says a lot about how steady your year was.",
    "Your listening personality this year was {personality}, and this day makes the case nicely.",
    'Your top track of the year was "{top_track}" by {top_track_by}, {top_track_plays} plays in all.',
    "{year_new_artists} artists were new to you this year, and plenty of them got a fair hearing.",
    "Over the year, {top_genre} was your top genre, which explains a lot in the best way.",
    "At one point you played {artist_streak_artist} {artist_streak_days} days running. Loyalty looks good on you.",
    "All year, you listened {top_part} more than at any other time of day.",
    "{top_podcast} was your top podcast of the year, {top_podcast_minutes} minutes of good company.",
    "Over the whole year, {music_minutes} minutes of music kept you company.",
]

#: Last lines: no data, no claims.
CLOSERS: list[str] = [
    "Here's to more days like it.",
    "Same time next year?",
    "Turn it up; it suits you.",
    "A good day to have ears.",
    "Consider it a day well spent.",
    "Whatever the reason, it sounded like a good one.",
    "Some days you listen to music; some days it listens back.",
    "We noticed, and we think it was lovely.",
    "Keep the volume where it belongs.",
    "That is a day worth remembering.",
]

#: Claim-free sentences, used only when a listener's data is too thin to reach 60 words.
FILLERS: list[str] = [
    "Not every day gets a story. This one earned it.",
    "It is the kind of day that only shows up when someone looks closely at a whole year.",
    "Some of the best listening happens without anyone keeping score, but we kept a small note anyway.",
    "Days like this are what a year of listening is made of.",
]

#: Always-available fallbacks, so every category can be written from the date alone.
FALLBACK_OPENERS: list[str] = [
    "{the_date} stood out in your listening year, and it is worth a second look.",
    "Of all the days in your year, {the_date} earned a story of its own.",
]
FALLBACK_TITLES: list[str] = ["A Day Worth Remembering", "Your {weekday} in {month}"]
