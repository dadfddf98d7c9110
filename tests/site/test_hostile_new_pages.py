"""Empty, huge, malformed and hostile input on the pages this change added: each is refused
with a 4xx or a sentence on the page, never a 500, and nothing half-written."""

from __future__ import annotations

import pytest

from coproduce.coding import codebook, findings
from coproduce.coding.models import Memo, ThemeRun
from coproduce.publications import easy_read
from coproduce.publications.models import EasyReadPart
from coproduce.studies.models import Role
from tests.support.factories import client_for, study_with_team

pytestmark = pytest.mark.django_db

HUGE = "x" * 200_000


def test_hostile_input_on_the_new_pages_is_refused_without_a_server_error() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    other, other_team = study_with_team("other-study")
    findings.save_finding(study, owner, "Buses fail people")
    part = easy_read.version_for(study, owner).parts.get(kind=EasyReadPart.Kind.FINDING)
    foreign = easy_read.version_for(other, other_team[Role.OWNER])
    foreign_image = foreign.images.create(data=b"x", kind="image/png", alt="x")
    code = codebook.add_code(study, owner, "Transport")
    client = client_for(owner)
    base = f"/studies/{study.slug}"
    answers = [
        client.post(f"{base}/easy-read/parts/{part.pk}/", {"action": "save", "heading": ""}),
        client.post(
            f"{base}/easy-read/parts/{part.pk}/",
            {"action": "save", "heading": "H", "text-0": HUGE, "picture-0": "<script>\x00"},
        ),
        client.post(
            f"{base}/easy-read/parts/{part.pk}/",
            {"action": "save", "heading": "H", "text-0": "Hi.", "choose-0": "../../etc"},
        ),
        client.post(f"{base}/easy-read/parts/999999/", {"action": "save"}),
        client.post(f"{base}/easy-read/check/", {"text": HUGE}),
        client.post(f"{base}/easy-read/check/", {}),
        client.post(
            f"{base}/easy-read/", {"action": "settings", "title": HUGE, "text_size": "9" * 40}
        ),
        client.post(f"{base}/easy-read/", {"action": "word", "word": "", "meaning": HUGE}),
        client.get(f"{base}/easy-read/pictures/..%2F..%2Fsecret.svg"),
        client.get(f"{base}/easy-read/pictures/ZZZZ.svg"),
        client.get(f"{base}/easy-read/images/{foreign_image.pk}/"),
        client.get(f"{base}/passages/", {"code": "abc", "coder": HUGE, "format": "exe"}),
        client.get(f"{base}/passages/", {"code": str(code.pk), "format": "docx", "role": HUGE}),
        client.post(f"{base}/memos/", {"action": "add", "text": HUGE}),
        client.post(f"{base}/memos/", {"action": "add", "text": "x", "code": "999999"}),
        client.post(f"{base}/memos/", {"action": "add", "text": "x", "item": HUGE}),
        client.post(f"{base}/memos/", {"action": "remove", "memo": "abc"}),
        client.post(f"{base}/themes/", {"action": "suggest", "backend": HUGE, "k": "9" * 30}),
        client.get(f"{base}/agreement/", {"unit": HUGE, "coder": [HUGE, ""]}),
    ]
    statuses = [a.status_code for a in answers]
    assert all(s < 500 for s in statuses), statuses
    assert statuses[3] == 404 and statuses[8] == 404 and statuses[9] == 404
    assert statuses[10] == 404  # another study's picture
    part.refresh_from_db()
    assert all(len(p["text"]) <= easy_read.MOST_TEXT for p in part.points)
    assert not Memo.objects.filter(study=study).exists()
    assert not ThemeRun.objects.filter(study=study).exists()
