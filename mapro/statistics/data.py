"""Reference data of the sector's statistics: the datasets and tables ``mapro seed`` loads.

Two datasets of the anuario, each a Frictionless Table Schema with its cross-checks:
personnel by category and sex (annual), and operations by region and month (annual, a row per
region and month). Tables and charts are defined once over them.
"""

from __future__ import annotations

from typing import Any

CATEGORIES = ["OFICIALES", "TECNICOS", "SUBOFICIALES", "TROPA", "CIVILES"]
REGIONS = [
    "AMAZONAS",
    "ANCASH",
    "APURIMAC",
    "AREQUIPA",
    "AYACUCHO",
    "CAJAMARCA",
    "CALLAO",
    "CUSCO",
    "HUANCAVELICA",
    "HUANUCO",
    "ICA",
    "JUNIN",
    "LA LIBERTAD",
    "LAMBAYEQUE",
    "LIMA",
    "LORETO",
    "MADRE DE DIOS",
    "MOQUEGUA",
    "PASCO",
    "PIURA",
    "PUNO",
    "SAN MARTIN",
    "TACNA",
    "TUMBES",
    "UCAYALI",
]

PERSONAL: dict[str, Any] = {
    "code": "personal",
    "title": "Personal por categoría y sexo",
    "description": "Efectivos al 31 de diciembre, por categoría y sexo.",
    "periodicity": "anual",
    "due_business_days": 20,
    "schema": {
        "fields": [
            {
                "name": "categoria",
                "title": "Categoría",
                "type": "string",
                "constraints": {"required": True, "enum": CATEGORIES},
            },
            {
                "name": "hombres",
                "title": "Hombres",
                "type": "integer",
                "unit": "personas",
                "constraints": {"required": True, "minimum": 0},
            },
            {
                "name": "mujeres",
                "title": "Mujeres",
                "type": "integer",
                "unit": "personas",
                "constraints": {"required": True, "minimum": 0},
            },
            {
                "name": "total",
                "title": "Total",
                "type": "integer",
                "unit": "personas",
                "constraints": {"required": True, "minimum": 0},
            },
        ],
        "primaryKey": ["categoria"],
    },
    "checks": [
        {"type": "suma", "total": "total", "parts": ["hombres", "mujeres"]},
        {"type": "periodo_anterior", "field": "total", "by": ["categoria"], "tolerance": 0.3},
    ],
}

OPERACIONES: dict[str, Any] = {
    "code": "operaciones",
    "title": "Operaciones y acciones cívicas por región y mes",
    "description": "Operaciones realizadas y personas atendidas en acciones cívicas.",
    "periodicity": "anual",
    "due_business_days": 20,
    "schema": {
        "fields": [
            {
                "name": "region",
                "title": "Región",
                "type": "string",
                "constraints": {"required": True, "enum": REGIONS},
            },
            {
                "name": "mes",
                "title": "Mes",
                "type": "integer",
                "constraints": {"required": True, "minimum": 1, "maximum": 12},
            },
            {
                "name": "operaciones",
                "title": "Operaciones",
                "type": "integer",
                "unit": "operaciones",
                "constraints": {"required": True, "minimum": 0},
            },
            {
                "name": "atendidos",
                "title": "Personas atendidas",
                "type": "integer",
                "unit": "personas",
                "constraints": {"required": True, "minimum": 0},
            },
        ],
        "primaryKey": ["region", "mes"],
    },
    "checks": [],
}

DATASETS = (PERSONAL, OPERACIONES)

TABLES: tuple[dict[str, Any], ...] = (
    {
        "code": "personal-por-organo",
        "title": "Personal del Sector Defensa por órgano y categoría",
        "dataset": "personal",
        "row_field": "organo",
        "column_field": "categoria",
        "measure": "total",
        "chart": "apiladas",
        "order": 1,
        "key_series": True,
    },
    {
        "code": "personal-por-sexo",
        "title": "Personal del Sector Defensa por categoría y sexo",
        "dataset": "personal",
        "row_field": "categoria",
        "column_field": "",
        "measure": "mujeres",
        "chart": "barras",
        "order": 2,
        "key_series": False,
    },
    {
        "code": "operaciones-por-mes",
        "title": "Operaciones por mes",
        "dataset": "operaciones",
        "row_field": "mes",
        "column_field": "organo",
        "measure": "operaciones",
        "chart": "lineas",
        "order": 3,
        "key_series": True,
    },
    {
        "code": "atendidos-por-region",
        "title": "Personas atendidas en acciones cívicas por región",
        "dataset": "operaciones",
        "row_field": "region",
        "column_field": "",
        "measure": "atendidos",
        "chart": "barras",
        "order": 4,
        "key_series": True,
    },
)
