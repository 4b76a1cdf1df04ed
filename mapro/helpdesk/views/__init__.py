"""The help desk's HTML pages, one module per audience (URLs in ``mapro.helpdesk.urls``).

- ``portal``: the self-service portal, where any employee opens and follows their requests;
- ``console``: the operator console, the queue and the ticket page of whoever attends tickets;
- ``console_registration``: the desk registering a ticket on behalf of someone who phoned,
  wrote or came in person (the portal's form plus requester and channel);
- ``attachments``: downloading a ticket's file (shared with the API);
- ``ticket_display``: what the portal and console pages share (badges, the log, requirement
  answers, the request form);
- ``procedure_status``: the ticket's procedure diagram and where it stands;
- ``_actions``: how a console or portal form runs a ticket action (``run_ticket_action``:
  errors beside the fields, conflicts as the page's alert, a reopened-as-new ticket followed);
- ``_forms``: what the pages read from a posted form.

Pages parse input, call ``selectors`` and ``actions``, and render; an action's ``NotFound``
and ``Forbidden`` become the 404 and 403 pages in ``mapro.core.middleware``.
"""
