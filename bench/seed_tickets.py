"""Load N help-desk tickets with their action logs into a throwaway PostgreSQL database, fast.

For ``bench_helpdesk_queue.py`` (see docs/benchmarks.md, "Help desk queue"). Steps:

1. drop and create the database (its name must start with ``mapro_bench``), then
   ``mapro migrate`` and ``mapro seed --demo`` in a subprocess, as an installation would;
2. ``COPY`` (psycopg 3 ``cursor.copy``) thousands of requester people, then the tickets and
   their log lines in chunks of 20,000 tickets, inside one transaction, with the secondary
   indexes of both tables dropped during the load and created again afterwards from the
   definitions the migrations made (``pg_get_indexdef``); foreign keys stay checked;
3. ``TicketSequence`` set to each year's last number, the id sequences moved past the
   loaded ids, the dashboard's counters recounted (``mapro helpdesk_counters --recount``),
   ``VACUUM (ANALYZE)`` of both tables and of the counters.

The full-text column ``search_vector`` is a generated column (migration 0002): PostgreSQL
computes it for every copied row; the script checks that every row has one.

Distributions (deterministic for a given ``--seed``):

- ``created_at`` over the last 3 years, volume growing over time (≈ ×2 from the first to the
  last month), on weekdays and office hours mostly; ids and numbers follow creation order,
  ``MA-<year>-<n>`` correlative per year (America/Lima);
- status by age: tickets older than 30 days are almost all ``cerrado`` (≈ 99 %; a few stay
  en espera / en atención / resuelto); the last 30 days mix every status;
- category weighted by what a ministry's desk gets (soporte técnico ≈ 40 %, accounts ≈ 18 %,
  …); team = the category's team; priority from the impact × urgency matrix (low mostly);
  channel portal ≈ 60 %, correo, teléfono, presencial, sistema;
- requesters: ``--people`` people (default ``max(2000, N / 50)``) spread over every unit, with a
  skewed (Zipf-like) number of tickets each; assignees: the demo users of the OGTIE teams;
- subject and description: Spanish sentences from per-category templates and a vocabulary
  with a skewed word frequency; "impresora" is in ≈ 13 % of tickets, "telepresencia" in ≈ 0.05 %
  (the common and rare words of the search scenarios);
- log: created → (returned | assigned → started → [on hold] → resolved → closed) plus comments
  and internal notes: 1–7 lines per ticket, 4.65 on average.

Run (the two sizes of the benchmark)::

    .venv/bin/python bench/seed_tickets.py --tickets 10000 \\
        --url postgres://mapro@127.0.0.1:55432/mapro_bench_hd_10k
    .venv/bin/python bench/seed_tickets.py --tickets 1000000 \\
        --url postgres://mapro@127.0.0.1:55432/mapro_bench_hd_1m
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import _common

LIMA = zoneinfo.ZoneInfo("America/Lima")
CHUNK = 20_000
DNI_BASE = 40_000_000  # the demo people use 9000xxxx: a disjoint block
YEARS = 3
RECENT_DAYS = 30


def _words(text: str) -> list[str]:
    return text.split()


# --- what tickets are about --------------------------------------------------------------------

#: (category code, weight): share of tickets. Codes missing from the database are skipped.
CATEGORY_WEIGHTS = [
    ("soporte-tecnico", 40),
    ("cuentas-creacion", 6),
    ("cuentas-modificacion", 4),
    ("cuentas-privilegios", 3),
    ("cuentas-vpn", 3),
    ("cuentas-eliminacion", 2),
    ("certificado-digital", 6),
    ("copia-restauracion", 3),
    ("equipos-telefonicos", 5),
    ("publicacion-servicio-web", 1),
    ("control-calidad", 1),
    ("pase-produccion", 1),
    ("capacitacion", 2),
    ("incidente-infraestructura", 4),
    ("incidente-seguridad", 2),
    ("spam-phishing", 5),
    ("acceso-centro-datos", 2),
    ("respaldo", 3),
    ("mantenimiento-equipos", 7),
]

SUBJECTS: dict[str, list[str]] = {
    "soporte-tecnico": [
        "No enciende la computadora de {lugar}",
        "La impresora de {lugar} no imprime",
        "Atasco de papel en la impresora de {lugar}",
        "Instalar la impresora de red en {lugar}",
        "El monitor parpadea en {lugar}",
        "Lentitud del equipo de {lugar}",
        "No funciona el teclado en {lugar}",
        "Configurar el correo institucional en {lugar}",
        "Instalar programa ofimático en {lugar}",
        "Sin conexión a internet en {lugar}",
        "El proyector de {lugar} no muestra imagen",
        "Virus detectado por el antivirus en {lugar}",
        "Escáner sin controlador en {lugar}",
        "La laptop no carga la batería",
        "Pantalla azul al iniciar sesión",
    ],
    "cuentas": [
        "Crear cuenta de usuario para personal nuevo de {lugar}",
        "Modificar accesos del usuario de {lugar}",
        "Restablecer contraseña de red",
        "Otorgar privilegios de administrador local",
        "Acceso VPN para trabajo remoto",
        "Eliminar cuenta de personal que cesó en {lugar}",
        "Acceso a la carpeta compartida de {lugar}",
        "Cuenta de correo bloqueada",
    ],
    "certificado-digital": [
        "Emisión de certificado digital para {lugar}",
        "Renovación del certificado digital vencido",
        "Revocación de certificado digital por pérdida del token",
        "Instalar certificado digital y firma en {lugar}",
    ],
    "copia-restauracion": [
        "Restaurar archivos borrados de la carpeta de {lugar}",
        "Copia de restauración de la base de datos de {lugar}",
        "Recuperar correos eliminados",
    ],
    "equipos-telefonicos": [
        "Anexo telefónico sin tono en {lugar}",
        "Asignar anexo al personal de {lugar}",
        "Teléfono IP no registra",
        "Habilitar videoconferencia en la sala de {lugar}",
    ],
    "publicacion-servicio-web": ["Publicar servicio web del sistema de {lugar}"],
    "control-calidad": ["Control de calidad del sistema de {lugar}"],
    "pase-produccion": ["Pase a producción del módulo de {lugar}"],
    "capacitacion": ["Capacitación en el uso del sistema de trámite para {lugar}"],
    "incidente-infraestructura": [
        "Caída del servidor de aplicaciones",
        "Corte del enlace de datos en {lugar}",
        "Falla del switch del piso de {lugar}",
        "El almacenamiento del servidor está lleno",
    ],
    "incidente-seguridad": [
        "Acceso no autorizado detectado en {lugar}",
        "Equipo infectado con malware en {lugar}",
        "Fuga de información sospechosa",
    ],
    "spam-phishing": [
        "Correo sospechoso de phishing recibido en {lugar}",
        "Campaña de spam en el correo institucional",
        "Mensaje fraudulento que pide la contraseña",
    ],
    "acceso-centro-datos": ["Acceso al centro de datos para mantenimiento del proveedor"],
    "respaldo": ["Respaldo semanal de la información de {lugar}"],
    "mantenimiento-equipos": [
        "Mantenimiento preventivo de computadoras de {lugar}",
        "Mantenimiento correctivo de la impresora de {lugar}",
        "Limpieza de equipos de {lugar}",
    ],
}

LUGARES = [
    "la oficina de logística",
    "la secretaría general",
    "recursos humanos",
    "la mesa de partes",
    "la oficina de presupuesto",
    "tesorería",
    "el despacho ministerial",
    "la dirección de inteligencia",
    "asesoría jurídica",
    "la oficina de comunicaciones",
    "el archivo central",
    "el área de contabilidad",
    "el almacén",
    "la sala de reuniones del quinto piso",
    "el auditorio",
    "la oficina de planeamiento",
]

#: Description vocabulary, most frequent first (Zipf-like weights by rank).
VOCABULARY = _words(
    "el equipo usuario sistema correo solicito favor atender urgente oficina computadora "
    "red acceso error mensaje archivo documento trabajo personal servidor internet "
    "contraseña pantalla conexión programa reinicio apoyo revisar configuración instalar "
    "actualizar servicio problema cuenta carpeta compartida disco memoria lentitud teclado "
    "mouse monitor cable licencia ofimática navegador página institucional firma digital "
    "certificado token vpn remoto anexo teléfono proyector escáner papel tóner cartucho "
    "batería cargador laptop portátil garantía proveedor mantenimiento preventivo "
    "correctivo respaldo copia restauración base datos aplicación módulo trámite "
    "expediente reporte informe memorando oficio resolución directiva reunión capacitación "
    "videoconferencia micrófono cámara audio parlante sonido virus antivirus bloqueo spam "
    "phishing enlace adjunto sospechoso seguridad incidente vulnerabilidad parche switch "
    "router cableado punto eléctrico estabilizador ups apagón piso sótano almacén "
    "patrimonial código inventario asignación reasignación baja alta renovación "
    "vencimiento caducidad plazo jefe director secretaria asistente analista técnico "
    "especialista coordinador soporte mesa ayuda llamada anterior impresora pendiente "
    "nuevamente todavía desde ayer mañana tarde semana pasada hoy gracias atentamente "
    "saludos cordiales"
)
RARE_WORDS = ["telepresencia", "hiperconvergente", "criptoprocesador", "ciberejercicio"]
RARE_PROBABILITY = 0.002  # one of the four: 0.05 % of tickets each

FIRST_NAMES = _words(
    "Juan José Luis Carlos Jorge Miguel Pedro Manuel Víctor César Raúl Julio Ricardo "
    "Fernando Óscar Alberto Walter Edwin Roberto Hugo María Rosa Ana Carmen Luz Elena "
    "Julia Sonia Silvia Patricia Gloria Teresa Mónica Lucía Pilar Diana Karina Milagros "
    "Rocío Giovanna"
)
LAST_NAMES = _words(
    "Quispe Flores Sánchez Rodríguez García Rojas Huamán Mamani Vásquez Chávez Ramos "
    "Torres Díaz Mendoza Castillo Espinoza López Gonzales Ramírez Pérez Cruz Gutiérrez "
    "Vargas Romero Salazar Cárdenas Paredes Córdova Medina Aguilar Herrera Ríos Castro "
    "Ortiz Morales Reyes Jiménez Ccori Condori Apaza Zapata Palomino Villanueva Cáceres "
    "Navarro"
)

CHANNELS = [("portal", 60), ("correo", 20), ("telefono", 12), ("presencial", 6), ("sistema", 2)]
IMPACTS = [("bajo", 55), ("medio", 33), ("alto", 12)]
URGENCIES = [("baja", 45), ("media", 40), ("alta", 15)]
PRIORITY = {
    ("alto", "alta"): "critica",
    ("alto", "media"): "alta",
    ("alto", "baja"): "media",
    ("medio", "alta"): "alta",
    ("medio", "media"): "media",
    ("medio", "baja"): "baja",
    ("bajo", "alta"): "media",
    ("bajo", "media"): "baja",
    ("bajo", "baja"): "baja",
}
#: (response, resolution) targets in hours per priority (calendar hours: an approximation of
#: the business-hours SLA; the queue does not read them except for the "overdue" flag).
DUE_HOURS = {"critica": (1, 4), "alta": (2, 8), "media": (4, 24), "baja": (8, 72)}
#: Final status of tickets older than RECENT_DAYS, and of recent ones.
OLD_STATUSES = [("cerrado", 9900), ("en_espera", 40), ("en_atencion", 30), ("resuelto", 30)]
RECENT_STATUSES = [
    ("registrado", 10),
    ("asignado", 14),
    ("en_atencion", 20),
    ("en_espera", 8),
    ("devuelto", 4),
    ("resuelto", 16),
    ("cerrado", 28),
]
HOLD_REASONS = [
    "Se espera el código patrimonial del equipo.",
    "Pendiente la firma del jefe inmediato en la solicitud.",
    "Se espera la visita del proveedor por garantía.",
    "El usuario no se encuentra en la oficina.",
]
RETURN_OBSERVATIONS = [
    "Falta adjuntar la declaración jurada firmada.",
    "Falta el acta de aceptación de riesgos firmada por el director.",
    "La solicitud no indica la ubicación del equipo.",
]
SOLUTIONS = [
    "Se reinstaló el controlador y se verificó el funcionamiento.",
    "Se reemplazó el cable de red dañado.",
    "Se restableció la contraseña y se verificó el acceso con el usuario.",
    "Se creó la cuenta y se entregaron las credenciales al usuario.",
    "Se atendió con el proveedor en garantía; equipo operativo.",
    "Se restauró la información desde la copia de respaldo.",
    "Se bloqueó el remitente y se eliminaron los correos de los buzones.",
]
COMMENTS = [
    "Se contactó al usuario por teléfono.",
    "El usuario indica que el problema persiste.",
    "Se coordina la visita para mañana en la mañana.",
    "Se solicitó el repuesto al almacén.",
]
INTERNAL_NOTES = [
    "Revisar si el equipo tiene garantía vigente.",
    "Posible falla de hardware: escalar al proveedor.",
    "Coordinar con infraestructura el cambio de puerto.",
]


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class Picker:
    """``random.choices`` with precomputed cumulative weights."""

    def __init__(self, rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> None:
        self.rng = rng
        self.values = [v for v, _ in pairs]
        self.cum = cumulative([w for _, w in pairs])

    def one(self) -> Any:
        return self.values[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]

    def many(self, k: int) -> list[Any]:
        return self.rng.choices(self.values, cum_weights=self.cum, k=k)


# --- the database --------------------------------------------------------------------------------


def run_mapro(url: str, *args: str) -> None:
    env = _common.server_env(url, os.environ["MAPRO_VAR_DIR"])
    mapro = os.path.join(os.path.dirname(sys.executable), "mapro")
    subprocess.run([mapro, *args], check=True, env=env, cwd=_common.ROOT)  # noqa: S603


def create_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("mapro_bench"):
        raise SystemExit(f"Refusing to use {name!r}: the bench database must be mapro_bench*.")
    _common._recreate_pg_database(url)
    run_mapro(url, "migrate", "--no-input", "-v", "0")
    run_mapro(url, "seed", "--demo")


class World:
    """What the tickets hang from: units, categories with their teams, OGTIE staff users."""

    def __init__(self, conn: Any) -> None:
        rows = conn.execute(
            "SELECT id, code, path FROM organization_unit WHERE is_active"
        ).fetchall()
        self.units = [(r[0], r[1], r[2]) for r in rows]
        rows = conn.execute("SELECT id, code, team_id, path FROM helpdesk_category").fetchall()
        by_code = {r[1]: (r[0], r[2], r[3]) for r in rows}
        self.categories = [
            (code, *by_code[code][:2], weight)
            for code, weight in CATEGORY_WEIGHTS
            if code in by_code
        ]
        team_paths = {u[0]: u[2] for u in self.units}
        # Demo users with an OGTIE team role, and the path of their person's unit.
        rows = conn.execute(
            """
            SELECT DISTINCT u.id, u.first_name || ' ' || u.last_name, un.path
            FROM auth_user u
            JOIN organization_person p ON p.user_id = u.id
            JOIN organization_unit un ON un.id = p.unit_id
            JOIN organization_roleassignment ra ON ra.person_id = p.id
            JOIN organization_role r ON r.id = ra.role_id
            WHERE u.is_active AND r.inside_ogtie
              AND r.code NOT IN ('operador-mesa', 'jefe-ogtie')
            ORDER BY u.id
            """
        ).fetchall()
        staff = [(r[0], r[1], r[2]) for r in rows]
        if not staff:
            raise SystemExit("No OGTIE staff users: run `mapro seed --demo` first.")
        #: team unit id → staff users of that team (fallback: every staff user).
        self.staff_by_team: dict[int, list[tuple[int, str]]] = {}
        for _code, _cat_id, team_id, _w in self.categories:
            path = team_paths.get(team_id, "")
            members = [(s[0], s[1]) for s in staff if path and s[2].startswith(path)]
            self.staff_by_team[team_id] = members or [(s[0], s[1]) for s in staff]
        row = conn.execute(
            "SELECT id, first_name || ' ' || last_name FROM auth_user WHERE username = %s",
            ("operador-mesa",),
        ).fetchone()
        if row is None:
            raise SystemExit("No operador-mesa user: run `mapro seed --demo` first.")
        self.operator = (row[0], row[1])


def load_people(conn: Any, rng: random.Random, count: int, units: list[tuple]) -> list[tuple]:
    """COPY ``count`` people (no login) over the units; return their (id, unit id, name)."""
    unit_pick = Picker(rng, [(u[0], 1 + rng.random() * 9) for u in units])
    regimes = Picker(rng, [("cas", 40), ("nombrado", 25), ("militar", 25), ("orden_servicio", 10)])
    with conn.cursor() as cur:
        with cur.copy(
            "COPY organization_person (first_name, last_name, dni, cargo, unit_id, regime, email)"
            " FROM STDIN"
        ) as copy:
            for i in range(count):
                first = rng.choice(FIRST_NAMES)
                last = f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
                copy.write_row(
                    (first, last, str(DNI_BASE + i), "Servidor(a) civil", unit_pick.one(),
                     regimes.one(), f"u{DNI_BASE + i}@mindef.gob.pe")
                )  # fmt: skip
        cur.execute(
            "SELECT id, unit_id, first_name || ' ' || last_name FROM organization_person"
            " WHERE dni >= %s AND dni < %s ORDER BY dni",
            (str(DNI_BASE), str(DNI_BASE + count)),
        )
        return cur.fetchall()


def creation_times(
    rng: random.Random, count: int, end: datetime.datetime
) -> list[datetime.datetime]:
    """``count`` sorted times over YEARS years up to ``end``: growing volume, office hours."""
    days = YEARS * 365
    start = end - datetime.timedelta(days=days)
    # Density grows linearly from 1 to 2 over the span: inverse CDF of a + (b - a) x.
    hours = Picker(rng, list(enumerate(HOUR_WEIGHTS)))
    out = []
    for _ in range(count):
        u = rng.random()
        x = -1 + (1 + 3 * u) ** 0.5  # solves (x + x²/2) / 1.5 = u on [0, 1]
        day = start + datetime.timedelta(days=int(x * days))
        local = day.astimezone(LIMA)
        if local.weekday() >= 5 and rng.random() < 0.85:  # most weekend tickets move to Monday
            local += datetime.timedelta(days=7 - local.weekday())
        hour = hours.one()
        local = local.replace(
            hour=hour, minute=rng.randrange(60), second=rng.randrange(60),
            microsecond=rng.randrange(1_000_000),
        )  # fmt: skip
        out.append(min(local.astimezone(datetime.UTC), end))
    out.sort()
    return out


HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 6, 40, 60, 60, 55, 30, 35, 55, 55, 45, 25, 8, 4, 3, 2, 1, 1]


class Generator:
    """Tickets and log lines, one at a time, in creation order."""

    def __init__(
        self, rng: random.Random, world: World, people: list[tuple], now: datetime.datetime
    ):
        self.rng = rng
        self.world = world
        self.now = now
        ranks = range(1, len(people) + 1)
        people = list(people)
        rng.shuffle(people)
        self.requester = Picker(rng, [(p, 1 / r**0.7) for p, r in zip(people, ranks, strict=True)])
        self.category = Picker(rng, [((c[0], c[1], c[2]), c[3]) for c in world.categories])
        self.channel = Picker(rng, CHANNELS)
        self.impact = Picker(rng, IMPACTS)
        self.urgency = Picker(rng, URGENCIES)
        self.old_status = Picker(rng, OLD_STATUSES)
        self.recent_status = Picker(rng, RECENT_STATUSES)
        self.vocab = VOCABULARY
        self.vocab_cum = cumulative([1 / r for r in range(1, len(VOCABULARY) + 1)])
        self.year_counter: dict[int, int] = {}

    def words(self, k: int) -> str:
        words = self.rng.choices(self.vocab, cum_weights=self.vocab_cum, k=k)
        if self.rng.random() < RARE_PROBABILITY:
            words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(RARE_WORDS))
        return " ".join(words)

    def ticket(self, pk: int, created: datetime.datetime) -> tuple[tuple, list[tuple]]:
        rng = self.rng
        year = created.astimezone(LIMA).year
        self.year_counter[year] = n = self.year_counter.get(year, 0) + 1
        person_id, unit_id, person_name = self.requester.one()
        code, category_id, team_id = self.category.one()
        family = code if code in SUBJECTS else code.split("-")[0]
        subject = rng.choice(SUBJECTS.get(family, SUBJECTS["soporte-tecnico"])).format(
            lugar=rng.choice(LUGARES)
        )
        description = f"{subject}. {self.words(rng.randint(12, 40)).capitalize()}."
        channel = self.channel.one()
        impact, urgency = self.impact.one(), self.urgency.one()
        priority = PRIORITY[(impact, urgency)]
        age = self.now - created
        recent = age < datetime.timedelta(days=RECENT_DAYS)
        status = (self.recent_status if recent else self.old_status).one()
        respond_h, resolve_h = DUE_HOURS[priority]
        response_due = created + datetime.timedelta(hours=respond_h)
        resolution_due = created + datetime.timedelta(hours=resolve_h)
        staff = self.world.staff_by_team[team_id]
        operator = self.world.operator
        technician = rng.choice(staff)

        def later(t: datetime.datetime, hours: float) -> datetime.datetime:
            return min(t + datetime.timedelta(hours=rng.random() * hours + 0.02), self.now)

        actions: list[tuple] = []

        def act(kind, who, when, body="", old="", new="", visible=True):  # type: ignore[no-untyped-def]
            author_id, author_name = who if who else (None, person_name)
            actions.append((pk, kind, author_id, author_name, when, body, old, new, visible))

        t = created
        act("created", None, t, description, "", "registrado")
        assignee = None
        first_response = resolved = closed = paused_since = None
        hold_reason = solution = ""
        if status == "devuelto" or (status == "cerrado" and rng.random() < 0.04):
            t = later(t, 4)
            hold_reason = rng.choice(RETURN_OBSERVATIONS)
            act("status_change", operator, t, hold_reason, "registrado", "devuelto")
            first_response = t
            if status == "devuelto":
                paused_since = t
            else:
                t = later(t, 72)
                act("status_change", operator, t, "Cerrado sin subsanar.", "devuelto", "cerrado")
                closed = t
                hold_reason = ""
        elif status != "registrado":
            t = later(t, 3)
            assignee = technician
            act("assignment", operator, t, f"Asignado — {technician[1]}.", "registrado", "asignado")
            first_response = t
            quick = status in ("resuelto", "cerrado") and rng.random() < 0.4
            if status not in ("asignado",) and not quick:  # resolved without starting: quick
                t = later(t, 6)
                act("status_change", technician, t, "", "asignado", "en_atencion")
                if rng.random() < 0.3:
                    t = later(t, 4)
                    if rng.random() < 0.5:
                        act("comment", technician, t, rng.choice(COMMENTS))
                    else:
                        act(
                            "internal_note",
                            technician,
                            t,
                            rng.choice(INTERNAL_NOTES),
                            visible=False,
                        )
            if status == "en_espera":
                t = later(t, 4)
                hold_reason = rng.choice(HOLD_REASONS)
                act("status_change", technician, t, hold_reason, "en_atencion", "en_espera")
                paused_since = t
            elif status in ("resuelto", "cerrado"):
                t = later(t, resolve_h)
                solution = rng.choice(SOLUTIONS)
                old = "asignado" if quick else "en_atencion"
                act("status_change", technician, t, solution, old, "resuelto")
                resolved = t
                if status == "cerrado":
                    t = later(t, 48)
                    if rng.random() < 0.6:
                        act("status_change", None, t, "Conforme.", "resuelto", "cerrado")
                    else:
                        act("status_change", operator, t, "Cierre por plazo de conformidad.",
                            "resuelto", "cerrado")  # fmt: skip
                    closed = t
        assignee_id = assignee[0] if assignee else None
        row = (
            pk, f"MA-{year}-{n:06d}", person_id, unit_id, channel, category_id, impact, urgency,
            priority, status, hold_reason, team_id, assignee_id, subject[:200],
            description, "{}", solution, response_due, resolution_due, first_response, resolved,
            closed, 0, paused_since, None,
            operator[0] if channel in ("telefono", "presencial") else None, created, t,
        )  # fmt: skip
        return row, actions


TICKET_COLUMNS = (
    "id, number, requester_id, requester_unit_id, channel, category_id, impact, urgency, "
    "priority, status, hold_reason, team_id, assignee_id, subject, description, data, solution, "
    "response_due_at, resolution_due_at, first_response_at, resolved_at, closed_at, "
    "paused_minutes, paused_since, instance_id, created_by_id, created_at, updated_at"
)
ACTION_COLUMNS = (
    "ticket_id, kind, author_id, author_name, created_at, body, from_status, to_status, "
    "visible_to_requester"
)
TABLES = ("helpdesk_ticket", "helpdesk_ticketaction")


def secondary_indexes(conn: Any) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of the two tables that back no constraint."""
    return conn.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        ORDER BY i.relname
        """,
        (list(TABLES),),
    ).fetchall()


def foreign_keys(conn: Any) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the foreign keys of the two tables."""
    return conn.execute(
        """
        SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND t.relname = ANY(%s)
        ORDER BY t.relname, c.conname
        """,
        (list(TABLES),),
    ).fetchall()


def chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def load(url: str, tickets: int, people_count: int, seed: int) -> dict[str, Any]:
    import psycopg

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 1)
        clock = now
        print(f"  {name}: {timings[name]} s", flush=True)

    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    with psycopg.connect(url) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '256MB'")
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checks queued until commit
        # would forbid CREATE INDEX in this transaction.
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        world = World(conn)
        existing = conn.execute("SELECT count(*) FROM helpdesk_ticket").fetchone()[0]
        if existing:
            raise SystemExit(f"The database already has {existing} tickets: recreate it.")
        people = load_people(conn, rng, people_count, world.units)
        lap(f"people ({people_count})")
        times = creation_times(rng, tickets, now)
        lap("creation times")
        # The usual bulk load (PostgreSQL manual, "Populating a Database"): drop the secondary
        # indexes and the foreign keys, load, then create them again exactly as the migrations
        # made them. Adding a foreign key back validates every row in one join.
        indexes = secondary_indexes(conn)
        fks = foreign_keys(conn)
        for table, name, _definition in fks:
            conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        gen = Generator(rng, world, people, now)
        action_count = 0
        gen_seconds = 0.0
        for part in chunks(tickets, CHUNK):
            started = time.perf_counter()
            rows, logs = [], []
            for i in part:
                row, lines = gen.ticket(i + 1, times[i])
                rows.append(row)
                logs.extend(lines)
            gen_seconds += time.perf_counter() - started
            with conn.cursor() as cur:
                with cur.copy(f"COPY helpdesk_ticket ({TICKET_COLUMNS}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                with cur.copy(f"COPY helpdesk_ticketaction ({ACTION_COLUMNS}) FROM STDIN") as copy:
                    for line in logs:
                        copy.write_row(line)
            action_count += len(logs)
            if part.stop % 200_000 == 0:
                print(f"    {part.stop} tickets", flush=True)
        timings["of which generating rows in Python"] = round(gen_seconds, 1)
        lap(f"tickets ({tickets}) and log lines ({action_count}) copied")
        for year, last in sorted(gen.year_counter.items()):
            conn.execute(
                "INSERT INTO helpdesk_ticketsequence (year, last) VALUES (%s, %s)"
                " ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last",
                (year, last),
            )
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('helpdesk_ticket', 'id'), %s)", (tickets,)
        )
        for _name, definition in indexes:
            conn.execute(definition)
        lap(f"{len(indexes)} secondary indexes created")
        for table, name, definition in fks:
            conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        lap(f"{len(fks)} foreign keys added back (validated)")
        conn.commit()
    # The COPY went behind the actions' back: fill the dashboard's counters from the tickets,
    # as an installation does after a bulk load or a restore.
    run_mapro(url, "helpdesk_counters", "--recount")
    lap("dashboard counters recounted")
    with psycopg.connect(url, autocommit=True) as conn:
        for table in (
            *TABLES,
            "organization_person",
            "helpdesk_ticketcount",
            "helpdesk_ticketdaycount",
        ):
            conn.execute(f"VACUUM (ANALYZE) {table}")
        lap("vacuum analyze")
        checks = conn.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE search_vector IS NULL OR search_vector = ''::tsvector),
                   (SELECT count(*) FROM helpdesk_ticketaction),
                   (SELECT sum(last) FROM helpdesk_ticketsequence),
                   count(*) FILTER (WHERE status = 'cerrado'),
                   count(DISTINCT requester_id),
                   pg_size_pretty(pg_total_relation_size('helpdesk_ticket')),
                   pg_size_pretty(pg_total_relation_size('helpdesk_ticketaction')),
                   count(*) FILTER (WHERE search_vector @@ to_tsquery('spanish', 'impresora')),
                   count(*) FILTER (WHERE search_vector @@ to_tsquery('spanish', 'telepresencia'))
            FROM helpdesk_ticket
            """
        ).fetchone()
    total, empty_vector, actions, numbered, closed, requesters, t_size, a_size, common, rare = (
        checks
    )
    if empty_vector or numbered != total or total != tickets:
        raise SystemExit(f"Inconsistent load: {checks}")
    return {
        "tickets": total,
        "actions": actions,
        "people": people_count,
        "requesters_with_tickets": requesters,
        "closed_share": round(closed / total, 4),
        "matches_impresora": common,
        "matches_telepresencia": rare,
        "ticket_table_size": t_size,
        "action_table_size": a_size,
        "years": sorted(gen.year_counter.items()),
        "timings_s": timings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="postgres://…/mapro_bench_… (recreated)")
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--people", type=int, default=0, help="requesters (default N/50, ≥ 2000)")
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args(argv)
    people = args.people or max(2000, args.tickets // 50)
    os.environ.setdefault("MAPRO_VAR_DIR", tempfile.mkdtemp(prefix="mapro-bench-"))
    started = time.perf_counter()
    print(f"== {urlsplit(args.url).path.lstrip('/')}: {args.tickets} tickets", flush=True)
    create_database(args.url)
    created = time.perf_counter()
    print(f"  database created, migrated and seeded: {created - started:.1f} s", flush=True)
    report = load(args.url, args.tickets, people, args.seed)
    report["timings_s"] = {
        "create, migrate, seed --demo": round(created - started, 1),
        **report["timings_s"],
        "total": round(time.perf_counter() - started, 1),
    }
    report["loadavg_at_end"] = list(os.getloadavg())
    report["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    _common.write_results(f"seed-tickets-{args.tickets}", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
