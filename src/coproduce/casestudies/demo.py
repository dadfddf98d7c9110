"""Five demo case studies, each with a joint interview of about 2,000 words (an organisation's
representative and a service user, with an interviewer), imported through the transcript
reader like a real .txt file, and a filled-in case-study record with chosen quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coproduce.casestudies import services
from coproduce.casestudies.models import Perspective
from coproduce.core.evidence import ConsentLevel
from coproduce.demo.registry import DemoContext, register_demo_part
from coproduce.studies.models import Organisation, Role
from coproduce.uploads import Upload

GUIDE = [
    "Can you tell me what the organisation does and who it is for?",
    "What is the co-production example we are talking about today?",
    "How did it start, and who had the idea?",
    "What does a typical week or meeting look like?",
    "How are decisions made, and who has the final say?",
    "What helped it work?",
    "What got in the way, and how did you deal with it?",
    "How are people supported to take part: money, time, access?",
    "What has changed because of it, for the organisation?",
    "What has changed because of it, for the people who use the service?",
    "What would you say to another organisation starting out?",
    "Is there anything we have not asked that you want to add?",
]


@dataclass(frozen=True)
class Case:
    slug: str
    staff: str
    member: str
    who: str
    example: str
    activity: str
    place: str
    decision: str
    change_staff: str
    change_member: str
    hurdle: str
    # The organisation's member of staff answers at length and the service user gets few words
    # in: the interview the voice-equity page flags (a realistic imbalance for the demo).
    staff_dominates: bool = False


# What the talkative member of staff adds after their answers, one after another.
AT_LENGTH = (
    "And if I can just add to that, because I think it matters: we have thought about this a "
    "lot as an organisation and we have written it into our plans for the next three years.",
    "I would also say that the board hears about this every quarter, so it is not something "
    "we take lightly, and we have been on training about it as a staff team.",
    "Just to build on that, we share what we learn with other groups in the borough, at the "
    "forum, and they often tell us they want to do the same.",
    "If I may, the other thing is that our policies were rewritten last year with all of this "
    "in mind, and the funders were very pleased with how we set it out.",
)

CASES = [
    Case(
        "canal-street-food-collective",
        "Angela",
        "Dev",
        "anyone in the neighbourhood who needs food or company, many of them on low incomes",
        "members run the pay-as-you-feel shop and decide together what it stocks and charges",
        "the weekly stock meeting",
        "the back room of the shop",
        "a show of hands at the members' meeting, with the manager holding no extra vote",
        "we waste far less food and the shop now covers its own rent",
        "people who came for a food parcel now run the till and the kitchen",
        "the freezer broke twice and the insurance would not cover volunteers on the till",
    ),
    Case(
        "open-doors-tenants",
        "Gareth",
        "Precious",
        "private and social tenants who are in dispute with a landlord or facing eviction",
        "tenants design and deliver the advice sessions, with a housing solicitor on call",
        "the Thursday drop-in advice session",
        "the community centre on the estate",
        "the tenants' steering group, which signs off every new session",
        "our advice is used by twice as many people and fewer cases reach court",
        "tenants who were once evicted now explain rights to others in plain words",
        "the council's housing team did not trust advice that did not come from a professional",
    ),
    Case(
        "bridgewater-young-carers",
        "Nadia",
        "Kyle",
        "young people aged 8 to 25 who look after someone at home",
        "a young people's panel shapes every service, from the summer trips to the school packs",
        "the monthly panel evening",
        "the youth centre, with pizza and lifts home",
        "the panel votes, and staff have to explain in writing if they cannot do what it asks",
        "our school awareness pack is now used in thirty schools",
        "young carers are believed when they ask for help at school",
        "exams, caring and panel dates all landing in the same fortnight",
        staff_dominates=True,
    ),
    Case(
        "second-chapter-recovery",
        "Marie",
        "Lee",
        "people affected by drugs and alcohol, and their families",
        "people in recovery co-design the peer mentoring scheme and train the new mentors",
        "the mentor training days",
        "the recovery café",
        "the mentors' circle, where anyone with lived experience can block a change",
        "the scheme now reaches people the statutory service never saw",
        "mentors have paid work, references and a reason to get up in the morning",
        "a mentor relapsed and we had no policy for what happens to their role",
    ),
    Case(
        "stepping-out-arts",
        "Ruth",
        "Sunil",
        "disabled artists and audiences across the city-region",
        "disabled artists choose, make and tour the season's work, with access built in from the "
        "start",
        "the programming meetings",
        "the studio, which is step-free with a quiet room",
        "the artists' board, which has a majority of disabled members",
        "venues now book access workers as standard, not as an extra",
        "artists who were told they could not perform are now on the touring bill",
        "funders wanted outcomes counted in audience numbers, not in who got to make the work",
    ),
]

STAFF = [
    "We are a small team, four paid staff and a lot of volunteers, and we work with {who}. "
    "I have been here six years, and I started as a volunteer myself.",
    "The example is simple to say and harder to do: {example}. We have done it this way for "
    "about three years now, and it has changed how the whole place feels.",
    "Honestly, it started because something was not working. We kept designing things in the "
    "office and nobody came. One of our members said, in front of the board, that we should stop "
    "guessing and ask. So we did, and then we kept asking.",
    "Most of the work happens at {activity}, in {place}. There is an agenda, but anyone can add "
    "to it on the day, and we always start with what happened since last time. I try to talk "
    "least. That is harder than it sounds.",
    "Decisions are made by {decision}. The board agreed that in writing, which matters, because "
    "when the pressure is on it is very easy to slip back into staff deciding and telling people "
    "afterwards.",
    "Three things helped. Paying people for their time, properly and on time. Having the same "
    "faces every week, so trust could build. And being honest about what we could not change, "
    "like the funding rules, instead of pretending everything was up for discussion.",
    "What got in the way was that {hurdle}. We dealt with it by talking it through openly rather "
    "than fixing it behind closed doors, and in the end the members came up with a better answer "
    "than I would have.",
    "We pay for time at the living wage, we cover travel and childcare, and we meet when people "
    "can come, not when it suits the office. Some people want to be paid and some do not, and both "
    "are fine. The key is that it is their choice.",
    "For us the biggest change is that {change_staff}. But there is a quieter change too: staff "
    "are less afraid of being challenged, because the challenge is now part of the job.",
    "I think the members should answer that one, but from where I sit, {change_member}. You can "
    "see it in how people walk in: they do not wait to be told where to sit.",
    "Start before you feel ready. Budget for it from the beginning, not from what is left over. "
    "And give away something real, a decision or some money, early on, so people know it is not "
    "just another consultation.",
    "Only that it takes longer than anyone expects, and it is worth it. We nearly gave up in the "
    "first year. I am glad we did not.",
]
MEMBER = [
    "I first came here when things were really hard for me. I did not want to talk to anyone. "
    "Now I am here most weeks, and I am part of how it runs.",
    "For me it means {example}. It is not a survey. We actually decide things, and then we see "
    "them happen, or we hear why they did not.",
    "I remember the first meeting. There were biscuits and a lot of staff, and I thought it was "
    "going to be another one of those where they write down what you say and you never hear back. "
    "It was not like that. They came back the next month with what they had done.",
    "At {activity} we go round and everyone says one thing. If you do not want to speak you can "
    "pass, and nobody makes a face. That matters more than people think.",
    "We vote, but mostly we talk until we agree. When staff say no, they have to say why, and "
    "sometimes the reason is fair and sometimes it is not, and we say so.",
    "Being paid for my time. I know people say it is not about money, but it is about being "
    "treated like your time is worth something. And the staff remembering my name.",
    "There were times it felt like they were going back to the old way, deciding things first and "
    "asking us after. We called it out, and to be fair to them they listened. It is not perfect.",
    "They pay bus fares on the day, in cash if you need it, which sounds small but is not. And "
    "they sorted a quiet room for me when I needed it, without me having to explain everything.",
    "I can only say what I see: people are treated better, and the service makes more sense "
    "because the people using it helped design it.",
    "For me, {change_member}. For me personally, I got my confidence back. I have done things "
    "this year I would not have believed, like speaking to councillors.",
    "Listen to people properly, and do not only invite the ones who already agree with you. The "
    "awkward ones are the ones who will tell you what is wrong.",
    "Just that people like me are experts too. We know things about this that no report will "
    "tell you.",
]


# Follow-up probes after some guide questions: (after question, probe, staff, member).
PROBES = [
    (
        2,
        "Was anyone against doing it this way at the start?",
        "A couple of our trustees worried that we would lose control of quality, and one funder "
        "asked who would be accountable if it went wrong. We answered that the accountability "
        "does not go away, it gets shared, and we wrote down who does what so nobody was guessing.",
        "Some of us were suspicious, to be honest. We had been asked before and nothing happened. "
        "I only stayed because the second meeting showed they had listened to the first one.",
    ),
    (
        4,
        "How do new people find their way in?",
        "Usually through someone they already know. We pair every newcomer with someone who has "
        "been coming for a while, and we never put new people on the spot in their first meeting.",
        "I brought two people myself. I told them they could just sit and listen, and that is what "
        "they did for a few weeks, and now one of them runs part of it.",
    ),
    (
        1,
        "Who else is involved in that, beyond the two of you?",
        "Our trustees, two of whom use the service themselves, and a handful of partners. The "
        "council sends someone now and then, but they come as guests, not as the people in charge.",
        "There is a core of about ten of us who come most weeks, and then people dip in and out. "
        "That is fine. Not everyone has the time every week, and nobody is made to feel bad "
        "about it.",
    ),
    (
        3,
        "And between meetings, how do people stay involved?",
        "We have a group chat, which some people love and some people hate, so we also send a "
        "short letter by post and we ring round the people who are not online. It takes an "
        "afternoon a month and it is worth every minute.",
        "Mostly the group chat, and sometimes just popping in. If I cannot make a meeting, someone "
        "tells me what happened and asks what I think, so I do not fall behind.",
    ),
    (
        5,
        "Was there a moment when you felt it really was shared?",
        "The first time the members turned down something I had worked hard on. It stung, and "
        "they were right. After that nobody could say it was for show.",
        "When we changed something staff wanted, and they went with it. I thought, right, this is "
        "real. You do not forget that.",
    ),
    (
        6,
        "Did anyone drop out, and do you know why?",
        "Yes. Some people found the meetings too long, and one or two felt the same voices always "
        "won. We shortened the meetings and brought in a rule that everyone speaks once before "
        "anyone speaks twice.",
        "A friend of mine stopped coming because she had a new job with shifts. She still sends "
        "ideas through me. I think if the times were more flexible more people would stay.",
    ),
    (
        8,
        "How do you know those changes happened? What do you count?",
        "We count the obvious things, how many people, how often, but we also keep a book of "
        "stories, things people tell us, and we read them back at the end of each year together.",
        "You can feel it, but I know that is not enough for funders. I helped with the survey last "
        "year, asking people what had changed for them, in their own words.",
    ),
    (
        10,
        "If the funding stopped tomorrow, what would survive?",
        "The habits would survive, I think. The way we ask before we decide. The money pays for "
        "the time and the travel, and without it fewer people could take part, which would matter.",
        "We would keep going in some form. We did before there was any money. But it would be "
        "the people who can afford to give their time, and that is not everyone.",
    ),
]


def transcript(case: Case, organisation: Organisation) -> str:
    """A joint interview in "Name: text" lines, as a transcriber would type it."""
    values = case.__dict__ | {"org": organisation.name}
    lines = [
        "Interviewer: Thank you both for making the time. Before we start, you have both read "
        "the information sheet and agreed to us recording this and quoting you without your "
        "names. Is that still all right?",
        f"{case.staff}: Yes, that is fine with me.",
        f"{case.member}: Yes. And I am happy for you to use what I say, that is why I came.",
        "Interviewer: Good. If you want to stop or take a break at any point, just say. There are "
        "no right answers; we want to hear how it really is, including what does not work.",
    ]
    for i, question in enumerate(GUIDE):
        lines.append(f"Interviewer: {question}")
        first, second = (case.staff, STAFF), (case.member, MEMBER)
        order = (first, second) if i % 3 != 2 else (second, first)
        for name, answers in order:
            said = answers[i].format(**values)
            if case.staff_dominates and name == case.staff:
                said += " " + AT_LENGTH[i % len(AT_LENGTH)]
            lines.append(f"{name}: {said}")
        for after, probe, staff, member in PROBES:
            if after == i:
                lines.append(f"Interviewer: {probe}")
                lines.append(f"{case.staff}: {staff}")
                if not case.staff_dominates:  # the member of staff answers for both
                    lines.append(f"{case.member}: {member}")
    lines.append(
        "Interviewer: That is everything from me. Thank you both, this has been really useful."
    )
    lines.append(f"{case.member}: Thank you for asking us. Will we see what you write?")
    lines.append(
        "Interviewer: Yes. You will both see a draft of the case study and the poster before "
        "anything is published, and you can change or take out anything you are not happy with."
    )
    return "\n\n".join(lines) + "\n"


def build(context: DemoContext) -> None:
    study = context.study
    researcher = context.team[Role.RESEARCHER]
    services.set_guide(study, researcher, GUIDE)
    for n, case in enumerate(CASES):
        organisation = Organisation.objects.get(slug=case.slug)
        record = services.start_case_study(
            study,
            researcher,
            organisation,
            who_it_serves=case.who[0].upper() + case.who[1:] + ".",
            example=case.example[0].upper() + case.example[1:] + ".",
            enabling_factors="Paying people for their time; the same faces every week; "
            f"decisions made by {case.decision}.",
            challenges=case.hurdle[0].upper() + case.hurdle[1:] + ".",
            outcomes_staff=case.change_staff[0].upper() + case.change_staff[1:] + ".",
            outcomes_service_users=case.change_member[0].upper() + case.change_member[1:] + ".",
        )
        text = transcript(case, organisation)
        interview = services.import_interview(
            record,
            researcher,
            Upload(f"{case.slug}-interview.txt", text.encode()),
            consent_level=ConsentLevel.PUBLISH,
            held_on=date(2026, 3, 2 + 7 * n),
            perspectives={
                case.staff: Perspective.ORGANISATION,
                case.member: Perspective.SERVICE_USER,
                "Interviewer": Perspective.INTERVIEWER,
            },
        )
        turns = list(interview.turns.select_related("speaker"))
        for wanted, label in (
            ("Paying people for their time, properly and on time.", case.staff),
            ("Being paid for my time.", case.member),
            ("We actually decide things, and then we see them happen", case.member),
            ("give away something real, a decision or some money, early on", case.staff),
        ):
            turn = next(t for t in turns if t.speaker.label == label and wanted in t.text)
            services.choose_quote(record, researcher, turn, wanted)
        # The team reads the interview and redacts everything the check found.
        found: dict[int, list[tuple[int, int, str]]] = {}
        for turn, hit in services.personal_data(interview):
            found.setdefault(turn.pk, []).append((hit.start, hit.end, hit.kind))
        services.save_check(interview, researcher, found)


register_demo_part("case_studies", 30, build)
