"""Posters: one A3 page each, tagged (PDF/UA), titled, in English, nothing cut off, with a PNG."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pypdfium2
import pytest
from PIL import Image

from coproduce.core.errors import InvalidInput
from coproduce.core.publishing.model import CaseStudy, Publication, Quote, StrandEvidence
from coproduce.core.publishing.renderers.poster import render_posters
from tests.support.files import png
from tests.support.pdf import language_of, text_of

A3 = (841.89, 1190.55)  # points


def case(**changes: object) -> CaseStudy:
    base = CaseStudy(
        organisation="Canal Street Food Collective",
        slug="canal-food",
        what_it_does="A members' food shop on a estate.",
        who_it_serves="Families on the estate.",
        example="Members run the shop and decide what it stocks.",
        enabling_factors="Paying people for their time.",
        challenges="The freezer broke twice.",
        outcomes_staff="Fewer complaints.",
        outcomes_service_users="We decide things, and then we see them happen.",
        quotes_staff=(
            Quote("Paying people for their time, properly.", "Joint interviews", "Staff"),
        ),
        quotes_service_users=(Quote("Being paid for my time.", "Joint interviews", "Member"),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def publication(*cases: CaseStudy) -> Publication:
    return Publication(
        slug="food",
        title="Food together",
        summary="How members run a shop.",
        aims=(),
        edition=date(2026, 5, 1),
        team=(),
        partners=("Canal Street Food Collective",),
        funder="",
        evidence=(StrandEvidence("interview", "Joint interviews", 12, 40),),
        roles=(),
        channels=(),
        method=(),
        findings=(),
        recommendations=(),
        recommendations_ordered=False,
        case_studies=cases,
    )


def test_each_poster_is_one_tagged_a3_page_with_its_title_language_and_a_png() -> None:
    files, _sources = render_posters(publication(case()))
    assert sorted(files) == [
        "posters/canal-food.pdf",
        "posters/canal-food.png",
        "posters/overview.pdf",
        "posters/overview.png",
    ]
    pdf = files["posters/canal-food.pdf"]
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    width, height = document[0].get_size()
    assert abs(width - A3[0]) < 1 and abs(height - A3[1]) < 1
    document.close()
    words = text_of(pdf)
    for expected in (
        "Canal Street Food Collective",
        "Paying people for their time",
        "Being paid for my time",
        "Food together",
    ):
        assert expected in words
    image = Image.open(io.BytesIO(files["posters/canal-food.png"]))
    assert image.size == (1754, 2481) and round(image.info["dpi"][0]) == 150
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "poppler-utils' pdfinfo checks the posters (make system-packages-test)"
    info = subprocess.run([pdfinfo, "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"Tagged:          yes" in info and b"Pages:           1" in info
    assert (
        b"(A3)" in info and b"Title:           Canal Street Food Collective: a case study" in info
    )
    catalogue = subprocess.run(
        [pdfinfo, "-struct", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    assert b"Document" in catalogue and b"H1" in catalogue  # the structure tree is there
    assert language_of(pdf) == "en-GB"


def test_long_records_get_smaller_type_and_never_spill_onto_a_second_page() -> None:
    wordy = case(example=" ".join(["Members decide what the shop stocks and charges."] * 40))
    pdf = render_posters(publication(wordy))[0]["posters/canal-food.pdf"]
    assert len(pypdfium2.PdfDocument(pdf)) == 1
    assert text_of(pdf).count("Members decide") >= 30  # all there, not cut
    endless = case(example=" ".join(["Members decide what the shop stocks."] * 900))
    with pytest.raises(InvalidInput, match="does not fit on one A3 page"):
        render_posters(publication(endless))


def test_posters_are_the_same_bytes_every_time() -> None:
    assert render_posters(publication(case())) == render_posters(publication(case()))


def test_a_poster_whose_source_did_not_change_is_not_rendered_again() -> None:
    from coproduce.core.publishing.renderers.poster import Built

    pub = publication(case())
    files, sources = render_posters(pub)
    kept = {"posters/canal-food": Built(sources["posters/canal-food.pdf"], b"as before", b"png")}
    again, _ = render_posters(pub, kept)
    assert again["posters/canal-food.pdf"] == b"as before"  # taken from the last build
    assert again["posters/overview.pdf"] == files["posters/overview.pdf"]  # rendered anew
    changed = publication(case(challenges="The van broke down."))
    fresh, _ = render_posters(changed, kept)
    assert fresh["posters/canal-food.pdf"] != b"as before"  # its words changed: rendered


@pytest.mark.django_db
def test_a_partner_logo_uploaded_by_the_team_goes_on_its_poster() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coproduce.casestudies import services as case_services
    from coproduce.publications.builder import build_publication
    from coproduce.studies.models import Organisation, Role
    from tests.support.factories import client_for, study_with_team

    study, team = study_with_team()
    organisation = Organisation.objects.create(name="Canal Street Food", slug="canal-food")
    study.organisations.add(organisation)
    case_services.start_case_study(study, team[Role.RESEARCHER], organisation)
    url = f"/studies/{study.slug}/organisations/"
    researcher = client_for(team[Role.RESEARCHER])

    def send(name: str, data: bytes) -> str:
        posted = {
            "action": "logo",
            "organisation": organisation.pk,
            "logo": SimpleUploadedFile(name, data),
        }
        return researcher.post(url, posted, follow=True).content.decode()

    assert "is not a PNG or JPEG image" in send("logo.png", b"<svg>not an image</svg>")
    assert "is larger than 1 MB" in send("big.png", b"x" * (1024 * 1024 + 1))
    assert "at most 4000 pixels across" in send("wide.png", png(4001, 10))
    organisation.refresh_from_db()
    assert organisation.logo_type == ""
    assert "logo is saved" in send("logo.png", png())
    organisation.refresh_from_db()
    assert organisation.logo_type == "image/png"
    observer = client_for(team[Role.OBSERVER]).post(url, {"action": "logo"})
    assert observer.status_code == 403
    files, _sources = render_posters(build_publication(study))
    document = pypdfium2.PdfDocument(files["posters/canal-food.pdf"])
    images = [o for o in document[0].get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    document.close()
    assert len(images) == 1
    info = subprocess.run(
        ["pdfinfo", "-"], input=files["posters/canal-food.pdf"], capture_output=True, check=True
    ).stdout
    assert b"Pages:           1" in info
