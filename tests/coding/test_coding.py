"""Codebook, coding, agreement, theme review, triangulation, findings and REFI-QDA interchange."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from coproduce.archive import dump_study, export_study, import_study
from coproduce.coding import agreement as coding_agreement
from coproduce.coding import codebook
from coproduce.coding import codings as coding_codings
from coproduce.coding import findings as coding_findings
from coproduce.coding import qdpx as coding_qdpx
from coproduce.coding import themes as coding_themes
from coproduce.coding import triangulation as coding_triangulation
from coproduce.coding.models import (
    Code,
    Coding,
    Document,
    Finding,
    Recommendation,
    Theme,
    ThemeStatus,
)
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.evidence import ConsentLevel, Strand
from coproduce.core.formats import refi_qda
from coproduce.stories import services as story_services
from coproduce.stories.models import Story
from coproduce.studies.models import Role, Study
from tests.support.factories import STORIES, client_for, story, study_with_team, told, wipe
from tests.support.files import make_zip
from tests.support.refi_qda import valid_project

pytestmark = pytest.mark.django_db


def test_codebook_hierarchy_and_csv_round_trip() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    transport = codebook.add_code(study, owner, "Transport", description="Getting about")
    codebook.add_code(
        study, owner, "Night buses", transport, inclusion="Buses after 8pm", colour="#d4351c"
    )
    assert [(c.path(), d) for c, d in codebook.tree(study)] == [
        ("Transport", 0),
        ("Transport > Night buses", 1),
    ]
    with pytest.raises(Conflict, match="already a code called 'Transport'"):
        codebook.add_code(study, owner, "Transport")
    with pytest.raises(InvalidInput, match="not a colour"):
        codebook.add_code(study, owner, "Housing", colour="red")
    exported = codebook.export_csv(study)
    other, others = study_with_team("other-study")
    assert codebook.import_csv(other, others[Role.OWNER], exported.encode()) == 2
    night = Code.objects.get(study=other, name="Night buses")
    assert night.parent.name == "Transport" and night.inclusion == "Buses after 8pm"
    assert night.colour == "#d4351c"


def test_csv_import_is_all_or_nothing() -> None:
    study, team = study_with_team()
    bad = b"code,colour\nHousing,#123456\nTransport,not-a-colour\n"
    with pytest.raises(InvalidInput, match="Row 3 of the CSV file"):
        codebook.import_csv(study, team[Role.OWNER], bad)
    assert not Code.objects.filter(study=study).exists()
    with pytest.raises(InvalidInput, match="no 'code' column"):
        codebook.import_csv(study, team[Role.OWNER], b"name\nHousing\n")


def test_qdc_round_trip_keeps_hierarchy_and_notes() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    housing = codebook.add_code(study, owner, "Housing", description="Homes", exclusion="Hostels")
    codebook.add_code(study, owner, "Damp", housing)
    data = codebook.export_qdc(study)
    nodes = refi_qda.read_codebook(data)
    assert [n.name for n in nodes] == ["Housing"] and nodes[0].children[0].name == "Damp"
    assert "Exclude: Hostels" in nodes[0].description
    other, others = study_with_team("other-study")
    assert codebook.import_qdc(other, others[Role.OWNER], data) == 2


def test_coding_by_words_or_offsets_and_who_coded() -> None:
    study, team = study_with_team()
    owner, researcher = team[Role.OWNER], team[Role.RESEARCHER]
    (first, *_rest) = told(study)
    code = codebook.add_code(study, owner, "Night buses")
    by_words = coding_codings.code_passage(
        study, owner, code, first, passage="night bus stopped running"
    )
    text = STORIES[0]
    assert text[by_words.start : by_words.end] == "night bus stopped running"
    by_offsets = coding_codings.code_passage(study, researcher, code, first, start=0, end=13)
    assert by_offsets.passage == "The night bus" and by_offsets.coder == researcher
    with pytest.raises(InvalidInput, match="not in the text"):
        coding_codings.code_passage(study, owner, code, first, passage="tram")
    with pytest.raises(InvalidInput, match="outside the text"):
        coding_codings.code_passage(study, owner, code, first, start=5, end=999)
    with pytest.raises(Conflict, match="already coded"):
        coding_codings.code_passage(study, owner, code, first, passage="night bus stopped running")
    with pytest.raises(Exception, match="does not allow"):
        coding_codings.code_passage(study, team[Role.OBSERVER], code, first, passage="evening job")


def test_codings_stay_on_their_words_through_redaction() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    s = story_services.tell_story(
        study,
        story(text="I told Sarah Jones at 12 High Street that the bus never came."),
        role="other",
    )
    code = codebook.add_code(study, owner, "Transport")
    coding = coding_codings.code_passage(
        study, owner, code, f"story:{s.pk}", passage="the bus never came"
    )
    text = s.text
    name = (text.index("Sarah Jones"), text.index("Sarah Jones") + len("Sarah Jones"), "name")
    story_services.save_check(s, owner, [name])
    coding.refresh_from_db()
    s.refresh_from_db()
    assert s.redacted_text[coding.start : coding.end] == "the bus never came"
    address = (text.index("12 High Street"), text.index("12 High Street") + 14, "address")
    story_services.save_check(s, owner, [name, address])  # checked again, more redacted
    coding.refresh_from_db()
    s.refresh_from_db()
    assert s.redacted_text[coding.start : coding.end] == "the bus never came"
    assert coding.passage == "the bus never came"


def test_agreement_per_item_and_per_segment() -> None:
    study, team = study_with_team()
    a, b = team[Role.OWNER], team[Role.RESEARCHER]
    ids = told(study)
    transport = codebook.add_code(study, a, "Transport")
    housing = codebook.add_code(study, a, "Housing")
    for coder in (a, b):
        coding_codings.code_passage(study, coder, transport, ids[0], passage="night bus")
        coding_codings.code_passage(study, coder, housing, ids[2], passage="rent went up")
        coding_codings.code_passage(study, coder, housing, ids[3], passage="mould")
    coding_codings.code_passage(study, a, transport, ids[1], passage="Buses after ten")
    coding_codings.code_passage(study, b, housing, ids[1], passage="I wait an hour")
    report = coding_agreement.agreement(study, "item")
    assert report.units == 4 and len(report.coders) == 2
    by_code = {x.code: x for x in report.codes}
    # Transport: a says yes,yes,no,no; b says yes,no,no,no -> kappa 0.5 (po .75, pe .5).
    assert by_code["Transport"].kappa == pytest.approx(0.5)
    assert by_code["Transport"].alpha is not None
    # Where they disagree, side by side: item 2, Transport by a only and Housing by b only.
    name_a = coding_codings.coder_of(Coding.objects.filter(coder=a).first())  # type: ignore[arg-type]
    name_b = coding_codings.coder_of(Coding.objects.filter(coder=b).first())  # type: ignore[arg-type]
    found = {(d.evidence_id, d.code): dict(d.marked) for d in report.disagreements}
    assert found == {
        (ids[1], "Transport"): {name_a: ["Buses after ten"], name_b: []},
        (ids[1], "Housing"): {name_a: [], name_b: ["I wait an hour"]},
    }
    page = client_for(a).get(f"/studies/{study.slug}/agreement/").content.decode()
    assert "Where the coders disagree" in page and "“Buses after ten”" in page
    assert "“I wait an hour”" in page and "not coded" in page
    segments = coding_agreement.agreement(study, "segment")
    assert segments.units >= 4 and segments.unit == "segment"
    # A third coder (from another tool): all three by default, or the two the team ticks.
    Coding.objects.create(
        study=study,
        code=transport,
        evidence_id=ids[0],
        start=4,
        end=13,
        passage="night bus",
        coder=a,
        imported_coder="Coder from NVivo",
    )
    assert len(coding_agreement.agreement(study).everyone) == 3
    page = client_for(a).get(
        f"/studies/{study.slug}/agreement/",
        {"coder": coding_agreement.agreement(study).everyone[1:]},
    )
    assert page.context["report"].coders == coding_agreement.agreement(study).everyone[1:]
    assert 'name="coder"' in page.content.decode()
    everyone = client_for(a).get(f"/studies/{study.slug}/agreement/", {"coder": "nobody"})
    assert len(everyone.context["report"].coders) == 3


def test_machine_themes_are_proposals_until_accepted() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    told(
        study,
        STORIES * 2
        + ["The library closed and there is nowhere to study.", "Library hours were cut again."],
    )
    made = coding_themes.suggest(study, owner, backend="minilm")
    assert made and all(t.status == ThemeStatus.SUGGESTED for t in made)
    _strands, rows = coding_triangulation.triangulation(study)
    assert rows == [], "nothing machine-made shows before a person accepts it"
    first, second = made[0], made[1]
    merged = coding_themes.merge([first, second], owner, "Getting about and homes")
    assert merged.items.count() >= 2 and not Theme.objects.filter(pk=second.pk).exists()
    with pytest.raises(InvalidInput, match="Accept a theme"):
        coding_findings.save_finding(
            study, owner, "Transport cuts cost jobs", theme_ids=[merged.pk]
        )
    coding_themes.accept(merged, owner, as_code=True)
    merged.refresh_from_db()
    assert merged.code is not None and merged.code.codings.count() == merged.items.count()
    _strands, rows = coding_triangulation.triangulation(study)
    assert [r.theme for r in rows] == [merged] and rows[0].cells[Strand.STORY].items >= 2
    moving = list(merged.items.values_list("evidence_id", flat=True))[:1]
    new = coding_themes.split(merged, owner, moving, "Night buses")
    assert new.status == ThemeStatus.ACCEPTED and new.items.count() == 1
    again = coding_themes.suggest(study, owner)
    assert Theme.objects.filter(pk=merged.pk).exists(), "reviewed themes survive a new suggestion"
    assert again


def test_findings_show_quotable_evidence_only_and_recommendations_order() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    ids = told(study)
    private = story_services.tell_story(
        study,
        story(text="Nobody may quote this bus story.", consent_level=ConsentLevel.STORE),
        role="other",
    )
    theme = coding_themes.add_theme(
        study, owner, "Buses fail people", [ids[0], ids[1], f"story:{private.pk}"]
    )
    coding_themes.mark_quote(theme, owner, ids[0], "I lost my evening job")
    coding_themes.mark_quote(theme, owner, f"story:{private.pk}", "Nobody may quote")
    finding = coding_findings.save_finding(
        study, owner, "Transport cuts cost jobs", "Text.", [theme.pk]
    )
    evidence = coding_findings.finding_evidence(finding)
    assert evidence.items == 3 and evidence.strands == [Strand.STORY]
    assert evidence.quotes == []  # nothing is quoted before its personal-data check
    for s in Story.objects.filter(study=study):
        story_services.save_check(s, owner, [])
    evidence = coding_findings.finding_evidence(finding)
    assert [q for q, _r in evidence.quotes] == ["I lost my evening job"]
    assert [reason for _key, reason in evidence.held_back] == [
        "its contributor did not agree to it being quoted"
    ]
    coding_findings.save_recommendation(study, owner, "Restore the night bus", [finding.pk])
    assert coding_findings.recommendations_ordered(study) is False
    coding_findings.set_priority_order(study, owner, True)
    assert coding_findings.recommendations_ordered(study) is True


def test_qdpx_export_validates_and_imports_back() -> None:
    study, team = study_with_team()
    a, b = team[Role.OWNER], team[Role.RESEARCHER]
    ids = told(study)
    code = codebook.add_code(study, a, "Transport")
    sub = codebook.add_code(study, a, "Night buses", code)
    coding_codings.code_passage(study, a, sub, ids[0], passage="night bus")
    coding_codings.code_passage(study, b, sub, ids[0], passage="The night bus stopped")
    assert valid_project(coding_qdpx.export_qdpx(study, a)).findall(".//{*}TextSource") == []
    for s in Story.objects.filter(study=study):  # only checked stories leave
        story_services.save_check(s, a, [])
    data = coding_qdpx.export_qdpx(study, a)
    root = valid_project(data)
    ns = {"q": refi_qda.PROJECT_NS}
    assert len(root.findall(".//q:TextSource", ns)) == len(ids)
    assert len(root.findall(".//q:Coding", ns)) == 2 and len(root.findall(".//q:User", ns)) == 2
    other, others = study_with_team("other-study")
    codes, texts, codings = coding_qdpx.import_qdpx(
        other, others[Role.OWNER], data, source="p.qdpx"
    )
    assert (codes, texts, codings) == (2, 4, 2)
    imported = Coding.objects.filter(study=other)
    assert {c.passage for c in imported} == {"night bus", "The night bus stopped"}
    assert len({c.imported_coder for c in imported}) == 2
    assert Document.objects.filter(study=other).count() == 4
    report = coding_agreement.agreement(other)
    assert len(report.coders) == 2


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "is not a .qdpx"),
        (zipped({"other.xml": b"<a/>"}), "has no project.qde"),
        (zipped({"project.qde": b"<Project xmlns='urn:other'/>"}), "is not a REFI-QDA project"),
        (zipped({"project.qde": b"<Project"}), "not well-formed XML"),
        (
            zipped(
                {
                    "project.qde": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">'
                    b'<!ENTITY b "&a;&a;&a;">]>'
                    b'<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>'
                }
            ),
            "declares XML entities",
        ),
        (zipped({"project.qde": b"0" * 50_000_000}), "possible zip bomb"),
    ],
)
def test_bad_qdpx_is_refused_and_nothing_is_imported(data: bytes, message: str) -> None:
    study, team = study_with_team()
    with pytest.raises(InvalidInput, match=message):
        coding_qdpx.import_qdpx(study, team[Role.OWNER], data)
    assert not Document.objects.filter(study=study).exists()
    assert not Code.objects.filter(study=study).exists()


def test_qdpx_with_a_coding_outside_its_text_imports_nothing() -> None:
    project = refi_qda.Project(
        name="p",
        codes=[refi_qda.CodeNode(refi_qda.new_guid(), "Code")],
        sources=[refi_qda.Source(refi_qda.new_guid(), "doc", "short text")],
    )
    project.sources[0].selections.append(
        refi_qda.Selection(refi_qda.new_guid(), 2, 50, project.codes[0].guid, None)
    )
    study, team = study_with_team()
    with pytest.raises(InvalidInput, match="lies outside"):
        coding_qdpx.import_qdpx(study, team[Role.OWNER], refi_qda.write_project(project))
    assert not Code.objects.filter(study=study).exists()


def test_analysis_pages_work_for_the_team() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    ids = told(study)
    code = codebook.add_code(study, owner, "Transport")
    coding_codings.code_passage(study, owner, code, ids[0], passage="night bus")
    theme = coding_themes.add_theme(study, owner, "Buses fail people", ids[:2])
    client = client_for(owner)
    for url in [
        f"/studies/{study.slug}/codebook/",
        f"/studies/{study.slug}/coding/",
        f"/studies/{study.slug}/coding/{ids[0]}/",
        f"/studies/{study.slug}/agreement/?unit=segment",
        f"/studies/{study.slug}/themes/",
        f"/studies/{study.slug}/themes/{theme.pk}/",
        f"/studies/{study.slug}/findings/",
        f"/studies/{study.slug}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.post(
        f"/studies/{study.slug}/coding/{ids[1]}/", {"code": code.pk, "passage": "Buses after ten"}
    )
    assert response.status_code == 302
    assert Coding.objects.filter(evidence_id=ids[1]).count() == 1
    response = client.post(
        f"/studies/{study.slug}/coding/{ids[1]}/", {"code": code.pk, "start": "0", "end": "5"}
    )
    assert Coding.objects.filter(evidence_id=ids[1]).count() == 2
    for url, kind in [
        ("codebook.csv", "text/csv"),
        ("codebook.qdc", "application/xml"),
        ("project.qdpx", "application/zip"),
    ]:
        response = client.get(f"/studies/{study.slug}/{url}")
        assert response.status_code == 200 and response["Content-Type"].startswith(kind)
    valid_project(client.get(f"/studies/{study.slug}/project.qdpx").content)
    outsider = client_for(study_with_team("elsewhere")[1][Role.OWNER])
    assert outsider.get(f"/studies/{study.slug}/codebook/").status_code == 404
    assert client.get(f"/studies/{study.slug}/coding/story:999999/").status_code == 404


def test_analysis_travels_in_the_study_archive(tmp_path: Path) -> None:
    study, team = study_with_team()
    owner, researcher = team[Role.OWNER], team[Role.RESEARCHER]
    ids = told(study)
    transport = codebook.add_code(study, owner, "Transport")
    night = codebook.add_code(study, owner, "Night buses", transport, colour="#d4351c")
    coding_codings.code_passage(study, owner, night, ids[0], passage="night bus stopped running")
    coding_codings.code_passage(study, researcher, night, ids[0], passage="The night bus")
    coding_codings.code_passage(study, owner, transport, ids[1], passage="wait an hour")
    theme = coding_themes.add_theme(study, owner, "Buses fail people", ids[:2])
    coding_themes.mark_quote(theme, owner, ids[0], "I lost my evening job")
    coding_themes.mark_quote(theme, owner, ids[1], "I wait an hour in the dark")
    finding = coding_findings.save_finding(study, owner, "Cuts cost jobs", "Text.", [theme.pk])
    finding.quotes.set(theme.items.all())
    coding_findings.save_recommendation(study, owner, "Restore the night bus", [finding.pk])
    coding_findings.set_priority_order(study, owner, True)
    # The second teller withdraws their story: its coding and quote leave every export.
    withdrawn = Story.objects.get(pk=ids[1].split(":")[1])
    story_services.withdraw_story(withdrawn, withdrawn.teller)
    before = dump_study(study)
    analysis = before["analysis"]
    assert [c[1] for c in analysis["codings"]] == ["story:1", "story:1"]
    assert analysis["themes"][0]["items"] == [["story:1", "I lost my evening job"]]
    assert analysis["findings"][0]["quotes"] == [[0, "story:1"]]
    archive = export_study(study, tmp_path / "study.zip")

    wipe()
    imported = import_study(archive)
    assert dump_study(imported) == before
    first = Story.objects.get(study=imported, number=1)
    for coding in Coding.objects.filter(study=imported):
        assert coding.evidence_id == f"story:{first.pk}"
        assert first.text[coding.start : coding.end] == coding.passage
    assert coding_findings.recommendations_ordered(imported) is True
    assert Code.objects.get(study=imported, name="Night buses").parent.name == "Transport"

    # An archive whose coding points at evidence it does not hold imports nothing.
    with zipfile.ZipFile(archive) as z:
        files = {name: z.read(name) for name in z.namelist()}
    damaged = json.loads(files["parts/analysis.json"])
    damaged["codings"][0][1] = "story:99"
    files["parts/analysis.json"] = json.dumps(damaged).encode()
    wipe()
    with pytest.raises(InvalidInput, match="refers to evidence 'story:99'"):
        import_study(make_zip(tmp_path / "damaged.zip", files))
    assert not Study.objects.exists() and not Code.objects.exists()
    # A coding whose span ends before it starts breaks the database's rule: refused, whole.
    damaged["codings"][0][1:4] = ["story:1", 9, 2]
    files["parts/analysis.json"] = json.dumps(damaged).encode()
    with pytest.raises(InvalidInput, match="part 'analysis' is malformed"):
        import_study(make_zip(tmp_path / "span.zip", files))
    assert not Study.objects.exists() and not Code.objects.exists()


def test_team_changes_reorders_and_deletes_findings_and_recommendations() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    ids = told(study)
    buses = coding_themes.accept(
        coding_themes.add_theme(study, owner, "Buses fail people", ids[:2]), owner
    )
    homes = coding_themes.accept(
        coding_themes.add_theme(study, owner, "Damp homes", ids[2:]), owner
    )
    first = coding_findings.save_finding(study, owner, "Transport cuts cost jobs", "", [buses.pk])
    second = coding_findings.save_finding(study, owner, "Homes make people ill", "", [homes.pk])
    third = coding_findings.save_finding(study, owner, "Both at once", "", [buses.pk, homes.pk])
    fix = coding_findings.save_recommendation(study, owner, "Fix the mould", [second.pk])
    bus = coding_findings.save_recommendation(study, owner, "Restore the night bus", [first.pk])
    client = client_for(owner)
    base = f"/studies/{study.slug}"

    def titles() -> list[str]:
        return [f.title for f in Finding.objects.filter(study=study)]

    page = client.get(f"{base}/findings/").content.decode()
    assert f'href="{base}/findings/{first.pk}/"' in page and "Move down" in page
    assert client.get(f"{base}/findings/{first.pk}/").status_code == 200
    client.post(f"{base}/findings/", {"action": "move-finding", "item": third.pk, "to": "up"})
    assert titles() == ["Transport cuts cost jobs", "Both at once", "Homes make people ill"]
    client.post(f"{base}/findings/", {"action": "move-finding", "item": first.pk, "to": "up"})
    assert titles()[0] == "Transport cuts cost jobs"  # already first: stays
    client.post(
        f"{base}/findings/{second.pk}/",
        {"action": "save", "title": "Damp homes make people ill", "theme": [homes.pk, buses.pk]},
    )
    second.refresh_from_db()
    assert second.title == "Damp homes make people ill"
    assert {t.label for t in second.themes.all()} == {"Buses fail people", "Damp homes"}
    # A blank or overlong headline is refused and nothing changes.
    client.post(f"{base}/findings/{second.pk}/", {"action": "save", "title": " "})
    long = client.post(
        f"{base}/findings/{second.pk}/", {"action": "save", "title": "x" * 301}, follow=True
    )
    assert "301 characters long; shorten it to 300" in long.content.decode()
    second.refresh_from_db()
    assert second.title == "Damp homes make people ill"
    with pytest.raises(InvalidInput, match="theme's name is 201 characters"):
        coding_themes.rename(buses, owner, "y" * 201)
    with pytest.raises(InvalidInput, match="code's name is 201 characters"):
        codebook.add_code(study, owner, "z" * 201)
    # Deleting needs the box ticked; the recommendation stays, unlinked.
    client.post(f"{base}/findings/{second.pk}/", {"action": "delete"})
    assert Finding.objects.filter(pk=second.pk).exists()
    client.post(f"{base}/findings/{second.pk}/", {"action": "delete", "confirm": "yes"})
    assert titles() == ["Transport cuts cost jobs", "Both at once"]
    assert list(Finding.objects.filter(study=study).values_list("position", flat=True)) == [0, 1]
    fix.refresh_from_db()
    assert not fix.findings.exists()

    client.post(
        f"{base}/recommendations/{fix.pk}/",
        {"action": "save", "text": "Fix the mould within a month", "finding": [third.pk]},
    )
    client.post(f"{base}/findings/", {"action": "move-recommendation", "item": bus.pk, "to": "up"})
    assert [r.text for r in Recommendation.objects.filter(study=study)] == [
        "Restore the night bus",
        "Fix the mould within a month",
    ]
    client.post(f"{base}/recommendations/{bus.pk}/", {"action": "delete", "confirm": "yes"})
    assert [r.text for r in Recommendation.objects.filter(study=study)] == [
        "Fix the mould within a month"
    ]
    # Observers read; they cannot change, move or delete.
    observer = client_for(team[Role.OBSERVER])
    assert observer.get(f"{base}/findings/{third.pk}/").status_code == 200
    for url, data in [
        (f"{base}/findings/{third.pk}/", {"action": "delete", "confirm": "yes"}),
        (f"{base}/findings/", {"action": "move-finding", "item": third.pk, "to": "up"}),
    ]:
        assert observer.post(url, data).status_code in (302, 403)
    assert titles() == ["Transport cuts cost jobs", "Both at once"]
    assert client.get(f"{base}/findings/999999/").status_code == 404


def test_coding_counts_are_for_the_study_team_only() -> None:
    from django.core.exceptions import PermissionDenied

    study, team = study_with_team()
    owner = team[Role.OWNER]
    ids = told(study)
    code = codebook.add_code(study, owner, "Transport")
    coding_codings.code_passage(study, owner, code, ids[0], passage="night bus")
    coding_codings.code_passage(study, team[Role.RESEARCHER], code, ids[0], passage="night bus")
    assert coding_codings.counts_by_item(study, team[Role.OBSERVER]) == {ids[0]: 2}
    _other, strangers = study_with_team("other-study")
    with pytest.raises(PermissionDenied):
        coding_codings.counts_by_item(study, strangers[Role.OWNER])


def test_a_codebook_csv_cannot_carry_a_formula_and_reads_back_as_written() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    codebook.add_code(study, owner, "@Risks", description="=1+2 when in doubt")
    exported = codebook.export_csv(study)
    assert "'@Risks" in exported and "'=1+2 when in doubt" in exported
    other, others = study_with_team("other-study")
    assert codebook.import_csv(other, others[Role.OWNER], exported.encode()) == 1
    code = other.codes.get()
    assert (code.name, code.description) == ("@Risks", "=1+2 when in doubt")
