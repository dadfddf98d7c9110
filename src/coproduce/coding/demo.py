"""The demo study's analysis: a codebook, two coders, reviewed themes, findings, recommendations.

Codings are made the way a team would first pass through the evidence: each code has words that
signal it, and each coder codes the sentence where they appear. The second coder differs now and
then (seeded), so the agreement page has something to show.
"""

from __future__ import annotations

import re

from coproduce.coding import codebook
from coproduce.coding.evidence import evidence_by_id
from coproduce.coding.findings import save_finding, save_recommendation
from coproduce.coding.memos import add_memo
from coproduce.coding.models import Code, Coding, Theme, ThemeItem, ThemeStatus
from coproduce.coding.themes import accept, add_theme, suggest
from coproduce.core.evidence import ConsentLevel, may_leave
from coproduce.demo.registry import DemoContext, register_demo_part
from coproduce.studies.models import Role

# (path, description, colour, signal words)
CODES = [
    (["Power and decisions"], "Who decides, and when.", "#1d70b8", []),
    (
        ["Power and decisions", "Decided already"],
        "Decisions made before people were asked.",
        "#d4351c",
        ["already made", "already decided", "tick", "token"],
    ),
    (
        ["Power and decisions", "Deciding together"],
        "People with lived experience share the decision.",
        "#00703c",
        ["decide", "decision", "final say", "vote"],
    ),
    (
        ["Being heard"],
        "Being listened to, and hearing back.",
        "#4c2c92",
        ["listen", "heard", "asked what", "my voice", "ask people"],
    ),
    (["Support to take part"], "What makes taking part possible.", "#f47738", []),
    (
        ["Support to take part", "Paid for time"],
        "Payment, vouchers and expenses.",
        "#b58840",
        ["paid", "paying", "payment", "voucher", "expenses", "money"],
    ),
    (
        ["Support to take part", "Access and time"],
        "Travel, childcare, times and places.",
        "#28a197",
        ["bus", "childcare", "evening", "access", "travel", "library", "forms", "text messages"],
    ),
    (
        ["Trust and relationships"],
        "Knowing people, being welcomed.",
        "#912b88",
        ["trust", "cup of tea", "same faces", "welcome", "friend"],
    ),
    (
        ["What changed"],
        "Changes that followed from taking part.",
        "#5694ca",
        ["changed", "difference", "see them happen", "confidence"],
    ),
]

THEMES = [
    ("Being paid and supported makes taking part possible", ["Support to take part"]),
    (
        "Decisions made before people arrive undo co-production",
        ["Power and decisions > Decided already"],
    ),
    (
        "Sharing real decisions builds trust and change",
        ["Power and decisions > Deciding together", "What changed"],
    ),
    ("People want to be heard, and to hear back", ["Being heard"]),
    ("Relationships come first", ["Trust and relationships"]),
]

FINDINGS = [
    (
        "Taking part costs people money and time; paying them properly is the first condition",
        "Across conversations, stories and interviews, people returned to payment, expenses and the"
        " practical costs of taking part.",
        [0],
    ),
    (
        "Co-production is felt as fake when decisions were made beforehand",
        "People described being consulted on decisions already taken.",
        [1],
    ),
    (
        "Giving away a real decision early builds trust",
        "Staff and members who shared decisions described lasting change.",
        [2],
    ),
    (
        "Feedback is part of being heard",
        "Being listened to mattered, and so did hearing what happened next.",
        [3],
    ),
    ("Relationships are the infrastructure", "Same faces, a cup of tea, neutral places.", [4]),
    (
        "Change follows where power is shared",
        "Changes for staff and members followed shared decisions and steady support.",
        [2, 0],
    ),
]

RECOMMENDATIONS = [
    ("Pay people for their time, properly and on time, and cover every expense.", [0]),
    ("Bring people in before decisions are made, and say plainly what is still open.", [1, 2]),
    ("Tell people what happened to what they said, every time.", [3]),
    ("Budget for relationships: the same staff, regular meetings, neutral places.", [4]),
    ("Share at least one real decision or budget with members early on.", [2, 5]),
]

