"""The file's documents: every kind renders as a PDF whose text names the parties in full and
states the agreed terms; the agreement and application as .docx too; each one audited; another
jurisdiction 404, a role that does not work files 403, an unknown kind 404."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from gridgov.core.models import AuditEntry
from gridgov.mediation.services import (
    PartyInput,
    file_record_follow_up,
    file_record_outcome,
    session_record,
    session_schedule,
)
from gridgov.mediation.services.work import OutcomeInput
from gridgov.mediation.tests.conftest import APPLICANT, ID_NUMBER, RESPONDENT, TERMS

pytestmark = pytest.mark.django_db

ORGANISATION = "扶风县惠民物业服务有限公司"


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def concluded(world, register):
    file = register(
        parties=[
            PartyInput(side="applicant", name=APPLICANT, id_number=ID_NUMBER, phone="13812345678"),
            PartyInput(side="respondent", name=RESPONDENT),
            PartyInput(
                side="respondent",
                kind="organisation",
                name=ORGANISATION,
                credit_code="91110000600037341L",
            ),
        ]
    )
    mediator = world["mediator"]
    session = session_schedule(
        actor=mediator,
        file=file,
        starts_at=timezone.now() - timedelta(days=1),
        place="城关街道调解室",
    )
    session_record(actor=mediator, session=session, record="双方陈述事实，同意赔偿。")
    file = file_record_outcome(
        actor=mediator,
        file=file,
        data=OutcomeInput(
            outcome="agreement",
            agreed_terms=TERMS,
            responsibilities="李秀兰负主要责任",
            performance_method="银行转账",
            performance_place="城关街道调解室",
            performance_deadline=timezone.localdate() + timedelta(days=10),
        ),
    )
    return file_record_follow_up(actor=mediator, file=file, performed=True, note="已按约履行")


def _url(file, kind, fmt="pdf"):
    return f"/api/v1/mediation/files/{file.number}/documents/{kind}.{fmt}"


@pytest.mark.parametrize(
    ("kind", "must_read"),
    [
        ("application", [APPLICANT, RESPONDENT, ORGANISATION, ID_NUMBER, "人民调解申请书"]),
        ("rights-notice", [APPLICANT, RESPONDENT, "权利", "义务"]),
        ("record", [APPLICANT, "双方陈述事实，同意赔偿。", "城关街道调解室"]),
        (
            "agreement",
            [APPLICANT, RESPONDENT, ORGANISATION, TERMS, "李秀兰负主要责任", "银行转账", "一式4份"],
        ),
        ("follow-up", [APPLICANT, TERMS, "已按约履行", "已履行"]),
        ("cover", ["人民调解卷宗", "卷内目录", "人民调解协议书", APPLICANT]),
    ],
)
def test_each_document_is_a_pdf_naming_the_parties(world, concluded, api_as, kind, must_read):
    response = api_as(world["mediator"]).get(_url(concluded, kind))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content).replace("\n", "")
    for expected in must_read:
        assert expected in text, f"{kind}: {expected} not in {text[:400]}"
    assert AuditEntry.objects.filter(
        action="mediation.document", object_id=concluded.number, detail__kind=kind
    ).exists()


def test_the_agreement_is_a_docx_staff_can_edit(world, concluded, api_as):
    response = api_as(world["mediator"]).get(_url(concluded, "agreement", "docx"))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert TERMS in text
    assert APPLICANT in text
    assert ORGANISATION in text
    assert "{{" not in text


def test_the_application_is_a_docx_naming_every_party_in_full(world, concluded, api_as):
    response = api_as(world["mediator"]).get(_url(concluded, "application", "docx"))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "人民调解申请书" in text
    for name in (APPLICANT, RESPONDENT, ORGANISATION, ID_NUMBER):
        assert name in text
    # The application has no terms yet: the agreement's sections are not in it.
    assert TERMS not in text
    assert "{{" not in text
    assert "{%" not in text
    assert AuditEntry.objects.filter(
        action="mediation.document", object_id=concluded.number, detail__kind="application"
    ).exists()


def test_unknown_kinds_formats_jurisdictions_and_roles(world, concluded, api_as):
    mediator = api_as(world["mediator"])
    assert mediator.get(_url(concluded, "will")).status_code == 404
    assert mediator.get(_url(concluded, "record", "docx")).status_code == 404
    assert mediator.get(_url(concluded, "agreement", "exe")).status_code == 404
    assert api_as(world["other_mediator"]).get(_url(concluded, "agreement")).status_code == 404
    # Viewing a file is not enough to print the parties in full.
    assert api_as(world["leader"]).get(_url(concluded, "agreement")).status_code == 403
    assert api_as(world["worker"]).get(_url(concluded, "agreement")).status_code == 403
