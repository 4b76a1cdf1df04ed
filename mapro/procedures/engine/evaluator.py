"""A restricted evaluator for gateway conditions, installed as the workflow's script engine.

SpiffWorkflow evaluates conditions with plain ``eval`` and a deserialized workflow gets a fresh
unrestricted engine, so the runner installs ``RestrictedScriptEngine`` on every workflow it
creates or loads. Conditions come only from our compiler (``field == "const"``,
``start == "key"``); the allow-list accepts comparisons, ``and``/``or``/``not``, names, constants
and subscripts of task data by a constant key — nothing else: no calls, no attributes, no
comprehensions, no lambdas. The expression is interpreted by walking the AST; ``eval`` is never
called. Script tasks are refused outright.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from ..exceptions import ExpressionNotAllowed

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


class UnknownName(KeyError):
    """The condition names a field that is not in the task data."""


@lru_cache(maxsize=1024)
def parse_condition(expression: str) -> ast.expr:
    """Parse and check ``expression`` against the allow-list; the result is cached per text."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionNotAllowed(f"Condición con sintaxis inválida: {expression!r}") from exc
    _check(tree.body, expression)
    return tree.body


def _check(node: ast.AST, expression: str) -> None:
    if isinstance(node, ast.Compare):
        if not all(type(op) in _COMPARE for op in node.ops):
            raise ExpressionNotAllowed(f"Operador no permitido en la condición {expression!r}")
        for child in (node.left, *node.comparators):
            _check(child, expression)
    elif isinstance(node, ast.BoolOp):
        for child in node.values:
            _check(child, expression)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, expression)
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        if node.id.startswith("_"):
            raise ExpressionNotAllowed(f"Nombre no permitido en la condición {expression!r}")
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, str | int | float | bool | type(None)):
            raise ExpressionNotAllowed(f"Constante no permitida en la condición {expression!r}")
    elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        if not isinstance(node.value, ast.Name | ast.Subscript):
            raise ExpressionNotAllowed(f"Índice no permitido en la condición {expression!r}")
        if not isinstance(node.slice, ast.Constant):
            raise ExpressionNotAllowed(f"Índice no permitido en la condición {expression!r}")
        _check(node.value, expression)
        _check(node.slice, expression)
    else:
        raise ExpressionNotAllowed(
            f"Expresión no permitida ({type(node).__name__}) en la condición {expression!r}"
        )


def _eval(node: ast.expr, data: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Compare):
        left = _eval(node.left, data)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, data)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            result: Any = True
            for value in node.values:
                result = _eval(value, data)
                if not result:
                    return result
            return result
        result = False
        for value in node.values:
            result = _eval(value, data)
            if result:
                return result
        return result
    if isinstance(node, ast.UnaryOp):
        return not _eval(node.operand, data)
    if isinstance(node, ast.Name):
        if node.id not in data:
            raise UnknownName(node.id)
        return data[node.id]
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Subscript):
        container = _eval(node.value, data)
        key = _eval(node.slice, data)
        if not isinstance(container, Mapping | list | tuple):
            raise ExpressionNotAllowed("Solo se puede indexar datos de la tarea.")
        return container[key]
    raise ExpressionNotAllowed(f"Expresión no permitida ({type(node).__name__})")


def evaluate_condition(expression: str, data: Mapping[str, Any]) -> Any:
    """Evaluate a compiler-made condition over the task data with the allow-list."""
    return _eval(parse_condition(expression), data)


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates conditions with the allow-list; refuses scripts and service calls."""

    def __init__(self) -> None:
        super().__init__({})

    def evaluate(self, expression, context, external_context=None):  # type: ignore[no-untyped-def]
        data = dict(context)
        if external_context:
            data.update(external_context)
        return evaluate_condition(expression, data)

    def execute(self, script, context, external_context=None):  # type: ignore[no-untyped-def]
        raise ExpressionNotAllowed("Los procedimientos no pueden ejecutar scripts.")

    def call_service(self, context, **kwargs):  # type: ignore[no-untyped-def]
        raise ExpressionNotAllowed("Los procedimientos no pueden llamar servicios.")


class RestrictedScriptEngine(PythonScriptEngine):
    """The script engine every mapro workflow runs with (see ``runner``)."""

    def __init__(self) -> None:
        super().__init__(environment=RestrictedEnvironment())

    def validate(self, expression: str) -> None:
        parse_condition(expression)


#: One shared engine: it holds no per-workflow state.
RESTRICTED_ENGINE = RestrictedScriptEngine()
