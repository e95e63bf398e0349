"""The demo organization's people and the pilot's story: pure data, no I/O.

Executives (mentees, born 1955-1980) meet digital natives (mentors, born 1985-2004): young
employees of Demo Mobility AG and external talents of the partner network NextGen Talents.
No planned tandem shares a department, and every planned pair shares a language.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import time

from app.domain.goal import GoalStatus
from app.domain.session import SessionStatus
from app.domain.values import MeetingFormat, Topic
from app.services.people import NewProfile

ORG_NAME = "Demo Mobility AG"
ORG_DOMAIN = "demo-mobility.example"
PARTNER_NAME = "NextGen Talents"
PARTNER_DOMAIN = "nextgen-talents.example"
UPCOMING_TITLE = "Reverse Mentoring 2027"
PILOT_TITLE = "Reverse Mentoring Pilot"
# The demo's webhook endpoint: a name that never resolves (RFC 6761), so every delivery fails
# and the delivery log shows tries, errors and the next retry, as a receiver that is down would
WEBHOOK_URL = "https://webhooks.invalid/tandem"
WEBHOOK_DESCRIPTION = "Demo: a receiver that is never reachable, to show retries in the delivery log"
WEBHOOK_EVENT_TYPES = frozenset(
    {"program.status_changed", "tandem.proposed", "tandem.status_changed", "matching_run.completed"}
)

ON_SITE, SHADOWING, VIDEO, PHONE = (
    MeetingFormat.ON_SITE,
    MeetingFormat.SHADOWING_DAY,
    MeetingFormat.VIDEO_CALL,
    MeetingFormat.PHONE,
)

TIKTOK = "TikTok verstehen"
EMPLOYER = "What do young talents expect of an employer?"
FEEDBACK = "Feedback-Kultur"
AI = "AI tools in daily work"
GREEN = "Nachhaltigkeit / sustainability"
LINKEDIN = "LinkedIn personal branding"
REMOTE = "Remote collaboration"
GAMING = "Gaming & Community"
DIVERSITY = "Diversity & Inclusion"

# Local start time and length in minutes of each kind of meeting.
SLOTS = {ON_SITE: (time(16, 0), 90), SHADOWING: (time(9, 0), 480), VIDEO: (time(17, 30), 60), PHONE: (time(12, 30), 45)}

KEY_QUESTIONS = {
    TIKTOK: "Warum verbringt meine Zielgruppe Stunden auf TikTok, und gehört unsere Marke dorthin?",
    EMPLOYER: "Why do young talents turn down our offers, and what would make them stay?",
    FEEDBACK: "Wie gebe ich Feedback, das bei Berufseinsteigern wirklich ankommt?",
    AI: "Which AI tools save time in my week without risking confidential data?",
    GREEN: "Was erwartet die Generation Z von uns in Sachen Klimaschutz?",
    LINKEDIN: "How do I build a personal brand on LinkedIn without sounding like a press release?",
    REMOTE: "Wie führe ich ein Team, das sich selten im Büro sieht?",
    GAMING: "Why are gaming communities so loyal, and what can a brand learn from them?",
    DIVERSITY: "Wie werden wir für junge Menschen jeder Herkunft ein attraktiver Arbeitgeber?",
}


def t(name: str, priority: int = 3) -> Topic:
    return Topic(name, priority)


@dataclass(frozen=True, slots=True)
class PersonSeed:
    """One demo profile. ``topics`` are a mentee's needs or a mentor's offers."""

    name: str
    born: int
    department: str | None
    seniority: str
    city: str
    bio: str
    interests: tuple[str, ...]
    topics: tuple[Topic, ...]
    languages: tuple[str, ...] = ("de", "en")
    formats: tuple[MeetingFormat, ...] = (ON_SITE, VIDEO)
    timezone: str = "Europe/Berlin"
    partner_ref: str | None = None  # NextGen Talents' own id for an external talent

    @property
    def email(self) -> str:
        plain = self.name.removeprefix("Dr. ").lower()
        for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            plain = plain.replace(umlaut, spelled)
        ascii_name = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
        return f"{ascii_name.replace(' ', '.')}@{PARTNER_DOMAIN if self.partner_ref else ORG_DOMAIN}"

    def profile(self) -> NewProfile:
        """What ``people.create_person`` takes."""
        return NewProfile(
            display_name=self.name,
            email=self.email,
            birth_year=self.born,
            bio=f"{self.bio} Talent of {PARTNER_NAME}." if self.partner_ref else self.bio,
            interests=self.interests,
            languages=self.languages,
            department=self.department,
            seniority=self.seniority,
            city=self.city,
            timezone=self.timezone,
            preferred_formats=self.formats,
            source="partner" if self.partner_ref else "internal",
            external_id=self.partner_ref,
        )


P = PersonSeed
LONDON, VIENNA = "Europe/London", "Europe/Vienna"

# Compact rows: name, born, department, seniority, city / bio / interests, topics, options.
# fmt: off
EXECUTIVES: tuple[PersonSeed, ...] = (
    P("Dr. Karin Schäfer", 1962, "Board", "CEO", "München",
      "Leads Demo Mobility AG since 2016; wants to understand the customers of 2035.",
      ("Segeln", "Oper"), (t(TIKTOK, 5), t(LINKEDIN, 4), t(EMPLOYER, 3)), formats=(ON_SITE, SHADOWING)),
    P("Thomas Brandt", 1968, "Finance", "CFO", "Frankfurt",
      "Numbers person, marathon runner, sceptical but curious about AI.",
      ("Marathon", "Jazz"), (t(AI, 5), t(REMOTE, 2))),
    P("Sabine Krüger", 1971, "HR", "Chief People Officer", "Hamburg",
      "Builds the employer brand and wants to hear it from the people it is meant for.",
      ("Yoga", "Podcasts"), (t(EMPLOYER, 5), t(FEEDBACK, 4), t(DIVERSITY, 3)), formats=(VIDEO, ON_SITE)),
    P("Michael Wagner", 1965, "Sales", "Head of Sales DACH", "Köln",
      "Thirty years in sales; his kids game, he wants to know why.",
      ("Fußball", "Grillen"), (t(GAMING, 5), t(TIKTOK, 3)), formats=(VIDEO, PHONE)),
    P("Andreas Hoffmann", 1959, "Operations", "COO", "Berlin",
      "Runs depots and workshops; hybrid teams are new territory for him.",
      ("Oldtimer", "Wandern"), (t(REMOTE, 5), t(AI, 3)), formats=(ON_SITE, SHADOWING)),
    P("Dr. Claudia Neumann", 1974, "Legal", "General Counsel", "Frankfurt",
      "Data protection lawyer who wants to try the tools she regulates.",
      ("Klavier", "Krimis"), (t(AI, 4), t(LINKEDIN, 3))),
    P("Richard Whitfield", 1966, "Strategy", "Chief Strategy Officer", "London",
      "Brit in the German board; owns the 2030 sustainability targets.",
      ("Cricket", "Gardening"), (t(GREEN, 5), t(AI, 4)), languages=("en",), formats=(VIDEO, ON_SITE), timezone=LONDON),
    P("Brigitte Lehmann", 1958, "Procurement", "Head of Procurement", "Hamburg",
      "Negotiates with 400 suppliers; wants greener supply chains.",
      ("Chor", "Nordsee"), (t(GREEN, 4), t(FEEDBACK, 3)), languages=("de",)),
    P("Stefan Becker", 1977, "Fleet Management", "Director Fleet", "München",
      "Electrifies 12,000 vehicles and the culture around them.",
      ("Mountainbike", "E-Autos"), (t(REMOTE, 3), t(TIKTOK, 3))),
    P("Monika Fischer", 1963, "Corporate Communications", "Head of Communications", "Berlin",
      "Press releases are her craft; short video is not yet.",
      ("Theater", "Kochen"), (t(TIKTOK, 5), t(LINKEDIN, 4))),
    P("Jürgen Weber", 1956, "Board", "Chairman of the Supervisory Board", "München",
      "Engineer by training, chairman by trust; asks the big questions.",
      ("Golf", "Geschichte"), (t(EMPLOYER, 4), t(GREEN, 3)), languages=("de",), formats=(ON_SITE, PHONE)),
    P("Petra Schulz", 1969, "Finance", "Head of Controlling", "Frankfurt",
      "Excel virtuoso who suspects there is more than Excel.",
      ("Tango", "Reisen"), (t(AI, 5), t(FEEDBACK, 2))),
    P("Martin Koch", 1972, "Operations", "Head of Maintenance", "Köln",
      "Keeps trains and buses running; recruits mechatronics apprentices.",
      ("Modellbau", "Angeln"), (t(EMPLOYER, 4), t(GAMING, 3)), languages=("de",), formats=(ON_SITE, SHADOWING)),
    P("Elisabeth Gruber", 1967, "Sales", "Managing Director Austria", "Wien",
      "Runs the Austrian business from Vienna; her team is spread over three countries.",
      ("Skifahren", "Kaffeehaus"), (t(REMOTE, 4), t(LINKEDIN, 3)), formats=(VIDEO, PHONE), timezone=VIENNA),
    P("Frank Zimmermann", 1961, "Legal", "Head of Compliance", "Berlin",
      "Guardian of the rules, open to rethinking how they are explained.",
      ("Schach", "Radfahren"), (t(FEEDBACK, 4), t(DIVERSITY, 3))),
    P("Susanne Wolf", 1975, "HR", "Head of Talent Acquisition", "Köln",
      "Hires 300 people a year and wants to speak their language.",
      ("Laufen", "Serien"), (t(TIKTOK, 4), t(EMPLOYER, 4))),
    P("Helmut Braun", 1955, "Board", "Board Member Technology", "Hamburg",
      "Built the first ticketing system in 1989; curious what comes after the app.",
      ("Segelfliegen", "Astronomie"), (t(AI, 4), t(GAMING, 2)), languages=("de",)),
    P("Catherine Hughes", 1970, "Finance", "Head of Investor Relations", "Frankfurt",
      "Explains the company to investors who increasingly ask about ESG.",
      ("Rowing", "Opera"), (t(GREEN, 5), t(LINKEDIN, 3)), languages=("en", "de")),
    P("Ralf Hartmann", 1964, "Real Estate", "Head of Real Estate", "Berlin",
      "Plans offices for a workforce that rarely comes in.",
      ("Architektur", "Tennis"), (t(REMOTE, 5), t(GREEN, 3)), formats=(ON_SITE, SHADOWING)),
    P("Gabriele Schmitt", 1980, "Sales", "Head of Key Accounts", "München",
      "Born just before the line; wants to catch up with her youngest clients.",
      ("Pilates", "Weinbau"), (t(LINKEDIN, 4), t(AI, 3))),
)

NATIVES: tuple[PersonSeed, ...] = (
    P("Lena Vogt", 1998, "Marketing", "Social Media Manager", "München",
      "Runs the corporate TikTok and Instagram accounts.",
      ("Fotografie", "Bouldern"), (t(TIKTOK, 5), t(LINKEDIN, 4)), formats=(ON_SITE, SHADOWING, VIDEO)),
    P("Jonas Keller", 1995, "IT", "Data Scientist", "Frankfurt",
      "Builds forecasting models and an internal chatbot.",
      ("Open Source", "Basketball"), (t(AI, 5), t(REMOTE, 3))),
    P("Aylin Demir", 1999, "Digital", "Product Owner App", "Berlin",
      "Owns the ticketing app; her team works across four cities.",
      ("Poetry Slam", "Kochen"), (t(REMOTE, 5), t(FEEDBACK, 4)), formats=(ON_SITE, SHADOWING, VIDEO)),
    P("Noah Richter", 2001, "Trainee Program", "Dual Student Business Informatics", "Köln",
      "Dual student, streams speedruns at night.",
      ("Gaming", "Skateboarding"), (t(GAMING, 5), t(TIKTOK, 3))),
    P("Mia Schneider", 1997, "Customer Experience", "UX Researcher", "Hamburg",
      "Interviews passengers for a living.",
      ("Kaffee", "Fahrradreisen"), (t(FEEDBACK, 4), t(EMPLOYER, 3))),
    P("Leon Bauer", 1993, "E-Mobility", "Charging Infrastructure Engineer", "München",
      "Plans charging hubs; volunteers in a climate initiative.",
      ("Klettern", "Solarenergie"), (t(GREEN, 5), t(AI, 3))),
    P("Emma Clarke", 1996, "Data & Analytics", "Analytics Engineer", "London",
      "Measures the carbon footprint of every trip in the network.",
      ("Climbing", "Board games"), (t(GREEN, 5), t(AI, 4)),
      languages=("en",), formats=(VIDEO, ON_SITE), timezone=LONDON),
    P("Finn Schröder", 2000, "IT", "Cloud Engineer", "Hamburg",
      "Automates everything twice.",
      ("Segeln", "Mechanische Tastaturen"), (t(AI, 4), t(REMOTE, 4))),
    P("Hannah Yilmaz", 1994, "Marketing", "Employer Branding Lead", "Berlin",
      "Tells the company's story to applicants.",
      ("Podcasts", "Yoga"), (t(EMPLOYER, 5), t(LINKEDIN, 4))),
    P("Luca Romano", 1990, "Product", "Product Manager Mobility-as-a-Service", "Berlin",
      "Builds the on-demand shuttle product.",
      ("Espresso", "Vinyl"), (t(REMOTE, 4), t(AI, 3))),
    P("Sophie Lange", 2002, "Trainee Program", "Working Student Sustainability", "Köln",
      "Studies sustainability management, loves data.",
      ("Second Hand", "Urban Gardening"), (t(GREEN, 5), t(TIKTOK, 3))),
    P("Paul Nguyen", 1992, "Engineering", "Software Engineer", "Frankfurt",
      "Writes the routing engine; mentors at a coding school.",
      ("Badminton", "Kochen"), (t(AI, 4), t(FEEDBACK, 3))),
    P("Clara Weiß", 1988, "Sustainability", "ESG Analyst", "München",
      "Prepares the sustainability report.",
      ("Wandern", "Lesen"), (t(GREEN, 5), t(LINKEDIN, 3))),
    P("Elias Winter", 2003, "Trainee Program", "IT Apprentice", "Hamburg",
      "Apprentice, builds Discord bots for his community.",
      ("Gaming", "Discord"), (t(GAMING, 5), t(AI, 3))),
    P("Marie Dietrich", 1985, "Design", "Service Designer", "Berlin",
      "Designs stations people enjoy waiting in.",
      ("Keramik", "Stadtplanung"), (t(FEEDBACK, 4), t(DIVERSITY, 4))),
    P("Tim Köhler", 1991, "Digital", "Agile Coach", "Köln",
      "Moderates retrospectives in person and on Miro.",
      ("Improtheater", "Laufen"), (t(FEEDBACK, 5), t(REMOTE, 4))),
    P("Julia Kaiser", 1997, "Customer Experience", "Community Manager", "Wien",
      "Runs the passenger community from Vienna.",
      ("Musik", "Kaffeehaus"), (t(GAMING, 3), t(TIKTOK, 4)), formats=(VIDEO, PHONE), timezone=VIENNA),
    P("Ben Albrecht", 2004, "Trainee Program", "Mechatronics Apprentice", "München",
      "Apprentice in the bus workshop; explains TikTok to everyone.",
      ("Motocross", "TikTok"), (t(TIKTOK, 4), t(EMPLOYER, 4)), languages=("de",)),
    P("Zoe Fuchs", 2000, None, "Content Creator", "Berlin",
      "Creator with 180k followers; studies media management.",
      ("Content Creation", "Mode"), (t(EMPLOYER, 5), t(TIKTOK, 5), t(FEEDBACK, 4)),
      formats=(VIDEO, ON_SITE), partner_ref="ngt-0003"),
    P("Malik Osei", 1999, None, "Esports Community Manager", "Hamburg",
      "Grew a Twitch community to 40k members.",
      ("Esports", "Streetball"), (t(GAMING, 5), t(TIKTOK, 3)), formats=(VIDEO, PHONE), partner_ref="ngt-0007"),
    P("Lara Pohl", 2003, None, "Student Sustainability Management", "Köln",
      "Climate activist, organizes school strikes.",
      ("Klimaschutz", "Vegan kochen"), (t(GREEN, 5), t(DIVERSITY, 3)), partner_ref="ngt-0011"),
    P("Daniel Kim", 1996, None, "Founder", "Frankfurt",
      "Founded an AI start-up for document processing.",
      ("Start-ups", "Tischtennis"), (t(AI, 5), t(LINKEDIN, 3)), partner_ref="ngt-0014"),
    P("Amelie Seidel", 2001, None, "Personal Branding Coach", "München",
      "LinkedIn Top Voice for careers.",
      ("Schreiben", "Reiten"), (t(LINKEDIN, 5), t(EMPLOYER, 4)), partner_ref="ngt-0018"),
    P("Oliver Grant", 1994, None, "Remote Work Consultant", "London",
      "Has worked remote-first for eight years.",
      ("Travel", "Photography"), (t(REMOTE, 5), t(AI, 3)),
      languages=("en",), formats=(VIDEO,), timezone=LONDON, partner_ref="ngt-0021"),
    P("Selin Arslan", 2002, None, "Computer Science Student", "Berlin",
      "Won two hackathons with AI prototypes.",
      ("Hackathons", "Volleyball"), (t(AI, 4), t(DIVERSITY, 4)), partner_ref="ngt-0025"),
    P("Niklas Berg", 1998, None, "Game Designer", "Hamburg",
      "Designs mobile games with two million players.",
      ("Game Jams", "Synthesizer"), (t(GAMING, 5), t(FEEDBACK, 3)), partner_ref="ngt-0029"),
    P("Yara Haddad", 1997, None, "Diversity Trainer", "Frankfurt",
      "Trains teams in inclusive hiring.",
      ("Literatur", "Boxen"), (t(DIVERSITY, 5), t(EMPLOYER, 4)), partner_ref="ngt-0032"),
    P("Felix Engel", 2004, None, "Youth Panel Researcher", "Köln",
      "Runs a Gen Z panel of 2,000 teenagers.",
      ("Umfragen", "Handball"), (t(EMPLOYER, 5), t(TIKTOK, 4)), partner_ref="ngt-0036"),
    P("Nora Lindqvist", 1995, None, "Digital Nomad & Agile Coach", "Berlin",
      "Coaches distributed teams from wherever the Wi-Fi is good.",
      ("Surfen", "Sprachen"), (t(REMOTE, 5), t(FEEDBACK, 4)), formats=(VIDEO, PHONE), partner_ref="ngt-0040"),
    P("Samuel Adeyemi", 1993, None, "Podcast Host", "München",
      "Hosts a podcast on the future of work.",
      ("Podcasting", "Afrobeats"), (t(LINKEDIN, 4), t(EMPLOYER, 4)), partner_ref="ngt-0043"),
)
# fmt: on


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """``day`` counts from today (negative: past); ``outcome`` is held, missed or (future) scheduled."""

    day: int
    format: MeetingFormat
    outcome: SessionStatus
    agenda: str
    ratings: tuple[int, int] = (0, 0)  # (mentee, mentor); 0 means no feedback


@dataclass(frozen=True, slots=True)
class TandemPlan:
    mentee: str
    mentor: str
    goals: tuple[tuple[str, GoalStatus], ...]
    sessions: tuple[SessionPlan, ...]


S, DONE, BUSY, OPEN = SessionPlan, GoalStatus.ACHIEVED, GoalStatus.IN_PROGRESS, GoalStatus.OPEN
HELD, MISSED, PLANNED = SessionStatus.HELD, SessionStatus.MISSED, SessionStatus.SCHEDULED

# fmt: off
PILOT_TANDEMS: tuple[TandemPlan, ...] = (
    TandemPlan(
        "Dr. Karin Schäfer", "Lena Vogt",
        (("How does TikTok work?", DONE), ("Eigenes LinkedIn-Profil schärfen", BUSY),
         ("Ein Tag im Social-Media-Team", OPEN)),
        (S(-70, ON_SITE, HELD, "Kennenlernen, Erwartungen, erste TikTok-Runde", (5, 5)),
         S(-42, SHADOWING, HELD, "Shadowing day in the social media team", (5, 4)),
         S(-14, ON_SITE, HELD, "LinkedIn-Profil gemeinsam überarbeiten", (4, 5)),
         S(6, VIDEO, PLANNED, "Erster eigener LinkedIn-Post")),
    ),
    TandemPlan(
        "Thomas Brandt", "Jonas Keller",
        (("Use ChatGPT safely for board memos", BUSY), ("KI-Werkzeuge im Controlling ausprobieren", OPEN)),
        (S(-63, ON_SITE, HELD, "Which AI tools exist, which are allowed?", (4, 4)),
         S(-35, VIDEO, MISSED, "Prompting basics"),
         S(-9, ON_SITE, HELD, "Prompting basics, second attempt", (5, 4)),
         S(10, VIDEO, PLANNED, "Copilot in Excel")),
    ),
    TandemPlan(
        "Sabine Krüger", "Zoe Fuchs",
        (("What do young talents expect of an employer?", DONE), ("Feedback-Kultur im HR-Team", BUSY)),
        (S(-56, VIDEO, HELD, "Was Bewerber:innen heute erwarten", (4, 5)),
         S(-28, VIDEO, HELD, "Karriereseite aus Gen-Z-Sicht", (4, 4)),
         S(-12, ON_SITE, HELD, "Feedback geben und nehmen", (5, 5)),
         S(3, VIDEO, PLANNED, "Employer-Branding-Video planen")),
    ),
    TandemPlan(  # the low ratings make this tandem need a check-in
        "Michael Wagner", "Malik Osei",
        (("Why gaming communities are loyal", BUSY), ("Einmal selbst ein Turnier ansehen", OPEN)),
        (S(-49, VIDEO, HELD, "Twitch, Discord und Co.", (3, 4)),
         S(-19, PHONE, HELD, "Community-Regeln und Sponsoring", (2, 3)),
         S(8, VIDEO, PLANNED, "Neustart: Erwartungen klären")),
    ),
    TandemPlan(
        "Andreas Hoffmann", "Aylin Demir",
        (("Hybride Teams führen", BUSY), ("Remote collaboration tools in the depot", DONE),
         ("Retros mit Schichtteams", OPEN)),
        (S(-45, SHADOWING, HELD, "Ein Tag im App-Team", (4, 4)),
         S(-23, ON_SITE, HELD, "Miro, Teams und Async-Updates", (4, 5)),
         S(-5, SHADOWING, HELD, "Gegenbesuch im Betriebshof", (5, 5)),
         S(14, ON_SITE, PLANNED, "Erste hybride Retro")),
    ),
    TandemPlan(  # no held session for weeks: at risk
        "Richard Whitfield", "Emma Clarke",
        (("What Gen Z expects on climate action", BUSY), ("Read a carbon dashboard", OPEN)),
        (S(-52, VIDEO, HELD, "Sustainability through a Gen Z lens", (4, 3)),
         S(-30, VIDEO, MISSED, "Carbon dashboard walkthrough"),
         S(4, ON_SITE, PLANNED, "Carbon dashboard walkthrough, rebooked")),
    ),
    TandemPlan(  # the late pair: its first meeting is still ahead, too early to tell
        "Petra Schulz", "Paul Nguyen",
        (("KI-Werkzeuge im Controlling ausprobieren", OPEN),),
        (S(5, ON_SITE, PLANNED, "Kennenlernen: welche Berichte kosten die meiste Zeit?"),),
    ),
)
# fmt: on

PILOT_EXTRA_MENTEES = ("Dr. Claudia Neumann",)
PILOT_EXTRA_MENTORS = ("Daniel Kim", "Lara Pohl")
UPCOMING_MENTORS = 16  # how many natives outside the pilot's tandems enroll in the upcoming program

COMMENTS = {
    5: "Sehr inspirierend, ich nehme viel mit.",
    4: "Good session, clear next steps.",
    3: "Okay, but we ran out of time.",
    2: "Wir reden aneinander vorbei; wir sollten die Erwartungen klären.",
    1: "Did not work for me.",
}
