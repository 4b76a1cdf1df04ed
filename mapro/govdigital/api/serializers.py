"""Serializers of the digital-government API v1: plans, projects (with their history across
periods), periods (compared with the previous one), CGD sessions and agreements, risks."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import (
    Agreement,
    FollowUpPeriod,
    Indicator,
    Objective,
    Plan,
    Project,
    Risk,
    Session,
)
from ..selectors import period_comparison, previous_period, project_history


@extend_schema_serializer(
    description="Un objetivo del Plan de Gobierno Digital, con su alineamiento al PEI."
)
class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["code", "text", "pei_alignment"]


@extend_schema_serializer(
    description="Un indicador de un proyecto del PGD: nombre, unidad de medida, línea base y meta."
)
class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target"]


@extend_schema_serializer(
    description=(
        "Un periodo del PGD (seguimiento o diagnóstico): cuándo se pidió la información y cuándo "
        "se consolidó."
    )
)
class PeriodRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpPeriod
        fields = ["id", "label", "kind", "requested_on", "consolidated_at"]


@extend_schema_serializer(
    description=(
        "Un Plan de Gobierno Digital: código, título, años, estado y resolución ministerial que "
        "lo aprueba."
    )
)
class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["code", "title", "start_year", "end_year", "status", "rm_number", "rm_date"]


@extend_schema_serializer(
    description=(
        "Un Plan de Gobierno Digital con sus objetivos, proyectos, periodos, acuerdos del CGD y "
        "documentos."
    )
)
class PlanDetailSerializer(PlanSerializer):
    objectives = ObjectiveSerializer(many=True)
    periods = PeriodRowSerializer(many=True)
    projects = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]
    agreements = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "strategic_focus",
            "schedule",
            "document_file",
            "rm_file",
            "published_url",
            "pcm_oficio",
            "instance",
            "objectives",
            "projects",
            "periods",
            "agreements",
        ]


@extend_schema_serializer(
    description=(
        "Registro de un Plan de Gobierno Digital en formulación: años, título y resolución "
        "ministerial."
    )
)
class PlanCreateSerializer(serializers.Serializer):
    start_year = serializers.CharField()
    end_year = serializers.CharField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    rm_number = serializers.CharField(required=False, allow_blank=True, default="")
    rm_date = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description=(
        "Un proyecto del portafolio del PGD: plan, objetivo, equipo, presupuesto, fechas, "
        "prioridad y estado."
    )
)
class ProjectSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.code")
    objective = serializers.CharField(source="objective.code", allow_null=True)

    class Meta:
        model = Project
        fields = [
            "code",
            "plan",
            "name",
            "objective",
            "team",
            "budget",
            "start_date",
            "end_date",
            "priority",
            "status",
        ]


class ProgressRowSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_id = serializers.IntegerField()
    requested_on = serializers.DateField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    delta = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    state = serializers.CharField()
    achievements = serializers.CharField()
    reported_by = serializers.CharField()


@extend_schema_serializer(
    description="Un proyecto del PGD con su descripción, ficha, indicadores y avance por periodo."
)
class ProjectDetailSerializer(ProjectSerializer):
    indicators = IndicatorSerializer(many=True)
    carried_from = serializers.CharField(source="carried_from.code", allow_null=True)
    history = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "description",
            "ficha_file",
            "carried_from",
            "indicators",
            "history",
        ]

    def get_history(self, project: Project) -> list[dict[str, Any]]:
        return list(ProgressRowSerializer(project_history(project), many=True).data)


@extend_schema_serializer(
    description="Propuesta de un proyecto para el portafolio del PGD, con sus indicadores."
)
class ProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    team = serializers.CharField(allow_blank=True)
    objective = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    budget = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.CharField(required=False, allow_blank=True, default="")
    end_date = serializers.CharField(required=False, allow_blank=True, default="")
    indicators = serializers.ListField(child=serializers.DictField(), required=False, default=list)


class ComparisonRowSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    percent = serializers.DecimalField(
        source="current.percent", max_digits=5, decimal_places=2, allow_null=True
    )
    state = serializers.CharField(source="current.state", allow_null=True)
    previous_percent = serializers.DecimalField(
        source="previous.percent", max_digits=5, decimal_places=2, allow_null=True
    )
    previous_state = serializers.CharField(source="previous.state", allow_null=True)
    delta = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    state_changed = serializers.BooleanField()


@extend_schema_serializer(
    description=(
        "Un periodo de seguimiento del PGD con su informe y el avance de cada proyecto frente al "
        "periodo anterior."
    )
)
class PeriodDetailSerializer(PeriodRowSerializer):
    plan = serializers.CharField(source="plan.code")
    previous = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()

    class Meta(PeriodRowSerializer.Meta):
        fields = [
            *PeriodRowSerializer.Meta.fields,
            "plan",
            "report_file",
            "achievements",
            "difficulties",
            "recommendations",
            "instance",
            "previous",
            "projects",
        ]

    def get_previous(self, period: FollowUpPeriod) -> str | None:
        before = previous_period(period)
        return before.label if before else None

    def get_projects(self, period: FollowUpPeriod) -> list[dict[str, Any]]:
        return list(ComparisonRowSerializer(period_comparison(period), many=True).data)


@extend_schema_serializer(
    description=(
        "El avance de un proyecto en un periodo de seguimiento: porcentaje, estado y logros."
    )
)
class ProgressBodySerializer(serializers.Serializer):
    project = serializers.CharField(allow_blank=True)
    percent = serializers.CharField(allow_blank=True)
    state = serializers.CharField(allow_blank=True)
    achievements = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description="Un acuerdo del Comité de Gobierno Digital: asunto, texto, votación y resultado."
)
class AgreementSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.code", allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "code",
            "subject",
            "text",
            "votes_for",
            "votes_against",
            "abstentions",
            "result",
            "plan",
            "instance",
            "created_at",
        ]


@extend_schema_serializer(
    description=(
        "Una sesión del Comité de Gobierno Digital: fecha, tipo, miembros presentes, quórum y N° "
        "de acta."
    )
)
class SessionSerializer(serializers.ModelSerializer):
    present = serializers.SerializerMethodField()
    quorum = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["code", "date", "kind", "members_in_office", "present", "quorum", "acta_number"]

    def get_present(self, session: Session) -> int:
        return int(getattr(session, "present", None) or session.attendance.count())

    def get_quorum(self, session: Session) -> bool:
        return self.get_present(session) >= session.quorum_needed


@extend_schema_serializer(
    description=(
        "Una sesión del Comité de Gobierno Digital con su agenda, acta, asistencia y acuerdos."
    )
)
class SessionDetailSerializer(SessionSerializer):
    attendance = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)  # type: ignore[var-annotated]
    agreements = AgreementSerializer(many=True)

    class Meta(SessionSerializer.Meta):
        fields = [
            *SessionSerializer.Meta.fields,
            "agenda",
            "acta_file",
            "notes",
            "attendance",
            "agreements",
        ]


@extend_schema_serializer(
    description=(
        "Registro de una sesión del Comité de Gobierno Digital: fecha, agenda y miembros presentes."
    )
)
class SessionCreateSerializer(serializers.Serializer):
    date = serializers.CharField(allow_blank=True)
    agenda = serializers.CharField(allow_blank=True)
    present = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    kind = serializers.CharField(required=False, allow_blank=True, default="ordinaria")
    acta_number = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description=(
        "Registro de un acuerdo de una sesión del Comité de Gobierno Digital, con su votación."
    )
)
class AgreementCreateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    subject = serializers.CharField(required=False, allow_blank=True, default="otro")
    votes_for = serializers.CharField(allow_blank=True)
    votes_against = serializers.CharField(required=False, allow_blank=True, default="0")
    abstentions = serializers.CharField(required=False, allow_blank=True, default="0")


@extend_schema_serializer(
    description=(
        "Un riesgo de la matriz de riesgos de gobierno digital: activo, amenaza, vulnerabilidad, "
        "nivel inherente y residual, tratamiento y responsable."
    )
)
class RiskSerializer(serializers.ModelSerializer):
    inherent_level = serializers.CharField()
    residual_level = serializers.CharField()
    plan = serializers.CharField(source="plan.code", allow_null=True)

    class Meta:
        model = Risk
        fields = [
            "code",
            "asset",
            "threat",
            "vulnerability",
            "context",
            "likelihood",
            "impact",
            "inherent",
            "inherent_level",
            "treatment",
            "controls",
            "residual_likelihood",
            "residual_impact",
            "residual",
            "residual_level",
            "owner",
            "due_date",
            "status",
            "source",
            "plan",
            "instance",
            "approved_by_name",
            "approved_at",
            "created_at",
        ]


@extend_schema_serializer(
    description=(
        "Registro de un riesgo (todos los campos obligatorios) o su cambio (los campos enviados "
        "reemplazan a los actuales)."
    )
)
class RiskBodySerializer(serializers.Serializer):
    """Create: every required field; update: the fields given replace the current ones."""

    asset = serializers.CharField(required=False, allow_blank=True)
    threat = serializers.CharField(required=False, allow_blank=True)
    vulnerability = serializers.CharField(required=False, allow_blank=True)
    context = serializers.CharField(required=False, allow_blank=True)  # type: ignore[assignment]
    likelihood = serializers.JSONField(required=False)
    impact = serializers.JSONField(required=False)
    treatment = serializers.CharField(required=False, allow_blank=True)
    controls = serializers.CharField(required=False, allow_blank=True)
    residual_likelihood = serializers.JSONField(required=False)
    residual_impact = serializers.JSONField(required=False)
    owner = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.CharField(required=False, allow_blank=True)
    status = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description="Una celda del mapa de calor: impacto, cuántos riesgos, puntaje y nivel."
)
class HeatCellSerializer(serializers.Serializer):
    impact = serializers.IntegerField()
    count = serializers.IntegerField()
    score = serializers.IntegerField()
    level = serializers.CharField()


@extend_schema_serializer(
    description="Una fila del mapa de calor: una probabilidad con sus celdas por impacto."
)
class HeatRowSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    cells = HeatCellSerializer(many=True)


@extend_schema_serializer(
    description="El mapa de calor de los riesgos (inherente o residual): probabilidad por impacto."
)
class HeatMapSerializer(serializers.Serializer):
    residual = serializers.BooleanField()
    rows = HeatRowSerializer(many=True)
