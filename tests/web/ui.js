// tests/web/ui.js - the browser end-to-end test of `parqview serve`'s UI.
//
// Driven by tests/web/ui.sh, which starts the real server and passes:
//   URL (with ?token=), ARTIFACTS_DIR, a JSON file of expectations computed
//   with the CLI and DuckDB (see ui.sh), and the parqview binary.
// Drives Debian's /usr/bin/chromium headless through playwright-core (no
// browser is ever downloaded) and prints TAP: one line per check.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const { chromium } = require(path.join(root, 'web/node_modules/playwright-core'));

const [url, artifacts, expectFile, bin] = process.argv.slice(2);
const X = JSON.parse(fs.readFileSync(expectFile, 'utf8'));

const PLAN = 35;
let n = 0, failed = 0;
console.log(`1..${PLAN}`);
function ok(cond, name, diag) {
	n++;
	if (cond) console.log(`ok ${n} - ${name}`);
	else {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		if (diag !== undefined) console.log(`#   ${String(typeof diag === 'string' ? diag : JSON.stringify(diag)).split('\n').join('\n#   ')}`);
	}
}
function is(got, want, name) {
	ok(JSON.stringify(got) === JSON.stringify(want), name, `got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);
}
function skip(name, why) {
	n++;
	console.log(`ok ${n} - ${name} # SKIP ${why}`);
}

// Two animation frames: the grid has painted what the last event asked for
// (rows still loading show as pending cells, which visibleRows waits out).
function settle(page) {
	return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// The rows in view, read from the DOM: the first fully visible row and
// what its cells say, once nothing in view is still loading.
async function visibleRows(page) {
	await settle(page);
	await page.waitForFunction(() => {
		const g = document.querySelector('.grid');
		return g && !g.querySelector('.cell.pending') && g.querySelectorAll('.row').length > 0;
	}, null, { timeout: 20000 });
	return page.evaluate(() => {
		const sc = document.querySelector('.grid-scroller');
		const top = document.querySelector('.grid-header').getBoundingClientRect().bottom;
		const bottom = sc.getBoundingClientRect().bottom;
		const names = [...document.querySelectorAll('.grid-header .hcell:not(.rownum)')].map((h) => h.dataset.name);
		return [...document.querySelectorAll('.grid-rows .row')]
			.filter((r) => { const b = r.getBoundingClientRect(); return b.top >= top - 1 && b.bottom <= bottom + 1; })
			.map((r) => {
				const cells = [...r.querySelectorAll('.cell')];
				const o = { index: Number(r.dataset.rowIndex), label: cells[0].textContent };
				names.forEach((nm, i) => { o[nm] = cells[i + 1].textContent; });
				return o;
			});
	});
}

async function typeSql(page, sql) {
	await page.click('.sql-editor .cm-content');
	await page.keyboard.press('Control+A');
	await page.keyboard.press('Delete');
	await page.keyboard.insertText(sql);
}

async function runSql(page, sql) {
	await typeSql(page, sql);
	await page.keyboard.press('Control+Enter');
	await page.waitForFunction(() => {
		const err = document.querySelector('.sql-error');
		const src = document.querySelector('[data-testid=source]');
		return (err && !err.hidden) || (src && /Query result/.test(src.textContent) && !document.querySelector('.sql-panel.running'));
	}, null, { timeout: 30000 });
}

async function pick(page, ds) {
	await page.click(`[data-dataset="${ds}"]`);
	await page.waitForFunction((d) => {
		const s = document.querySelector('[data-testid=source]');
		return s && s.textContent.startsWith(d + ' ·');
	}, ds, { timeout: 15000 });
	return visibleRows(page);
}

async function main() {
	const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pv-chromium-'));
	// a fresh profile (--user-data-dir) per run, as playwright spells it
	const ctx = await chromium.launchPersistentContext(userDir, {
		executablePath: process.env.PARQVIEW_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
			'--no-first-run', '--disable-quic', '--disable-sync'],
		viewport: { width: 1400, height: 900 }, colorScheme: 'light', acceptDownloads: true,
	});
	const page = ctx.pages()[0] || await ctx.newPage();
	const pageErrors = [];
	page.on('pageerror', (e) => pageErrors.push(e.message));
	const outside = [];
	page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(r.url()); });

	try {
		// 1-3: the page opens with the token, lists the datasets, shows rows
		const t0 = Date.now();
		await page.goto(url);
		await page.waitForSelector('[data-dataset]', { timeout: 15000 });
		const ids = await page.$$eval('[data-dataset]', (els) => els.map((e) => e.dataset.dataset));
		is(ids.slice().sort(), X.datasets.slice().sort(), 'the dataset panel lists every served dataset');
		const first = await pick(page, 'docs');
		const statusText = await page.$eval('footer.status', (e) => e.textContent);
		ok(statusText.startsWith("rows 0–") && statusText.includes(` of ${X.docs_rows.toLocaleString("en-US")}`), `the status line counts all rows (${statusText}; first rows ${Date.now() - t0} ms after opening)`);
		is(first[0] && first[0].document_id, X.docs_first_id, 'docs row 0 shows the document_id the CLI prints');
		const problems = await page.$$eval('.problems li', (els) => els.map((e) => e.textContent));
		ok(X.docs_problems.length > 0, `parqview summary finds problems in docs (${X.docs_problems.length})`);
		is(problems, X.docs_problems, "docs' problem list shows parqview summary's problems");

		// 4: the big file, scrolled to the middle with the scrollbar
		await pick(page, 'big');
		await page.evaluate(() => {
			const sc = document.querySelector('.grid-scroller');
			sc.scrollTop = (sc.scrollHeight - sc.clientHeight) / 2;
		});
		await page.waitForTimeout(300);
		const mid = await visibleRows(page);
		const m = mid[0];
		const near = m && Math.abs(m.index - X.big_rows / 2) < X.big_rows * 0.01;
		ok(m && near && m.id === String(m.index) && m.label === `row-${m.index}` && m.v === String((m.index * 7) % 1000003),
			`the middle of ${X.big_rows} rows shows row ${m && m.index} with its known values`, m);
		ok(mid.length > 5 && mid.every((r, i) => r.index === m.index + i && r.id === String(r.index)), 'the rows in view are consecutive and right', mid.slice(0, 3));

		// 6-7: wheel scrolling moves by rows even past the height cap
		await page.mouse.move(700, 600);
		await page.mouse.wheel(0, 28 * 10);
		await page.waitForTimeout(300);
		const wheeled = await visibleRows(page);
		ok(wheeled[0] && Math.abs(wheeled[0].index - (m.index + 10)) <= 1, `a wheel of 10 rows moves 10 rows (from ${m && m.index} to ${wheeled[0] && wheeled[0].index})`);
		await page.evaluate(() => { const sc = document.querySelector('.grid-scroller'); sc.scrollTop = sc.scrollHeight; });
		await page.waitForTimeout(300);
		const end = await visibleRows(page);
		is(end[end.length - 1] && end[end.length - 1].index, X.big_rows - 1, 'scrolled to the bottom, the last row is the last of the file');

		// 8-9: jump to row N, then keys
		await page.fill('[data-testid=jump]', String(X.jump_row));
		await page.press('[data-testid=jump]', 'Enter');
		await page.waitForTimeout(200);
		const jumped = await visibleRows(page);
		ok(jumped[0] && jumped[0].index === X.jump_row && jumped[0].v === String((X.jump_row * 7) % 1000003), `jump to row ${X.jump_row}`, jumped[0]);
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('PageDown');
		// the grid paints on the next animation frame
		await page.waitForFunction((r) => { const c = document.querySelector('.cell.cur'); return c && Number(c.dataset.row) > r + 1; }, X.jump_row, { timeout: 5000 }).catch(() => null);
		const cur = await page.$eval('.cell.cur', (c) => ({ row: Number(c.dataset.row), col: Number(c.dataset.col) }));
		ok(cur.row > X.jump_row + 1 && cur.col === 1, 'arrows and PageDown move the selected cell', cur);

		// 10: Enter inspects the cell, Esc closes
		await page.keyboard.press('Enter');
		await page.waitForSelector('#drawer', { timeout: 5000 });
		const inspected = await page.$eval('#drawer .value', (e) => e.textContent);
		is(inspected, `row-${cur.row}`, 'Enter opens the inspector with the full value');
		await page.keyboard.press('Escape');
		ok(!(await page.$('#drawer')), 'Esc closes the inspector');

		// copy the cell, then the row as JSON
		await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
		await page.keyboard.press('Control+c');
		await page.waitForTimeout(200);
		const clip1 = await page.evaluate(() => navigator.clipboard.readText());
		await page.keyboard.press('Control+Shift+C');
		await page.waitForTimeout(200);
		const clip2 = await page.evaluate(() => navigator.clipboard.readText());
		is([clip1, clip2], [`row-${cur.row}`, JSON.stringify({ id: cur.row, label: `row-${cur.row}`, v: (cur.row * 7) % 1000003 })],
			'Ctrl+C copies the cell, Ctrl+Shift+C the row as JSON');

		// 12: hide a column, then show it again
		await page.hover('.hcell[data-name=label]');
		await page.click('.hcell[data-name=label] .hide');
		const hdrs = await page.$$eval('.grid-header .hcell:not(.rownum)', (h) => h.map((x) => x.dataset.name));
		is(hdrs, ['id', 'v'], 'a hidden column leaves the grid');

		// a file whose first page is corrupt: the server's one line, in place
		await page.click('[data-dataset="broken"]');
		await page.waitForSelector('.grid-overlay.show.error .msg', { timeout: 15000 }).catch(() => null);
		const broken = await page.$eval('.grid-overlay', (e) => (e.classList.contains('error') ? e.textContent : ''));
		ok(broken.includes(X.broken_error), 'rows that cannot be read show the error in the grid', broken);

		// 13: a seeded sample matches `parqview sample --seed`
		await pick(page, 'docs');
		await page.fill('[data-testid=seed]', String(X.seed));
		await page.click('[data-testid=sample]');
		await page.waitForFunction(() => /random rows/.test(document.querySelector('[data-testid=source]').textContent), null, { timeout: 15000 });
		const sampled = await page.evaluate(async () => {
			const sc = document.querySelector('.grid-scroller');
			const seen = new Map();
			for (let y = 0; ; y += sc.clientHeight / 2) {
				sc.scrollTop = y;
				await new Promise((r) => setTimeout(r, 80));
				for (const r of document.querySelectorAll('.grid-rows .row')) {
					const cells = r.querySelectorAll('.cell');
					seen.set(Number(r.dataset.rowIndex), [Number(cells[0].textContent), cells[1].textContent]);
				}
				if (y > sc.scrollHeight) break;
			}
			return [...seen.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
		});
		is(sampled, X.sample, `the sample of ${X.sample.length} rows with seed ${X.seed} equals the CLI's (row numbers and document_id)`);
		await page.screenshot({ path: path.join(artifacts, 'web-sample-light.png') });
		const [sdl] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }),
			(async () => { await page.click('[data-testid=export]'); await page.click('#menu [data-format=jsonl]'); })()]);
		const samplePath = path.join(artifacts, 'web-sample.jsonl');
		await sdl.saveAs(samplePath);
		const exported = fs.readFileSync(samplePath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		is(exported, X.sample_full, 'the sample exported as JSON lines has the values parqview sample --format jsonl prints');

		// a file's "rows" link shows the dataset from that file's first row
		const f2 = await page.evaluate(async () => (await (await fetch('/api/datasets/docs/files')).json()).files[2]);
		await page.click('.file-list li[data-file="2"] .f-rows');
		await page.waitForFunction(() => /all [\d,]+ rows/.test(document.querySelector('[data-testid=source]').textContent), null, { timeout: 15000 });
		const atFile = (await visibleRows(page))[0];
		const cliRow = execFileSync(bin, ['cat', '--rows', `${f2.first_row}:${f2.first_row + 1}`, '--columns', 'document_id', '--format', 'csv', X.docs_path], { encoding: 'utf8' }).split('\n')[1];
		ok(atFile && atFile.index === f2.first_row && atFile.document_id === cliRow, `a file's rows link shows row ${f2.first_row}, the CLI's first row of ${f2.path}`, { atFile, cliRow });

		// 14-15: schema and metadata panels
		await page.click('.side .tab:has-text("Schema")');
		await page.waitForSelector('.schema-tree', { timeout: 10000 });
		const schemaText = await page.$eval('.schema-tree', (e) => e.textContent);
		ok(/document_id/.test(schemaText) && /label/.test(schemaText) && /missing in 9/.test(schemaText), 'the schema panel shows the columns and that label is missing from 9 files', schemaText.slice(0, 200));
		await page.click('.side .tab:has-text("Files")');
		await page.click('.file-list li[data-file="0"]');
		await page.waitForSelector('.meta .rg', { timeout: 10000 });
		const metaText = await page.$eval('.meta', (e) => e.textContent);
		ok(/Row group 0/.test(metaText) && /ZSTD/.test(metaText) && /document_id/.test(metaText), 'the metadata view shows row groups and column chunks with codecs', metaText.slice(0, 200));
		await page.screenshot({ path: path.join(artifacts, 'web-meta-light.png') });
		await page.click('.meta .rg tbody tr >> nth=0 >> button:has-text("pages")');
		await page.waitForSelector('#drawer .meta-table, #drawer .error, #drawer .empty', { timeout: 10000 });
		const pagesText = await page.$eval('#drawer', (e) => e.textContent);
		ok(/Pages · document_id · row group 0/.test(pagesText) && /DATA_PAGE/.test(pagesText), 'a column chunk\'s page headers open in the drawer', pagesText.slice(0, 200));
		await page.keyboard.press('Escape');
		await page.click('.tabs .tab >> nth=0');

		// 16-22: SQL
		const sqlOn = await page.evaluate(async () => {
			const r = await fetch('/api/queries', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT 1' }) });
			const j = await r.json().catch(() => ({}));
			if (j.id) await fetch(`/api/queries/${j.id}`, { method: 'DELETE' });
			return !(j.error && /not available/.test(j.error.message));
		});
		const N = {
			result: 'a query\'s result shows in the grid', rows: 'the result has the rows DuckDB gives',
			csv: 'CSV export downloads the result', parquet: 'Parquet export reads back with parqview',
			cancel: 'Cancel stops a running query', history: 'the history lists the last query that ran',
			error: 'an error is shown in place', mark: 'the error position is marked in the editor',
			complete: 'completion offers a column name',
		};
		if (!sqlOn) {
			for (const nm of Object.values(N)) if (nm !== N.complete) skip(nm, 'this server build has no SQL yet');
		} else {
			await runSql(page, X.query);
			const qrows = await visibleRows(page);
			ok(/Query result/.test(await page.$eval('[data-testid=source]', (e) => e.textContent)) && qrows.length > 0, N.result);
			is(qrows.slice(0, 5).map((r) => [r.id, r.label]), X.query_rows.slice(0, 5), N.rows);

			const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }),
				(async () => { await page.click('[data-testid=export]'); await page.click('#menu [data-format=csv]'); })()]);
			const csvPath = path.join(artifacts, 'web-export.csv');
			await dl.saveAs(csvPath);
			const csv = fs.readFileSync(csvPath, 'utf8');
			is(csv, X.query_csv, N.csv);
			const [dl2] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }),
				(async () => { await page.click('[data-testid=export]'); await page.click('#menu [data-format=parquet]'); })()]);
			const pqPath = path.join(artifacts, 'web-export.parquet');
			await dl2.saveAs(pqPath);
			let count = '';
			try { count = execFileSync(bin, ['count', pqPath], { encoding: 'utf8' }).trim(); } catch (e) { count = String(e.message).split('\n')[0]; }
			is(count, String(X.query_rows.length), N.parquet);

			// a long query shows progress and stops on Cancel
			await typeSql(page, X.slow_query);
			const [started] = await Promise.all([
				page.waitForResponse((r) => r.url().endsWith('/api/queries') && r.request().method() === 'POST', { timeout: 10000 }),
				page.keyboard.press('Control+Enter')]);
			const qid = (await started.json()).id;
			await page.waitForSelector('.sql-panel.running', { timeout: 10000 });
			await page.waitForTimeout(300);
			await page.click('[data-testid=cancel]');
			await page.waitForFunction(() => !document.querySelector('.sql-panel.running'), null, { timeout: 10000 });
			const after = await page.$eval('.sql-status', (e) => e.textContent);
			// and the server stopped it too
			const serverSays = await page.evaluate(async (id) => {
				for (let i = 0; i < 50; i++) {
					const st = await (await fetch(`/api/queries/${id}`)).json();
					if (st.status !== 'running') return st.status;
					await new Promise((r) => setTimeout(r, 100));
				}
				return 'running';
			}, qid);
			ok(/^Cancelled/.test(after) && serverSays === 'cancelled', N.cancel, { after, serverSays });
			await page.click('button:has-text("History")');
			const hist = await page.$$eval('#menu .menu-item', (l) => l.map((x) => x.title));
			ok(hist[0] === X.query, N.history, hist);
			await page.keyboard.press('Escape');

			await runSql(page, X.bad_query);
			const errText = await page.$eval('.sql-error', (e) => (e.hidden ? '' : e.textContent));
			ok(/nosuchcol/i.test(errText), N.error, errText);
			const mark = await page.$eval('.sql-editor', (e) => { const m = e.querySelector('.cm-sql-error'); return m ? m.textContent : null; });
			ok(mark !== null && /nosuchcol/.test(mark), N.mark, mark);
		}
		{
			// completion comes from the schemas, not from the SQL endpoint
			await pick(page, 'docs');
			await typeSql(page, 'SELECT docu');
			await page.keyboard.press('Control+Space');
			await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: 5000 }).catch(() => null);
			const opts = await page.$$eval('.cm-tooltip-autocomplete li', (l) => l.map((x) => x.textContent));
			ok(opts.some((o) => o.startsWith('document_id')), N.complete, opts.slice(0, 5));
			await page.keyboard.press('Escape');
		}

		// 23-24: dark mode by the toggle, screenshots of both
		await page.screenshot({ path: path.join(artifacts, 'web-light.png') });
		const bgLight = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
		await page.click('[data-testid=theme]'); // auto -> light
		await page.click('[data-testid=theme]'); // light -> dark
		const bgDark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
		const lum = (c) => { const v = c.match(/\d+/g).map(Number); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
		ok(lum(bgLight) > 200 && lum(bgDark) < 60, `the theme toggle switches to dark (${bgLight} -> ${bgDark})`);
		await page.screenshot({ path: path.join(artifacts, 'web-dark.png') });
		await page.reload();
		await page.waitForSelector('[data-dataset]', { timeout: 15000 });
		is(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'the chosen theme survives a reload');

		// 25: a page with no session is told how to sign in
		const status = await page.evaluate(() => fetch('/', { credentials: 'omit' }).then((r) => r.status));
		is(status, 403, 'without the session cookie the server refuses the page');
	} catch (e) {
		ok(false, `the run stopped: ${e.message.split('\n')[0]}`);
		await page.screenshot({ path: path.join(artifacts, 'web-failure.png') }).catch(() => undefined);
	}
	ok(pageErrors.length === 0 && outside.length === 0, 'no script errors and no request leaves the server', { pageErrors, outside });
	await ctx.close();
	fs.rmSync(userDir, { recursive: true, force: true });
	while (n < PLAN) ok(false, 'not reached');
	process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.log(`not ok ${n + 1} - ${e.message}`); process.exit(1); });
