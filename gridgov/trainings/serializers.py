"""The trainings API's shapes. A trainee appears by name and place (no personal data)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from gridgov.teams.models import TeamKind
from gridgov.trainings import errors
from gridgov.trainings.rules import CertificateStatus
from gridgov.trainings.selectors import certificate_status
from gridgov.trainings.services import AttendanceEntry, CourseInput, SessionInput

# A county, town, village, grid or micro-grid code.
CODE_PATTERN = r"^[0-9]{6}([0-9]{3}){0,4}$"
MAX_ENTRIES = 1000


class CourseFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    kind = serializers.ChoiceField(choices=TeamKind.choices, required=False)


class CourseInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TeamKind.choices)
    title = serializers.CharField(max_length=120)
    region = serializers.RegexField(CODE_PATTERN)
    hours = serializers.IntegerField(min_value=1, max_value=200)
    validity_months = serializers.IntegerField(min_value=1, max_value=120)
    pass_mark = serializers.IntegerField(min_value=0, max_value=100, default=60)
    description = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )

    def to_input(self) -> CourseInput:
        data: dict[str, Any] = self.validated_data
        return CourseInput(
            kind=data["kind"],
            title=data["title"],
            region_code=data["region"],
            hours=data["hours"],
            validity_months=data["validity_months"],
            pass_mark=data["pass_mark"],
            description=data["description"],
        )


class CourseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="The kind of team the course trains.")
    title = serializers.CharField()
    region_code = serializers.CharField(help_text="The place that runs it.")
    hours = serializers.IntegerField()
    validity_months = serializers.IntegerField(help_text="A certificate's validity.")
    pass_mark = serializers.IntegerField()
    description = serializers.CharField()


class CourseListOutput(CourseOutput):
    session_count = serializers.IntegerField()


class SessionFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    course = serializers.IntegerField(min_value=1, required=False)
    kind = serializers.ChoiceField(choices=TeamKind.choices, required=False)
    starts_after = serializers.DateTimeField(required=False)
    starts_before = serializers.DateTimeField(required=False)


class SessionInputSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1)
    region = serializers.RegexField(CODE_PATTERN)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    trainer = serializers.CharField(max_length=64)
    capacity = serializers.IntegerField(min_value=1, max_value=1000)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    def to_input(self) -> SessionInput:
        data: dict[str, Any] = self.validated_data
        return SessionInput(
            region_code=data["region"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            trainer=data["trainer"],
            capacity=data["capacity"],
            address=data["address"],
        )


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.title")
    kind = serializers.CharField(source="course.kind")
    region_code = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    address = serializers.CharField()
    trainer = serializers.CharField()
    capacity = serializers.IntegerField()


class SessionListOutput(SessionOutput):
    attended_count = serializers.IntegerField()
    passed_count = serializers.IntegerField()


class AttendanceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    member = serializers.IntegerField(source="member_id", help_text="The trainee (team member).")
    name = serializers.CharField(source="member.name")
    region_code = serializers.CharField(help_text="Where the trainee serves.")
    kind = serializers.CharField()
    held_at = serializers.DateTimeField()
    attended = serializers.BooleanField()
    passed = serializers.BooleanField()
    score = serializers.IntegerField(allow_null=True)
    certificate = serializers.SerializerMethodField()

    def get_certificate(self, row: Any) -> str | None:
        certificate = getattr(row, "certificate", None)
        return certificate.number if certificate is not None else None


class SessionDetailOutput(SessionOutput):
    attendance = AttendanceOutput(many=True, source="attendance_rows")


class AttendanceEntryInput(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    attended = serializers.BooleanField()
    passed = serializers.BooleanField(default=False)
    score = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)


class AttendanceInput(serializers.Serializer):
    entries = AttendanceEntryInput(many=True, allow_empty=False)

    def validate_entries(self, value: list[Any]) -> list[Any]:
        if len(value) > MAX_ENTRIES:
            raise serializers.ValidationError(
                errors.TOO_MANY_ENTRIES.bind(limit=MAX_ENTRIES).message
            )
        return value

    def to_entries(self) -> list[AttendanceEntry]:
        return [
            AttendanceEntry(
                member_id=row["member"],
                attended=row["attended"],
                passed=row["passed"],
                score=row.get("score"),
            )
            for row in self.validated_data["entries"]
        ]


class PeriodFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    # "from" is a Python keyword: the field is renamed below.
    from_ = serializers.DateField(required=False)
    to = serializers.DateField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": errors.BAD_PERIOD.bind().message})
        return attrs


class AttendanceFilter(PeriodFilter):
    kind = serializers.ChoiceField(choices=TeamKind.choices, required=False)
    attended = serializers.BooleanField(required=False, allow_null=True, default=None)
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    user = serializers.IntegerField(min_value=1, required=False)
    session = serializers.IntegerField(min_value=1, required=False)


class TrainedOutput(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    trained = serializers.IntegerField(help_text="Attendances of those who attended (人次).")
    people = serializers.IntegerField(help_text="Distinct team members among them.")
    passed = serializers.IntegerField()
    href = serializers.CharField(help_text="The attendance records this figure counts (API).")
    page = serializers.CharField(help_text="The same records on the attendance page.")


class TrainedResponse(serializers.Serializer):
    region = serializers.CharField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    kinds = TrainedOutput(many=True)
    total = serializers.IntegerField()


class CertificateFilter(serializers.Serializer):
    region = serializers.RegexField(CODE_PATTERN, required=False)
    status = serializers.ChoiceField(choices=[s.value for s in CertificateStatus], required=False)
    kind = serializers.ChoiceField(choices=TeamKind.choices, required=False)


class CertificateOutput(serializers.Serializer):
    number = serializers.CharField()
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField(source="member.name")
    region_code = serializers.CharField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.title")
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    status = serializers.SerializerMethodField()

    def get_status(self, certificate: Any) -> str:
        return str(certificate_status(certificate))
