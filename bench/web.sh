#!/usr/bin/env bash
# bench/web.sh [FILE] - how soon the web UI shows rows (issue 5: the grid
# shows its first rows within 300 ms of opening, on a ~1 GB file).
#
# Starts `parqview serve FILE`, opens the page in Debian's headless chromium
# (playwright-core from web/node_modules) RUNS times, and prints the median
# of: navigation start to the first rows painted in the grid (page load,
# script start, /api/datasets, the first /rows page), then a jump to the
# middle of the file and to 70% of it (click to rows painted). A benchmark,
# not a test: the machine is shared, read the figures with its load.
# FILE defaults to the bench data's 1 GB file (bench/gen.sh makes it).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${PARQVIEW_BIN:-$root/build/parqview}
file=${1:-${PARQVIEW_BENCH_DATA:-/tmp/pvbench}/big.parquet}
runs=${RUNS:-5}
[ -f "$file" ] || { echo "bench/web.sh: '$file' is missing (bench/gen.sh makes it)" >&2; exit 1; }
out=$(mktemp)
"$bin" serve "$file" --port 0 --no-open >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q token= "$out" && break; sleep 0.1; done
url=$(head -n1 "$out")
RUNS=$runs node - "$url" "$root" <<'EOF'
const [url, root] = process.argv.slice(2);
const { chromium } = require(`${root}/web/node_modules/playwright-core`);
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const painted = () => {
	const g = document.querySelector('.grid');
	return g && g.querySelectorAll('.grid-rows .row').length > 0 && !g.querySelector('.cell.pending');
};
(async () => {
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'] });
	const first = [], script = [], rows0 = [], jumps = { 'middle': [], '70%': [] };
	let total = 0;
	for (let i = 0; i < Number(process.env.RUNS); i++) {
		const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
		const page = await ctx.newPage();
		await page.goto(url, { waitUntil: 'commit' });
		// the token exchange is a redirect; time from the page's own start
		await page.waitForFunction(painted, null, { timeout: 30000, polling: 'raf' });
		first.push(await page.evaluate(() => performance.now()));
		const t = await page.evaluate(() => {
			const nav = performance.getEntriesByType('navigation')[0];
			const r = performance.getEntriesByType('resource').find((e) => /\/rows\?offset=0/.test(e.name));
			return { script: nav.domContentLoadedEventEnd, rows: r ? r.responseEnd - r.requestStart : -1 };
		});
		script.push(t.script);
		rows0.push(t.rows);
		total = await page.evaluate(() => Number(document.querySelector('footer.status').textContent.match(/of ([\d,]+)/)[1].replace(/,/g, '')));
		for (const [name, f] of [['middle', 0.5], ['70%', 0.7]]) {
			await page.fill('[data-testid=jump]', String(Math.floor(total * f)));
			const t0 = await page.evaluate(() => performance.now());
			await page.press('[data-testid=jump]', 'Enter');
			await page.waitForFunction((row) => {
				const g = document.querySelector('.grid');
				return !!g.querySelector(`.grid-rows .row[data-row-index="${row}"]`) && !g.querySelector('.cell.pending');
			}, Math.floor(total * f), { timeout: 30000, polling: 'raf' });
			jumps[name].push(await page.evaluate(() => performance.now()) - t0);
		}
		await ctx.close();
	}
	await browser.close();
	console.log(`rows in the file: ${total}`);
	console.log(`first rows painted after opening: median ${median(first).toFixed(0)} ms (runs: ${first.map((x) => x.toFixed(0)).join(', ')})`);
	console.log(`  of which: page and script loaded (DOMContentLoaded) median ${median(script).toFixed(0)} ms; the first /rows request ${median(rows0).toFixed(0)} ms`);
	for (const [k, v] of Object.entries(jumps)) console.log(`jump to the ${k} row, rows painted: median ${median(v).toFixed(0)} ms (runs: ${v.map((x) => x.toFixed(0)).join(', ')})`);
})();
EOF
