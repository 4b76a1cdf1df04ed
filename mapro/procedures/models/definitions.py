from django.db import models


class Procedure(models.Model):
    """A procedure of the manual (S04.02.00.03), the stable identity of its published versions.

    ``current_version`` is the version new instances start on; running instances keep the
    version they started with.
    """

    code = models.CharField("código", max_length=20, unique=True)
    name = models.CharField("nombre", max_length=300)
    level1 = models.CharField("proceso de nivel 1", max_length=20)
    level2 = models.CharField("proceso de nivel 2", max_length=20, blank=True)
    current_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "procedimiento"
        verbose_name_plural = "procedimientos"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureVersion(models.Model):
    """One published, immutable version of a ficha, keyed by the hash of its content.

    ``ficha`` is the validated ficha as JSON and ``bpmn_xml`` its compiled BPMN; neither is ever
    updated after publishing (a changed ficha publishes a new version).
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    content_hash = models.CharField("hash del contenido", max_length=64, unique=True)
    manual_version = models.CharField("versión del manual", max_length=20)
    ficha = models.JSONField("ficha")
    bpmn_xml = models.TextField("BPMN 2.0")
    published_at = models.DateTimeField("publicado", auto_now_add=True)

    class Meta:
        verbose_name = "versión de procedimiento"
        verbose_name_plural = "versiones de procedimiento"
        ordering = ["procedure", "-published_at"]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.manual_version} ({self.content_hash[:10]})"
