"""The documents of a mediation file, in Chinese: the application for people's mediation, the
notice of rights and duties, the mediation record, the people's mediation agreement, the
follow-up record, and the file's cover with its contents list. PDFs (CJK font embedded) through
`gridgov.documents`; the agreement and the application also as .docx for staff to edit.

A document names the parties in full, so producing one is an audited reveal.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from docx import Document

from gridgov.core.audit import audit_record
from gridgov.core.errors import NotFound
from gridgov.core.scoping import Actor
from gridgov.documents.docx import render_docx
from gridgov.documents.pdf import PdfDocument
from gridgov.mediation import errors
from gridgov.mediation.models import MediationFile, Party, PartyKind, PeopleBand
from gridgov.mediation.selectors import file_get

KINDS = ("application", "rights-notice", "record", "agreement", "follow-up", "cover")
DOCX_KINDS = ("application", "agreement")
TITLES = {
    "application": "人民调解申请书",
    "rights-notice": "人民调解当事人权利义务告知书",
    "record": "人民调解记录",
    "agreement": "人民调解协议书",
    "follow-up": "人民调解回访记录",
    "cover": "人民调解卷宗",
}
OUTCOMES = {
    "agreement": "调解成功，达成协议",
    "partial": "部分达成协议",
    "failed": "调解不成",
    "referred": "调解不成，已移交",
    "": "调解中",
}
BANDS: dict[str, str] = {
    PeopleBand.UNDER_10: "10人以下",
    PeopleBand.FROM_10: "10至49人",
    PeopleBand.FROM_50: "50至99人",
    PeopleBand.FROM_100: "100至499人",
    PeopleBand.FROM_500: "500人及以上",
}
RIGHTS = (
    "一、当事人享有下列权利：（一）选择或者接受人民调解员；（二）接受调解、拒绝调解或者要求终止调解；"
    "（三）要求调解公开进行或者不公开进行；（四）自主表达意愿、自愿达成调解协议。",
    "二、当事人履行下列义务：（一）如实陈述纠纷事实；（二）遵守调解现场秩序，尊重人民调解员；"
    "（三）尊重对方当事人行使权利。",
    "三、人民调解不收取任何费用。经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
    "双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。",
)


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value:%Y年%m月%d日}"


@dataclass(frozen=True)
class PartyView:
    """A party as printed: in full (the document is the reveal)."""

    side: str
    name: str
    kind: str
    id_number: str
    phone: str
    credit_code: str
    agent: str
    agent_phone: str

    @classmethod
    def of(cls, party: Party) -> PartyView:
        organisation = party.kind == PartyKind.ORGANISATION
        return cls(
            side="申请人" if party.side == "applicant" else "被申请人",
            name=party.organisation_name if organisation else party.name.reveal(),
            kind="法人或其他组织" if organisation else "自然人",
            id_number=party.id_number.reveal(),
            phone=party.phone.reveal().removeprefix("+86"),
            credit_code=party.credit_code,
            agent=party.agent_name.reveal(),
            agent_phone=party.agent_phone.reveal().removeprefix("+86"),
        )

    def line(self) -> str:
        parts = [f"{self.side}：{self.name}"]
        if self.credit_code:
            parts.append(f"统一社会信用代码：{self.credit_code}")
        if self.id_number:
            parts.append(f"身份证号码：{self.id_number}")
        if self.phone:
            parts.append(f"联系电话：{self.phone}")
        if self.agent:
            parts.append(
                f"代理人：{self.agent}" + (f"（{self.agent_phone}）" if self.agent_phone else "")
            )
        return "，".join(parts)


@dataclass(frozen=True)
class FileView:
    file: MediationFile
    parties: list[PartyView]
    mediators: list[str]
    committee: str

    @classmethod
    def of(cls, file: MediationFile) -> FileView:
        return cls(
            file=file,
            parties=[PartyView.of(p) for p in file.parties.all()],
            mediators=[u.display_name or u.username for u in file.mediators.all()],
            committee=file.centre.name.replace("矛盾纠纷调处中心", "人民调解委员会").replace(
                "综治中心", "人民调解委员会"
            ),
        )

    def names(self, side: str) -> str:
        printed = "申请人" if side == "applicant" else "被申请人"
        return "、".join(p.name for p in self.parties if p.side == printed)


def _header(doc: PdfDocument, view: FileView, title: str) -> None:
    doc.title_block(title, f"{view.committee}　　编号：{view.file.number}")


def _application(view: FileView) -> PdfDocument:
    file = view.file
    doc = PdfDocument(title=TITLES["application"])
    _header(doc, view, TITLES["application"])
    for party in view.parties:
        doc.paragraph(party.line(), indent=False)
    doc.heading("纠纷简要情况及申请事项")
    doc.paragraph(file.facts)
    doc.fields(
        [
            ("纠纷类型", file.case.category.name),
            ("涉及金额", f"{file.amount_involved}元" if file.amount_involved is not None else "无"),
            ("涉及人数", BANDS.get(file.people_band, file.people_band)),
            ("登记日期", _date(file.created_at)),
        ]
    )
    doc.paragraph(f"申请人自愿申请{view.committee}进行调解。")
    doc.signatures(["申请人（签名或盖章）"])
    return doc


def _rights(view: FileView) -> PdfDocument:
    doc = PdfDocument(title=TITLES["rights-notice"])
    _header(doc, view, TITLES["rights-notice"])
    doc.paragraph(
        f"{view.names('applicant')}与{view.names('respondent')}之间的纠纷，"
        f"已由{view.committee}受理。根据《中华人民共和国人民调解法》，现将当事人在调解活动中享有的权利和承担的义务告知如下："
    )
    for line in RIGHTS:
        doc.paragraph(line)
    doc.signatures([f"当事人：{party.name}" for party in view.parties])
    return doc


def _record(view: FileView) -> PdfDocument:
    file = view.file
    doc = PdfDocument(title=TITLES["record"])
    _header(doc, view, TITLES["record"])
    doc.fields(
        [
            ("当事人", "；".join(p.line() for p in view.parties)),
            ("纠纷事实及争议事项", file.facts),
            ("调解员", "、".join(view.mediators)),
        ]
    )
    sessions = list(file.sessions.all())
    for index, session in enumerate(sessions, start=1):
        doc.heading(f"第{index}次调解")
        doc.fields(
            [
                ("时间", f"{timezone.localtime(session.starts_at):%Y年%m月%d日 %H:%M}"),
                ("地点", "线上调解" if session.online else session.place),
                ("参加人员", session.participants),
                ("笔录", session.record or "（尚未举行）"),
            ]
        )
    if not sessions:
        doc.paragraph("尚未安排调解。")
    doc.fields(
        [("调解结果", OUTCOMES.get(file.outcome, file.outcome)), ("说明", file.outcome_note)]
    )
    doc.signatures(["当事人（签名）", "调解员（签名）", "记录人（签名）"])
    return doc


def _agreement(view: FileView) -> PdfDocument:
    file = view.file
    doc = PdfDocument(title=TITLES["agreement"])
    _header(doc, view, TITLES["agreement"])
    doc.heading("当事人")
    for party in view.parties:
        doc.paragraph(party.line(), indent=False)
    doc.heading("纠纷主要事实、争议事项")
    doc.paragraph(file.facts)
    doc.heading("责任")
    doc.paragraph(file.responsibilities or "双方对纠纷的发生各负相应责任。")
    doc.heading("经调解，双方自愿达成如下协议")
    doc.paragraph(file.agreed_terms or "（尚未达成协议）")
    doc.heading("履行方式、地点和期限")
    doc.fields(
        [
            ("履行方式", file.performance_method),
            ("履行地点", file.performance_place),
            ("履行期限", _date(file.performance_deadline)),
        ]
    )
    copies = len(view.parties) + 1
    doc.paragraph(
        f"本协议一式{copies}份，当事人各执一份，{view.committee}留存一份。"
        "本协议自各方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章之日起生效。"
    )
    doc.signatures([f"当事人：{party.name}" for party in view.parties])
    doc.signatures([f"人民调解员：{name}" for name in view.mediators] or ["人民调解员"])
    doc.space(6).right(f"{view.committee}（印章）").right(
        _date(file.outcome_at) or "　　年　　月　　日"
    )
    return doc


def _follow_up(view: FileView) -> PdfDocument:
    file = view.file
    doc = PdfDocument(title=TITLES["follow-up"])
    _header(doc, view, TITLES["follow-up"])
    performed = {True: "已履行", False: "未履行", None: "尚不清楚"}[file.performed]
    doc.fields(
        [
            ("当事人", "、".join(p.name for p in view.parties)),
            ("协议内容", file.agreed_terms),
            ("回访期限", _date(file.follow_up_due_on)),
            ("回访时间", _date(file.followed_up_at) or "尚未回访"),
            ("协议履行情况", performed if file.followed_up_at else "尚未回访"),
            ("回访记录", file.follow_up_note),
            (
                "司法确认",
                file.get_judicial_status_display()
                + (f"（{file.judicial_court}）" if file.judicial_court else ""),
            ),
        ]
    )
    doc.signatures(["回访人（签名）"])
    return doc


def _cover(view: FileView) -> PdfDocument:
    file = view.file
    doc = PdfDocument(title=TITLES["cover"])
    doc.space(30).title_block(view.committee, "")
    doc.title_block(TITLES["cover"])
    doc.space(10)
    doc.fields(
        [
            ("卷宗编号", file.number),
            ("案件编号", file.case.number),
            (
                "纠纷名称",
                f"{view.names('applicant')}与{view.names('respondent')}{file.case.category.name}",
            ),
            ("调解员", "、".join(view.mediators)),
            ("受理日期", _date(file.created_at)),
            ("结案日期", _date(file.outcome_at)),
            ("调解结果", OUTCOMES.get(file.outcome, file.outcome)),
        ]
    )
    doc.page_break()
    doc.title_block("卷内目录")
    rows = [[str(index), TITLES[kind], ""] for index, kind in enumerate(KINDS[:-1], start=1)]
    doc.table(["序号", "文书名称", "备注"], rows)
    return doc


BUILDERS = {
    "application": _application,
    "rights-notice": _rights,
    "record": _record,
    "agreement": _agreement,
    "follow-up": _follow_up,
    "cover": _cover,
}


def _docx_template(kind: str) -> io.BytesIO:
    """The Word template of a kind, with docxtpl's tags, built here so it can be read in review."""
    document = Document()
    document.add_heading("{{ title }}", level=1)
    document.add_paragraph("{{ committee }}　　编号：{{ number }}")
    document.add_paragraph("{% for party in parties %}{{ party }}\n{% endfor %}")
    document.add_heading("纠纷主要事实、争议事项", level=2)
    document.add_paragraph("{{ facts }}")
    if kind == "agreement":
        document.add_heading("责任", level=2)
        document.add_paragraph("{{ responsibilities }}")
        document.add_heading("经调解，双方自愿达成如下协议", level=2)
        document.add_paragraph("{{ terms }}")
        document.add_heading("履行方式、地点和期限", level=2)
        document.add_paragraph(
            "履行方式：{{ method }}；履行地点：{{ place }}；履行期限：{{ deadline }}"
        )
        document.add_paragraph(
            "本协议一式{{ copies }}份，当事人各执一份，{{ committee }}留存一份。"
        )
        document.add_paragraph(
            "{% for party in names %}当事人：{{ party }}　　（签名）\n{% endfor %}"
        )
        document.add_paragraph("人民调解员：{{ mediators }}　　（签名）")
        document.add_paragraph("{{ committee }}（印章）　　{{ date }}")
    else:
        document.add_paragraph("申请人自愿申请{{ committee }}进行调解。")
        document.add_paragraph("申请人（签名或盖章）：　　　　　　{{ date }}")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def _docx(view: FileView, kind: str) -> bytes:
    file = view.file
    context = {
        "title": TITLES[kind],
        "committee": view.committee,
        "number": file.number,
        "parties": [p.line() for p in view.parties],
        "names": [p.name for p in view.parties],
        "facts": file.facts,
        "responsibilities": file.responsibilities,
        "terms": file.agreed_terms,
        "method": file.performance_method,
        "place": file.performance_place,
        "deadline": _date(file.performance_deadline),
        "copies": len(view.parties) + 1,
        "mediators": "、".join(view.mediators),
        "date": _date(file.outcome_at if kind == "agreement" else file.created_at),
    }
    return render_docx(_docx_template(kind), context)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    content_type: str


PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_document(
    *, actor: Actor, number: str, kind: str, fmt: str = "pdf", client_address: str | None = None
) -> Rendered:
    """A document of a file the actor works on, naming the parties in full (audited as a
    reveal). NotFound for a kind or format there is none of, as for a missing file."""
    if (
        kind not in BUILDERS
        or fmt not in ("pdf", "docx")
        or (fmt == "docx" and kind not in DOCX_KINDS)
    ):
        raise NotFound(errors.DOCUMENT_NOT_FOUND)
    file = file_get(actor=actor, number=number, work=True)
    view = FileView.of(file)
    if fmt == "pdf":
        content, content_type = BUILDERS[kind](view).render(), PDF
    else:
        content, content_type = _docx(view, kind), DOCX
    audit_record(
        actor=actor,
        action="mediation.document",
        object_type="mediation_file",
        object_id=file.number,
        region_code=file.region_code,
        client_address=client_address,
        detail={"kind": kind, "format": fmt, "reveals": "parties"},
    )
    return Rendered(content, f"{file.number}-{kind}.{fmt}", content_type)
