#!/bin/sh
# docker-compose.yml, service admin-bootstrap: creates the first system administrator from .env
# (ADMIN_USERNAME, ADMIN_NAME, ADMIN_PASSWORD) with `admin-create` (README, "Administration"), who must
# change the password at the first login. Idempotent: when the username exists it changes nothing and
# succeeds, so `docker compose up` can run it every time.
set -u
: "${ADMIN_USERNAME:?set ADMIN_USERNAME in .env}" "${ADMIN_NAME:?set ADMIN_NAME in .env}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD in .env}"
out=$(printf '%s\n' "$ADMIN_PASSWORD" | node dist/apps/platform/src/cli/admin-create.js \
  --username "$ADMIN_USERNAME" --name "$ADMIN_NAME" --password-file - --must-change-password 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne 0 ] && printf '%s' "$out" | grep -qF "用户名 $ADMIN_USERNAME 已存在"; then
  echo "admin-bootstrap: $ADMIN_USERNAME already exists, nothing changed"
  exit 0
fi
exit "$status"
