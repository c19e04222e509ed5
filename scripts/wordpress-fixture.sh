#!/usr/bin/env bash
# Regenerates the WordPress import fixtures from scratch with WordPress's own code:
#   tests/fixtures/wordpress/site.xml        WXR export (Tools > Export > All content) of the site
#   tests/fixtures/wordpress/site-newer.xml  the same site a week later (one story corrected, one
#                                            added, a held comment approved, two new comments)
#   tests/fixtures/wordpress/uploads/        the site's uploads (YYYY/MM, with WordPress's sizes)
# It installs Debian's wordpress package (WordPress 6.1 on Debian 12) and PHP, builds the site in a
# MariaDB database (127.0.0.1:3306, root, no password; dropped and recreated each run) with no web
# server, through WordPress's API (scripts/wordpress-fixture/*.php), then runs export_wp().
# Not run by CI. The exports' <pubDate> and generator comment carry the time of the run; everything
# else is fixed, so a rerun changes only those lines.
# Environment: WP_FIXTURE_DB (database name, default newsdesk_wp_fixture), WP_FIXTURE_WORK (scratch
# folder, default /tmp/newsdesk-wp-fixture).
set -euo pipefail
cd "$(dirname "$0")/.."

here=scripts/wordpress-fixture
out=tests/fixtures/wordpress
export WP_FIXTURE_DB=${WP_FIXTURE_DB:-newsdesk_wp_fixture}
work=${WP_FIXTURE_WORK:-/tmp/newsdesk-wp-fixture}
export WP_FIXTURE_CONTENT_DIR=$work/wp-content
sudo_=; [[ $(id -u) -ne 0 ]] && sudo_=sudo

pkgs=(wordpress php-cli php-mysql php-gd php-xml php-mbstring webfs mariadb-client)
command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd ]] || pkgs+=(mariadb-server)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  $sudo_ apt-get update -qq
  # webfs: wordpress needs some web server package; this is the smallest, and nothing starts it.
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
grep -o "wp_version = '[^']*'" /usr/share/wordpress/wp-includes/version.php

if ! mysql -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  echo "== starting MariaDB"
  $sudo_ start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 60); do mysql -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
fi

echo "== fresh database $WP_FIXTURE_DB and scratch folder $work"
mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS \`$WP_FIXTURE_DB\`;
  CREATE DATABASE \`$WP_FIXTURE_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
rm -rf "$work"
mkdir -p "$WP_FIXTURE_CONTENT_DIR/uploads" "$work/images"

echo "== building the site"
php "$here/make-images.php" "$work/images"
php "$here/install.php"
php "$here/build.php" "$work/images" >"$work/build.json"
cat "$work/build.json"

mkdir -p "$out"
php "$here/export.php" "$out/site.xml"
echo "== a week later"
php "$here/update.php"
php "$here/export.php" "$out/site-newer.xml"

python3 - "$out/site.xml" "$out/site-newer.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
for f in sys.argv[1:]:
    ET.parse(f)
    print(f, "is well-formed XML")
PY

echo "== uploads"
rm -rf "$out/uploads"
mkdir -p "$out/uploads"
if find "$WP_FIXTURE_CONTENT_DIR/uploads" -type f ! -name '*.jpg' | grep -q .; then
  echo "unexpected files in uploads:" >&2
  find "$WP_FIXTURE_CONTENT_DIR/uploads" -type f ! -name '*.jpg' >&2
  exit 1
fi
cp -r "$WP_FIXTURE_CONTENT_DIR/uploads/." "$out/uploads/"
find "$out/uploads" -type f | sort
du -sh "$out/uploads"
