"""enqueue_mail: the row is written in the caller's transaction, once per key, in Spanish."""

import pytest
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist

from mapro.notifications.actions import enqueue_mail
from mapro.notifications.choices import Channel, OutboxStatus
from mapro.notifications.models import OutboxMessage


def _enqueue(key="prueba:1", to=("ana@mindef.gob.pe",), **kwargs):
    params = {
        "to": list(to),
        "subject": "Ticket MA-2026-000001 registrado",
        "template": "aviso",
        "context": {"nombre": "Ana Núñez", "mensaje": "Su solicitud fue registrada."},
        "key": key,
    }
    params.update(kwargs)
    return enqueue_mail(**params)


@pytest.mark.django_db
def test_enqueue_writes_a_pending_mail_rendered_in_spanish():
    with transaction.atomic():
        message = _enqueue()
    message.refresh_from_db()
    assert message.channel == Channel.MAIL
    assert message.status == OutboxStatus.PENDING
    assert message.recipients == ["ana@mindef.gob.pe"]
    assert message.subject == "Ticket MA-2026-000001 registrado"
    assert message.body_text.startswith("Estimado(a) Ana Núñez:")
    assert "Su solicitud fue registrada." in message.body_text
    assert "Ministerio de Defensa del Perú" in message.body_text
    assert message.payload == {"template": "aviso"}
    assert message.attempts == 0


@pytest.mark.django_db
def test_text_part_is_not_html_escaped():
    with transaction.atomic():
        message = _enqueue(context={"nombre": "Núñez & Cía", "mensaje": "Use <Ctrl> + 'F'"})
    assert "Núñez & Cía" in message.body_text
    assert "Use <Ctrl> + 'F'" in message.body_text


@pytest.mark.django_db(transaction=True)
def test_the_row_rolls_back_with_the_callers_transaction():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _enqueue(key="rollback:1")
        assert OutboxMessage.objects.filter(key="rollback:1").exists()
        raise ZeroDivisionError  # the state change fails after the mail was enqueued
    assert not OutboxMessage.objects.filter(key="rollback:1").exists()


@pytest.mark.django_db(transaction=True)
def test_the_row_commits_with_the_callers_transaction():
    with transaction.atomic():
        _enqueue(key="commit:1")
    assert OutboxMessage.objects.filter(key="commit:1", status=OutboxStatus.PENDING).exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        _enqueue(key="fuera:1")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_same_key_twice_gives_one_row_and_returns_the_first():
    with transaction.atomic():
        first = _enqueue(key="ticket:7:asignado")
        second = _enqueue(key="ticket:7:asignado", subject="Otro asunto")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().subject == "Ticket MA-2026-000001 registrado"


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_row_with_the_same_key():
    with transaction.atomic():
        _enqueue(key="unico:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(channel=Channel.MAIL, key="unico:1", recipients=["x@y.pe"])


@pytest.mark.django_db
@pytest.mark.parametrize("to", [[], [""], [None, "  "], ["no-es-correo"]])
def test_no_valid_recipient_writes_nothing(to):
    with transaction.atomic():
        assert _enqueue(to=to) is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_recipients_are_cleaned_and_deduplicated():
    with transaction.atomic():
        message = _enqueue(
            to=[" ana@mindef.gob.pe", "ANA@mindef.gob.pe", "malo", "luis@mindef.gob.pe"]
        )
    assert message.recipients == ["ana@mindef.gob.pe", "luis@mindef.gob.pe"]


@pytest.mark.django_db
def test_subject_line_breaks_are_collapsed():
    with transaction.atomic():
        message = _enqueue(subject="Asunto\r\nBcc: intruso@example.com")
    assert message.subject == "Asunto Bcc: intruso@example.com"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "con espacio", "salto\nde-linea", "x" * 201, "ñandú"])
def test_bad_keys_are_refused(key):
    with pytest.raises(ValueError), transaction.atomic():
        _enqueue(key=key)
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["../secreto", "Aviso", "/etc/passwd", "a//b", ""])
def test_bad_template_names_are_refused(template):
    with pytest.raises(ValueError), transaction.atomic():
        _enqueue(template=template)


@pytest.mark.django_db
def test_a_missing_template_fails_in_the_caller():
    with pytest.raises(TemplateDoesNotExist), transaction.atomic():
        _enqueue(template="no-existe")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_templates_get_the_site_url_for_links(settings):
    from mapro.notifications.rendering import absolute_url, render_mail

    settings.MAPRO_SITE_URL = "https://mapro.mindef.gob.pe/"
    assert absolute_url("/mesa/tickets/1/") == "https://mapro.mindef.gob.pe/mesa/tickets/1/"
    assert absolute_url("https://otro.pe/x") == "https://otro.pe/x"
    text, html = render_mail(
        "aviso", {"mensaje": "Hola", "enlace": absolute_url("/mesa/tickets/1/")}
    )
    assert "Puede ver el detalle en: https://mapro.mindef.gob.pe/mesa/tickets/1/" in text
    assert 'href="https://mapro.mindef.gob.pe/mesa/tickets/1/"' in html
    assert "mapro: https://mapro.mindef.gob.pe/\n" in text  # site_url is in every context


@pytest.mark.django_db
def test_a_bare_string_as_recipients_is_refused_not_silently_dropped():
    with pytest.raises(TypeError), transaction.atomic():
        enqueue_mail(
            to="ana@mindef.gob.pe",
            subject="Aviso",
            template="aviso",
            context={},
            key="cadena:1",
        )