# The team's memos: one on the study, one on a code (by its path in the codebook).
MEMOS = [
    ("", "Second coding round: both coders read every interview turn before coding stories."),
    (
        "Power and decisions > Decided already",
        "Use this only where the person says the decision came before they were asked.",
    ),
]
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def sentence_with(text: str, word: str) -> tuple[int, int] | None:
    at = text.lower().find(word)
    if at < 0:
        return None
    for m in SENTENCE.finditer(text):
        if m.start() <= at < m.end():
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            return start, m.end()
    return None


def build_codebook(context: DemoContext) -> dict[str, Code]:
    owner = context.team[Role.OWNER]
    made: dict[str, Code] = {}
    for path, description, colour, _words in CODES:
        parent = made.get(" > ".join(path[:-1])) if len(path) > 1 else None
        made[" > ".join(path)] = codebook.add_code(
            context.study, owner, path[-1], parent, description=description, colour=colour
        )
    return made


def code_everything(context: DemoContext, codes: dict[str, Code]) -> None:
    study, rng = context.study, context.rng
    coders = [context.team[Role.OWNER], context.team[Role.CO_RESEARCHER]]
    items = sorted(evidence_by_id(study).values(), key=lambda r: r.evidence_id)
    rows = []
    for record in items:
        for path, _description, _colour, words in CODES:
            span = next((s for w in words if (s := sentence_with(record.text, w))), None)
            if span is None:
                continue
            for n, coder in enumerate(coders):
                if n == 1 and rng.random() < 0.15:
                    continue  # the second coder sometimes sees it differently
                code = codes[" > ".join(path)]
                if n == 1 and rng.random() < 0.06:
                    code = codes[rng.choice([" > ".join(c[0]) for c in CODES if c[3]])]
                rows.append(
                    Coding(
                        study=study,
                        code=code,
                        evidence_id=record.evidence_id,
                        start=span[0],
                        end=span[1],
                        passage=record.text[span[0] : span[1]],
                        coder=coder,
                    )
                )
    Coding.objects.bulk_create(rows, ignore_conflicts=True)


def build_themes(context: DemoContext, codes: dict[str, Code]) -> list[Theme]:
    study, owner = context.study, context.team[Role.OWNER]
    # Quotes only from what may leave: consented to quoting and checked for personal data.
    quotable = {
        r.evidence_id: r for r in may_leave(evidence_by_id(study).values(), ConsentLevel.QUOTE)
    }
    themes = []
    for label, paths in THEMES:
        wanted = [
            c for p, c in codes.items() if any(p == q or p.startswith(q + " > ") for q in paths)
        ]
        codings = Coding.objects.filter(study=study, code__in=wanted, coder=owner).order_by(
            "evidence_id"
        )
        theme = add_theme(study, owner, label)
        quotes_by_strand: dict[str, int] = {}
        seen = set()
        for c in codings:
            if c.evidence_id in seen:
                continue
            seen.add(c.evidence_id)
            record = quotable.get(c.evidence_id)
            quote = ""
            if (
                record is not None
                and quotes_by_strand.get(record.strand, 0) < 1
                and len(c.passage) > 25
            ):
                quote = c.passage
                quotes_by_strand[record.strand] = 1
            ThemeItem.objects.create(theme=theme, evidence_id=c.evidence_id, quote=quote)
        themes.append(theme)
    return themes


def build(context: DemoContext) -> None:
    study, owner = context.study, context.team[Role.OWNER]
    codes = build_codebook(context)
    code_everything(context, codes)
    suggest(study, owner)  # left for the team to review on the themes page
    largest = max(
        Theme.objects.filter(study=study, status=ThemeStatus.SUGGESTED),
        key=lambda t: t.items.count(),
    )
    accept(largest, owner)
    themes = build_themes(context, codes)
    findings = [
        save_finding(study, owner, title, text, [themes[i].pk for i in linked])
        for title, text, linked in FINDINGS
    ]
    for text, linked in RECOMMENDATIONS:
        save_recommendation(study, owner, text, [findings[i].pk for i in linked])
    for path, words in MEMOS:
        code = codes.get(path) if path else None
        add_memo(study, owner, words, code=code)


register_demo_part("analysis", 90, build)
