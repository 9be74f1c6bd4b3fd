#!/bin/sh
# A self-signed certificate for trying the HTTPS server (browsers warn about it; that is expected).
# For a real deployment put a CA-issued certificate and key (e.g. Let's Encrypt) at the same paths.
#
#   infra/nginx/make-self-signed-cert.sh [DIR] [NAME]
#     DIR   where tiny-agent.crt and tiny-agent.key go (default: infra/nginx/certs)
#     NAME  host name in the certificate (default: localhost; 127.0.0.1 and localhost are always in it)
set -eu
dir=${1:-$(dirname "$0")/certs}
name=${2:-localhost}
command -v openssl >/dev/null || { echo "openssl is needed: apt-get install -y openssl" >&2; exit 1; }
if [ -e "$dir/tiny-agent.key" ] && [ "${FORCE:-}" != 1 ]; then
  echo "$dir/tiny-agent.key exists; FORCE=1 to replace it" >&2
  exit 1
fi
san="DNS:$name,IP:127.0.0.1"
[ "$name" = localhost ] || san="$san,DNS:localhost"
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 365 \
  -keyout "$dir/tiny-agent.key" -out "$dir/tiny-agent.crt" \
  -subj "/CN=$name" -addext "subjectAltName=$san" 2>/dev/null
chmod 644 "$dir/tiny-agent.crt"
echo "wrote $dir/tiny-agent.crt and $dir/tiny-agent.key (valid 365 days, for $name)"
