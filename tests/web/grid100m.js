// tests/web/grid100m.js - the grid over 100,000,000 rows.
//
// No file that big is written: a stub HTTP server on loopback serves the
// built page (web/dist) and one fake dataset whose row i is [i, i*31 % 1000],
// so the grid's mapping of a capped scroller onto 100M rows can be checked
// row for row: top, middle (scrollbar), wheel by rows, bottom, jump, keys.
// The real server is tested by ui.sh; this checks the grid alone. TAP out.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const root = path.resolve(__dirname, '../..');
const { chromium } = require(path.join(root, 'web/node_modules/playwright-core'));

const N = 100000000;
const dist = path.join(root, 'web/dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => {
	const u = new URL(req.url, 'http://x');
	const json = (o) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(o)); };
	if (u.pathname === '/api/datasets') return json({ datasets: [{ id: 'huge', paths: ['stub'], n_files: 1, n_rows: N, bytes: 0, columns: 2, partitions: [], problems: [] }] });
	if (u.pathname === '/api/datasets/huge/files') return json({ files: [] });
	if (u.pathname === '/api/datasets/huge/schema') return json({ columns: [] });
	if (u.pathname === '/api/datasets/huge/rows') {
		const o = Number(u.searchParams.get('offset')), l = Math.min(10000, Number(u.searchParams.get('limit')));
		const rows = [];
		for (let i = o; i < Math.min(N, o + l); i++) rows.push([i, (i * 31) % 1000]);
		return json({ columns: [{ name: 'id', type: 'int64' }, { name: 'm', type: 'int64' }], offset: o, total: N, rows });
	}
	const f = path.join(dist, u.pathname === '/' ? 'index.html' : path.normalize(u.pathname));
	if (!f.startsWith(dist + path.sep) || !fs.existsSync(f)) { res.writeHead(404); return res.end(); }
	res.writeHead(200, { 'Content-Type': TYPES[path.extname(f)] || 'application/octet-stream' });
	res.end(fs.readFileSync(f));
});

let n = 0, failed = 0;
const PLAN = 7;
console.log(`1..${PLAN}`);
function ok(c, name, diag) {
	n++;
	console.log(`${c ? 'ok' : 'not ok'} ${n} - ${name}`);
	if (!c) { failed++; if (diag !== undefined) console.log(`#   ${JSON.stringify(diag)}`); }
}

async function firstRow(page) {
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
	await page.waitForFunction(() => !document.querySelector('.cell.pending') && document.querySelector('.grid-rows .row'), null, { timeout: 15000 });
	return page.evaluate(() => {
		const top = document.querySelector('.grid-header').getBoundingClientRect().bottom;
		const r = [...document.querySelectorAll('.grid-rows .row')].find((x) => x.getBoundingClientRect().top >= top - 1);
		const c = r.querySelectorAll('.cell');
		return { index: Number(r.dataset.rowIndex), id: c[1].textContent, m: c[2].textContent };
	});
}
const right = (r) => r && r.id === String(r.index) && r.m === String((r.index * 31) % 1000);

(async () => {
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${server.address().port}/`;
	const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pv-chromium-'));
	const ctx = await chromium.launchPersistentContext(userDir, {
		executablePath: process.env.PARQVIEW_CHROMIUM || '/usr/bin/chromium', headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
		viewport: { width: 1200, height: 800 },
	});
	const page = ctx.pages()[0] || await ctx.newPage();
	try {
		await page.goto(url);
		await page.waitForSelector('.grid-rows .row', { timeout: 15000 });
		const top = await firstRow(page);
		const h = await page.$eval('.grid-scroller', (s) => s.scrollHeight);
		ok(right(top) && top.index === 0 && h < 9000000, `row 0 first; the scroller is capped (${h} px for ${N} rows)`, top);
		await page.evaluate(() => { const s = document.querySelector('.grid-scroller'); s.scrollTop = (s.scrollHeight - s.clientHeight) / 2; });
		const mid = await firstRow(page);
		ok(right(mid) && Math.abs(mid.index - N / 2) < N / 1000, `the scrollbar's middle is row ${mid.index}`, mid);
		await page.mouse.move(600, 500);
		await page.mouse.wheel(0, 28 * 3);
		const w = await firstRow(page);
		ok(right(w) && w.index === mid.index + 3, 'a wheel of 3 rows moves 3 rows', [mid.index, w.index]);
		await page.click(`.grid-rows .row[data-row-index="${w.index + 1}"] .cell[data-col="0"]`);
		const sel = await page.$eval('.cell.cur', (c) => Number(c.dataset.row));
		await page.keyboard.press('PageDown');
		await page.keyboard.press('ArrowDown');
		const pd = await firstRow(page);
		const sel2 = await page.$eval('.cell.cur', (c) => Number(c.dataset.row));
		ok(right(pd) && sel2 > sel + 10 && pd.index > w.index, 'PageDown and ArrowDown move by rows', [sel, sel2, pd.index]);
		await page.keyboard.press('End');
		await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
		const last = await page.evaluate(() => { const rows = [...document.querySelectorAll('.grid-rows .row')]; return Number(rows[rows.length - 1].dataset.rowIndex); });
		ok(last === N - 1, 'End shows the last row', last);
		await page.fill('[data-testid=jump]', '87654321');
		await page.press('[data-testid=jump]', 'Enter');
		const j = await firstRow(page);
		ok(right(j) && j.index === 87654321, 'jump to row 87,654,321', j);
	} catch (e) {
		ok(false, `the run stopped: ${e.message.split('\n')[0]}`);
	}
	await ctx.close();
	fs.rmSync(userDir, { recursive: true, force: true });
	server.close();
	while (n < PLAN - 1) ok(false, 'not reached');
	ok(failed === 0, 'all of the above');
	process.exit(failed ? 1 : 0);
})();
