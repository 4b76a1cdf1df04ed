"""`mapro secrets_rotate`: re-seal pending one-time secrets with the current key.

Run after putting the new key first in ``MAPRO_SECRETS_KEYS`` (old keys after it); then the
old keys can be removed (docs/deploy.md, "Key of the one-time secrets").
"""

from typing import Any

from mapro.core.management.base import AuditedCommand

from ...actions import do_rotate_secrets_key


class Command(AuditedCommand):
    help = "Vuelve a cifrar con la clave actual las contraseñas pendientes de revelar."

    def handle(self, *args: Any, **options: Any) -> None:
        resealed, destroyed = do_rotate_secrets_key()
        self.stdout.write(
            f"Recifradas: {resealed}; destruidas (ninguna clave las abre): {destroyed}."
        )
