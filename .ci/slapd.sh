#!/usr/bin/env bash
# Start Debian's slapd unprivileged on loopback, with the part of Active Directory's schema the
# connector uses (objectClass user/group, sAMAccountName, userAccountControl, groupType, with AD's
# OIDs; memberOf kept by the memberof overlay), for the tests of the directory connector and
# sign-in. (Debian's msuser.schema has AD's whole schema but sAMAccountName without an equality
# rule, so no filter could find an account by it.)
#   .ci/slapd.sh DIR PORT   → serves ldap://127.0.0.1:PORT, base dc=mapro,dc=test,
#                             admin cn=admin,dc=mapro,dc=test / password "secret",
#                             users under ou=usuarios, groups under ou=grupos.
# The log of every operation (loglevel stats) goes to DIR/slapd.log; the pid to DIR/slapd.pid.
# Stop it with: kill "$(cat DIR/slapd.pid)".
set -euo pipefail
DIR=${1:?directorio}
PORT=${2:?puerto}
mkdir -p "$DIR/data"
SCHEMA=/etc/ldap/schema
cat >"$DIR/mapro-ad.schema" <<'SCHEMA'
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.750 NAME 'groupType'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP inetOrgPerson STRUCTURAL
  MUST sAMAccountName MAY userAccountControl )
objectclass ( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL
  MUST cn MAY ( member $ sAMAccountName $ groupType $ description ) )
SCHEMA
cat >"$DIR/slapd.conf" <<CONF
include $SCHEMA/core.schema
include $SCHEMA/cosine.schema
include $SCHEMA/inetorgperson.schema
include $DIR/mapro-ad.schema
pidfile $DIR/slapd.pid
argsfile $DIR/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
database mdb
maxsize 268435456
suffix "dc=mapro,dc=test"
rootdn "cn=admin,dc=mapro,dc=test"
rootpw secret
directory $DIR/data
dbnosync
index objectClass eq
index sAMAccountName eq
index member eq
index employeeNumber eq
overlay memberof
memberof-group-oc group
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint true
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
CONF
# -d stats: stay in the foreground, logging each operation (the tests count the writes).
/usr/sbin/slapd -f "$DIR/slapd.conf" -h "ldap://127.0.0.1:$PORT/" -d stats >"$DIR/slapd.log" 2>&1 &
for _ in $(seq 50); do
  ldapsearch -x -H "ldap://127.0.0.1:$PORT" -s base -b "" namingContexts >/dev/null 2>&1 && break
  sleep 0.1
done
ldapadd -x -H "ldap://127.0.0.1:$PORT" -D cn=admin,dc=mapro,dc=test -w secret >/dev/null <<LDIF
dn: dc=mapro,dc=test
objectClass: dcObject
objectClass: organization
o: MINDEF (pruebas)
dc: mapro

dn: ou=usuarios,dc=mapro,dc=test
objectClass: organizationalUnit
ou: usuarios

dn: ou=grupos,dc=mapro,dc=test
objectClass: organizationalUnit
ou: grupos
LDIF
