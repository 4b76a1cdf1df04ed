"""``{{ event.action|action_label }}`` and ``{{ event.object_type|object_type_label }}``."""

from django import template

from mapro.audit import labels

register = template.Library()

register.filter("action_label", labels.action_label)
register.filter("object_type_label", labels.object_type_label)
