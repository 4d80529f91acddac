#!/usr/bin/env bash
# Try the production set-up on this machine: gunicorn behind Debian's nginx with TLS, secure
# cookies and the proxy's headers trusted, PostgreSQL, Redis for the sign-in limiter, and the
# upgrade step; then check the service over HTTPS as a browser would, and stop it all.
#
#   sudo deploy/try-production.sh        (from the repository, after `make setup`)
#
# It uses deploy/nginx.conf, deploy/env.example and the ExecStart line of
# deploy/ripa-guard.service, filled in for a throwaway host name (ripa-guard.test on ports
# 8443 and 8080), a self-signed certificate and a database of its own, so the files a council
# installs are the files tried here. Needs root for apt-get (nginx, openssl) and PostgreSQL on
# 127.0.0.1:5432 that lets `postgres` in; Redis on 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HOST=ripa-guard.test
DB=ripa_guard_try
WORK=$(mktemp -d /tmp/ripa-guard-try.XXXXXX)
chmod 0700 "$WORK"

for tool in nginx openssl curl; do
  command -v "$tool" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl curl; break; }
done
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[deploy]'

cleanup() {
  [ -f "$WORK/gunicorn.pid" ] && kill "$(cat "$WORK/gunicorn.pid")" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && nginx -c "$WORK/nginx-main.conf" -s stop 2>/dev/null || true
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== A certificate for $HOST (self-signed; a council uses its own)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

echo "== The settings: deploy/env.example, pointed at a database of its own"
dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
set -a
# shellcheck disable=SC1091
. deploy/env.example
set +a
export RIPA_GUARD_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$DB"
export RIPA_GUARD_TRUSTED_HOSTS="[\"$HOST\"]"
export RIPA_GUARD_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15"
export RIPA_GUARD_SECRET_KEY=$(openssl rand -hex 32)
export RIPA_GUARD_AUDIT_KEY=$(openssl rand -hex 32)
export RIPA_GUARD_AUDIT_HEAD_FILE="$WORK/audit-head.log"
export RIPA_GUARD_TOTP_KEY=$(.venv/bin/python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
export RIPA_GUARD_REQUIRE_TOTP_FOR_DECIDERS=false

echo "== The upgrade step, then the first account"
.venv/bin/ripa-guard upgrade
PASSWORD=$(.venv/bin/ripa-guard create-user --email sro@borsetshire.example.gov.uk \
  --name "Sally Stone" --grade "Director of Law" --role sro | sed -n 's/.*sign-in): *//p' | tail -1)
[ -n "$PASSWORD" ] || { echo "create-user printed no one-time password" >&2; exit 1; }

echo "== gunicorn, as deploy/ripa-guard.service starts it"
START=$(sed -n '/^ExecStart=/,/[^\\]$/p' deploy/ripa-guard.service | sed 's/^ExecStart=//; s/\\$//' | tr -d '\n')
START=${START//\/opt\/ripa_guard\/.venv/$ROOT\/.venv}
eval "$START --daemon --pid $WORK/gunicorn.pid --error-logfile $WORK/gunicorn.log"

echo "== nginx with deploy/nginx.conf"
sed -e "s/ripa-guard.council.example/$HOST/g" -e "s/listen 80;/listen 8080;/" \
  -e "s/listen 443 ssl;/listen 8443 ssl;/" -e "s|/etc/ssl/certs/ripa-guard.pem|$WORK/cert.pem|" \
  -e "s|/etc/ssl/private/ripa-guard.key|$WORK/key.pem|" -e "s|https://\$host|https://\$host:8443|" \
  deploy/nginx.conf > "$WORK/site.conf"
cat > "$WORK/nginx-main.conf" <<CONF
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events {}
http {
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK/body;
  proxy_temp_path $WORK/proxy;
  include $WORK/site.conf;
}
CONF
nginx -c "$WORK/nginx-main.conf"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:8000/sign-in" -H "Host: $HOST" && break; sleep 0.2; done

echo "== Checks over HTTPS"
CURL=(curl --silent --show-error --resolve "$HOST:8443:127.0.0.1" --resolve "$HOST:8080:127.0.0.1"
      --cacert "$WORK/cert.pem" --cookie-jar "$WORK/jar" --cookie "$WORK/jar")
fail() { echo "FAILED: $*" >&2; exit 1; }

"${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}\n' "http://$HOST:8080/sign-in" > "$WORK/r"
grep -q "^301 https://$HOST:8443/sign-in" "$WORK/r" || fail "plain HTTP does not redirect to HTTPS: $(cat "$WORK/r")"
echo "ok  plain HTTP redirects to HTTPS"

"${CURL[@]}" -D "$WORK/h" -o "$WORK/page" "https://$HOST:8443/sign-in"
grep -qi '^strict-transport-security: max-age=' "$WORK/h" || fail "no HSTS header"
grep -qi '^set-cookie: .*; Secure' "$WORK/h" || fail "the session cookie is not Secure"
grep -q 'Sign in' "$WORK/page" || fail "the sign-in page did not come back"
echo "ok  the sign-in page over HTTPS, with HSTS and a Secure, HttpOnly session cookie"

TOKEN=$(sed -n 's/.*name="csrf_token" type="hidden" value="\([^"]*\)".*/\1/p; s/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$WORK/page" | head -1)
[ -n "$TOKEN" ] || fail "no CSRF token on the sign-in page"
"${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}\n' -e "https://$HOST:8443/sign-in" \
  --data-urlencode "csrf_token=$TOKEN" --data-urlencode "email=sro@borsetshire.example.gov.uk" \
  --data-urlencode "password=$PASSWORD" "https://$HOST:8443/sign-in" > "$WORK/r"
grep -q "^30[23] https://$HOST:8443/" "$WORK/r" || fail "signing in over HTTPS did not redirect within the site: $(cat "$WORK/r")"
echo "ok  signing in over HTTPS (CSRF with its referrer check, behind the proxy): $(cut -d' ' -f2 "$WORK/r")"

"${CURL[@]}" -o /dev/null -w '%{http_code}\n' -H "Host: evil.example" --resolve "evil.example:8443:127.0.0.1" \
  "https://$HOST:8443/sign-in" > "$WORK/r" || true
grep -q '^400' "$WORK/r" || fail "a forged Host header was answered $(cat "$WORK/r")"
echo "ok  a forged Host header gets 400 (TRUSTED_HOSTS)"

redis-cli -n 15 --scan --pattern 'LIMITS*' | grep -q . || fail "nothing counted in Redis"
echo "ok  the sign-in limiter counts in Redis"
redis-cli -n 15 flushdb >/dev/null
echo "All checks passed."
