#!/usr/bin/env bash
# tests/web/embed.sh - the front end's sources type-check, and web/embed.mjs
# turns a directory into C that holds exactly its files: generated twice it
# is byte-identical; compiled, every file comes back byte for byte (a 3 MiB
# random one included) with the right content type and an ETag that is the
# SHA-256 of its bytes; odd names are escaped; a directory without
# index.html is refused.
set -u
. "$(dirname "$0")/../tap.sh"
root=${PARQVIEW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pv-embed-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

plan 10

if [ -x "$root/web/node_modules/.bin/tsc" ]; then
	out=$(cd "$root/web" && node_modules/.bin/tsc --noEmit -p . 2>&1)
	is "web/src type-checks (tsc --strict)" "$out" ""
else
	_tap_report 1 "web/src type-checks: web/node_modules/.bin/tsc is missing (make web-deps)"
fi

d=$tmp/dist
mkdir -p "$d/assets/sub" "$d/.hidden"
printf '<!doctype html><title>t</title>\n' >"$d/index.html"
printf 'console.log("x")\n' >"$d/assets/app.js"
printf 'body{}\n' >"$d/assets/app.css"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$d/assets/i.svg"
printf '{"version":3}\n' >"$d/assets/app.js.map"
head -c 1000 /dev/urandom >"$d/assets/f.woff2"
head -c 3145728 /dev/urandom >"$d/assets/sub/big.bin"
: >"$d/assets/empty.txt"
printf 'q' >"$d/assets/we\"ird?na\\me*.txt"
printf 'secret' >"$d/.hidden/x"
printf 'dot' >"$d/.dotfile"

node "$root/web/embed.mjs" "$d" "$tmp/a.c" && node "$root/web/embed.mjs" "$d" "$tmp/b.c"
ok "two runs over the same files write the same C" cmp -s "$tmp/a.c" "$tmp/b.c"

# a checker that writes every embedded file back out, with its metadata
cat >"$tmp/check.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "server/assets.h"
int main(int argc, char **argv)
{
	(void)argc;
	for (size_t i = 0; i < pv_asset_count(); i++) {
		const pv_asset *a = pv_asset_at(i);
		char p[4096];
		snprintf(p, sizeof p, "%s%s", argv[1], a->path);
		for (char *s = p + strlen(argv[1]) + 1; *s; s++)
			if (*s == '/') { *s = 0; mkdir(p, 0755); *s = '/'; }
		FILE *f = fopen(p, "wb");
		if (!f || fwrite(a->data, 1, a->size, f) != a->size || fclose(f))
			return 1;
		printf("%s\t%s\t%s\t%d\n", a->path, a->content_type, a->etag, pv_asset_find(a->path) == a);
	}
	return 0;
}
EOF
ok "the generated C compiles with the project's warnings" \
	"$CC" -std=c11 -Wall -Wextra -Werror -Wmissing-prototypes -I"$root/src" -o "$tmp/check" "$tmp/check.c" "$tmp/a.c"
mkdir -p "$tmp/back"
"$tmp/check" "$tmp/back" >"$tmp/list.tsv"
ok "every file comes back byte for byte, dot files left out" diff -r "$d" "$tmp/back" -x '.*'
is "dot files are not embedded" "$(grep -c '/\.' "$tmp/list.tsv")" "0"
is "every entry is found by its own path" "$(cut -f4 "$tmp/list.tsv" | sort -u)" "1"

types=$(awk -F'\t' '$1 ~ /\.(html|js|css|svg|map|woff2|bin)$/ {print $1" "$2}' "$tmp/list.tsv" | sort)
want=$(printf '%s\n' \
	'/assets/app.css text/css; charset=utf-8' \
	'/assets/app.js text/javascript; charset=utf-8' \
	'/assets/app.js.map application/json; charset=utf-8' \
	'/assets/f.woff2 font/woff2' \
	'/assets/i.svg image/svg+xml' \
	'/assets/sub/big.bin application/octet-stream' \
	'/index.html text/html; charset=utf-8' | sort)
is "content types by extension" "$types" "$want"

bad=0
while IFS=$'\t' read -r p _ etag _; do
	sum=$(sha256sum <"$d$p" | cut -c1-32)
	[ "$etag" = "\"$sum\"" ] || { echo "# $p: etag $etag, sha256 $sum"; bad=1; }
done <"$tmp/list.tsv"
is "each ETag is the quoted SHA-256 prefix of the file" "$bad" "0"

rm "$d/index.html"
out=$(node "$root/web/embed.mjs" "$d" "$tmp/c.c" 2>&1)
rc=$?
like "a directory without index.html is refused in one line" "$rc:$out" "^1:embed: '.*' has no index.html: run 'make web'$"
ok "and nothing is written" test ! -e "$tmp/c.c"
finish
