"""The key pages work from the keyboard alone (WCAG 2.1.1, 2.4.1, 2.4.7, 3.3.1).

On the portal's request form, the console, "Mis tareas", a task page and a register list: the
first Tab reaches a skip link that moves the focus to ``<main>``; Tab then reaches every link,
button and field of the navigation bar and of the page's content, each with a visible focus
outline. A form answered with errors announces them: a summary with ``role="alert"`` takes the
focus (or the page focuses the first invalid field), and every field marked invalid has
``aria-invalid`` and is described by its message.
"""

from __future__ import annotations

import pytest

from mapro.core.browser_testing import requires_browser, signed_in_context, switch_user

from .browser_pages import key_pages, user

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]

# Marks every action a keyboard user must reach (radios of one group are one tab stop) and
# records, for each focus, which action it was and whether its outline shows.
WATCH = """() => {
  // Not hidden, also not inside a closed <details> (its summary is the tab stop then).
  const shown = e => e.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
  const actions = [...document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .filter(e => e.closest('main, header nav') && !e.disabled && shown(e)
                 && !e.closest('[inert], [aria-hidden=true]'));
  actions.forEach((e, i) => { e.dataset.kb = e.type === 'radio' ? 'radio:' + e.name : String(i); });
  window.kbReached = [];
  document.addEventListener('focusin', event => {
    const e = event.target, style = getComputedStyle(e);
    window.kbReached.push({key: e.dataset.kb || '', tag: e.tagName,
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0});
  });
  const names = {};
  actions.forEach(e => {
    const label = e.innerText || e.name || e.id || '';
    names[e.dataset.kb] = e.tagName + ' ' + label.trim().slice(0, 40);
  });
  return names;
}"""

SKIPPED_TO_MAIN = """() => document.activeElement.id === 'contenido'
  && document.activeElement.tagName === 'MAIN'"""

ANNOUNCED = """() => {
  const summary = document.querySelector('main [role="alert"]');
  const wrong = [...document.querySelectorAll('main .is-invalid')].filter(field => {
    const ids = [field, field.closest('fieldset')].filter(Boolean)
      .flatMap(e => (e.getAttribute('aria-describedby') || '').split(/\\s+/));
    const described = ids.some(id => {
      const m = id && document.getElementById(id);
      return m && m.classList.contains('invalid-feedback') && m.textContent.trim();
    });
    return field.getAttribute('aria-invalid') !== 'true' || !described;
  }).map(e => e.name || e.id);
  const active = document.activeElement;
  const focused = !!summary && (summary.contains(active) || (
    active.getAttribute('aria-invalid') === 'true' && active.classList.contains('is-invalid')));
  return {summary: !!summary, focused,
          invalid: document.querySelectorAll('main .is-invalid').length, wrong};
}"""


def _walk_with_tab(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with the keyboard on the loaded page (empty when nothing is)."""
    problems = []
    names = page.evaluate(WATCH)
    page.keyboard.press("Tab")
    if not page.evaluate(
        "() => document.activeElement.matches('a.skip-link[href=\"#contenido\"]')"
    ):
        problems.append("el primer Tab no llega al enlace «Saltar al contenido»")
    page.keyboard.press("Enter")
    if not page.evaluate(SKIPPED_TO_MAIN):
        problems.append("«Saltar al contenido» no lleva el foco a <main>")
    # From the top again; other tab stops (a scrollable table...) may sit between the actions,
    # so press on until every action is reached or the page has been gone through three times.
    page.focus("a.skip-link")
    missing, pressed, reached = set(names), 0, []
    while missing and pressed < 3 * len(names) + 10:
        for _ in range(len(missing) + 2):
            page.keyboard.press("Tab")
        pressed += len(missing) + 2
        reached = page.evaluate("() => window.kbReached")
        missing = set(names) - {r["key"] for r in reached}
    missing = sorted(missing, key=lambda k: (len(k), k))
    problems += [f"Tab no llega a {names[key]}" for key in missing]
    no_outline = {r["key"] or r["tag"] for r in reached if not r["outline"] and r["tag"] != "MAIN"}
    problems += [f"sin foco visible: {names.get(key, key)}" for key in sorted(no_outline)]
    return problems


def test_tab_reaches_every_action_of_the_key_pages_with_a_visible_focus(browser, live_server):
    base = live_server.url
    problems: dict[str, list[str]] = {}
    # One context and page for both users (a context each starts a renderer and refetches
    # the assets): the session is switched between them.
    context = browser.new_context(locale="es-PE")
    page = context.new_page()
    for username, paths in key_pages().items():
        switch_user(context, base, user(username))
        for path in paths:
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")  # htmx parts drawn after the load
            found = _walk_with_tab(page)
            if found:
                problems[path] = found
    assert problems == {}


def test_form_errors_are_announced_and_linked_to_their_fields(browser, live_server):
    base = live_server.url
    pages = key_pages()
    requester = signed_in_context(browser, base, user("personal")).new_page()
    requester.goto(f"{base}{pages['personal'][0]}")
    requester.get_by_role("button", name="Registrar solicitud").click()
    requester.wait_for_load_state()
    portal = requester.evaluate(ANNOUNCED)

    operator = signed_in_context(browser, base, user("operador-mesa")).new_page()
    operator.goto(f"{base}{pages['operador-mesa'][2]}")  # the task page
    # The browser's own check of required fields would stop the post: without it, the
    # server's answer is the one a wrong value (a DNI with a letter...) gets.
    operator.eval_on_selector("#formulario-tarea", "form => { form.noValidate = true; }")
    operator.get_by_role("button", name="Completar actividad").click()
    operator.wait_for_load_state()
    task = operator.evaluate(ANNOUNCED)

    # A form whose template links nothing (the knowledge base's): mapro/static/mapro/actions.js
    # marks and links its fields and focuses its summary.
    operator.goto(f"{base}/base-de-conocimiento/nuevo/")
    operator.get_by_role("button", name="Guardar").click()
    operator.wait_for_load_state()
    article = operator.evaluate(ANNOUNCED)

    for found in (portal, task, article):
        assert found["invalid"] >= 1, found
        assert found["summary"] and found["focused"], found
        assert found["wrong"] == [], found
