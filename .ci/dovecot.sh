#!/usr/bin/env bash
# Start Debian's Dovecot IMAP server unprivileged-style on loopback for the mail intake tests:
#   .ci/dovecot.sh DIR PORT   → imap://127.0.0.1:PORT; any user name with password "secret"
#                               is a mailbox (Maildir under DIR/mail/<user>), so each test
#                               (and each pytest-xdist worker) uses mailboxes of its own.
# Mail is put in a mailbox with IMAP APPEND (as the institution's MTA would deliver it).
# Stop it with: kill "$(cat DIR/run/master.pid)".
set -euo pipefail
DIR=${1:?directorio}
PORT=${2:?puerto}
mkdir -p "$DIR/run" "$DIR/mail" "$DIR/state"
USER_NAME=$(id -un)
GROUP_NAME=$(id -gn)
# The mail processes run as the owner of DIR (root in CI: the package's "dovecot" user then).
if [ "$(id -u)" = 0 ]; then MAILUSER=dovecot; else MAILUSER=$USER_NAME; fi
MAILUID=$(id -u "$MAILUSER")
MAILGID=$(id -g "$MAILUSER")
chown -R "$MAILUID:$MAILGID" "$DIR/mail"
cat >"$DIR/dovecot.conf" <<CONF
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_login_user = $( [ "$(id -u)" = 0 ] && echo dovenull || echo "$USER_NAME" )
default_internal_user = $( [ "$(id -u)" = 0 ] && echo dovecot || echo "$USER_NAME" )
default_internal_group = $( [ "$(id -u)" = 0 ] && echo dovecot || echo "$GROUP_NAME" )
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=$MAILUID gid=$MAILGID home=$DIR/mail/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
CONF
/usr/sbin/dovecot -c "$DIR/dovecot.conf"
for _ in $(seq 50); do
  python3 -c "import imaplib,sys; imaplib.IMAP4('127.0.0.1', $PORT).logout()" 2>/dev/null && exit 0
  sleep 0.1
done
echo "dovecot no inició; $DIR/dovecot.log:" >&2
cat "$DIR/dovecot.log" >&2 || true
exit 1
