#!/usr/bin/env bash
# Installs `fhir837 serve` as a systemd service on Debian 12 (as root): the release binary, the
# configuration and tables, a `fhir837` system user and the unit (config/systemd/fhir837.service).
# An existing /etc/fhir837/fhir837.toml is kept (it is the operator's; keep it in git).
#
#   bash scripts/install-service.sh            # build, install, enable (does not start)
#   DESTDIR=/tmp/stage bash scripts/install-service.sh --binary build/dev/fhir837
#                                              # stage the files only: no user, no systemctl
set -euo pipefail
cd "$(dirname "$0")/.."

binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    *) echo "install-service: unknown option $1" >&2; exit 2 ;;
  esac
done
destdir="${DESTDIR:-}"

if [ -z "$binary" ]; then
  bash scripts/setup.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target fhir837
  binary=build/release/fhir837
fi
[ -x "$binary" ] || { echo "install-service: $binary is not an executable" >&2; exit 2; }

share="$destdir/usr/local/share/fhir837"
etc="$destdir/etc/fhir837"
install -D -m 0755 "$binary" "$destdir/usr/local/bin/fhir837"
install -d -m 0755 "$share/tables"
install -m 0644 mappings/tables/*.csv "$share/tables/"
install -D -m 0644 README.md "$destdir/usr/local/share/doc/fhir837/README.md"
install -D -m 0644 config/systemd/fhir837.service "$destdir/etc/systemd/system/fhir837.service"
install -d -m 0755 "$etc/payers"
for payer in config/payers/*.toml; do
  [ -e "$etc/payers/$(basename "$payer")" ] || install -m 0644 "$payer" "$etc/payers/"
done
if [ ! -e "$etc/fhir837.toml" ]; then
  # The shipped configuration with absolute table paths, the state under /var/lib/fhir837 and
  # the service's [serve] section.
  sed -e 's|"\.\./mappings/tables/|"/usr/local/share/fhir837/tables/|' \
      -e 's|^state_dir = "\.\./state"|state_dir = "/var/lib/fhir837/state"|' \
      config/fhir837.toml >"$etc/fhir837.toml.new"
  { echo; cat config/systemd/serve.toml; } >>"$etc/fhir837.toml.new"
  chmod 0644 "$etc/fhir837.toml.new"
  mv "$etc/fhir837.toml.new" "$etc/fhir837.toml"
fi

if [ -n "$destdir" ]; then
  echo "install-service: staged under $destdir"
  exit 0
fi
getent group fhir837 >/dev/null || groupadd --system fhir837
getent passwd fhir837 >/dev/null ||
  useradd --system --gid fhir837 --home-dir /var/lib/fhir837 --shell /usr/sbin/nologin fhir837
systemctl daemon-reload
systemctl enable fhir837.service
echo "install-service: installed; start it with: systemctl start fhir837"
