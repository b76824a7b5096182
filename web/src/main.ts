// main.ts - the page: lays out the panels, the SQL editor and the grid, and
// moves between the three things the grid can show: a dataset's rows, a
// seeded sample of them, or a query's result.
import './style.css';
import { api, ApiError, type Column, type Dataset, type FileInfo, type QueryStatus, type RowsPage, type SchemaNode } from './api';
import { Grid, type GridSource, type Page } from './grid';
import { datasetList, drawer, fileList, inspectRow, inspectValue, metaView, problemList, schemaTree } from './panels';
import { addHistory, loadHistory } from './history';
import type { SqlEditor } from './sql';
import { clear, el, fmtInt, fmtMs, toast } from './util';

const PAGE = 100;
const POLL_MS = 200;

// asked first, so the answer travels while the page builds the editor
const datasetsAsked = api.datasets();
datasetsAsked.catch(() => undefined); // handled in start()

type Mode =
	| { kind: 'rows' }
	| { kind: 'sample'; n: number; seed: string; page: RowsPage }
	| { kind: 'query'; id: string; sql: string };

const state = {
	datasets: [] as Dataset[],
	ds: '',
	files: new Map<string, FileInfo[]>(),
	schemas: new Map<string, SchemaNode[]>(),
	mode: { kind: 'rows' } as Mode,
	query: null as null | { id: string; sql: string; status: QueryStatus | null; timer: number; started: number },
	sideTab: 'files' as 'files' | 'schema',
};

// ---- layout ----

const themeBtn = el('button.icon', { title: 'Theme: follows the system', 'aria-label': 'toggle theme', 'data-testid': 'theme' });
const topFacts = el('div.top-facts');
const dsHost = el('div.ds-host');
const sideTabs = el('div.tabs.small', { role: 'tablist' });
const sideBody = el('div.side-body');
const side = el('aside.side', null,
	el('section.side-ds', null, el('h2', null, 'Datasets'), dsHost),
	el('section.side-detail', null, sideTabs, sideBody));

const sqlHost = el('div.sql-editor.loading', null, 'Loading the SQL editor…');
const runBtn = el('button.primary', { title: 'Run (Ctrl+Enter)', 'data-testid': 'run' }, 'Run');
const cancelBtn = el('button', { disabled: true, 'data-testid': 'cancel' }, 'Cancel');
const histBtn = el('button', { title: 'Query history (this browser)', 'aria-haspopup': 'menu' }, 'History ▾');
const progress = el('div.progress', { 'aria-hidden': 'true' }, el('div.bar'));
const sqlStatus = el('div.sql-status', { role: 'status', 'aria-live': 'polite' });
const sqlError = el('div.sql-error', { role: 'alert', hidden: true, 'data-testid': 'sql-error' });
const sqlPanel = el('section.sql-panel', null, sqlHost,
	el('div.sql-bar', null, runBtn, cancelBtn, histBtn, progress, sqlStatus), sqlError);

const viewTabs = el('div.tabs', { role: 'tablist' });
const sourceLabel = el('div.source-label', { 'data-testid': 'source' });
const backBtn = el('button', { hidden: true }, '← All rows');
const jumpInput = el('input', { type: 'text', inputmode: 'numeric', placeholder: 'row #', 'aria-label': 'jump to row', size: 8, 'data-testid': 'jump' });
const jumpBtn = el('button', null, 'Go');
const sampleN = el('input', { type: 'number', min: 1, max: 10000, value: 50, 'aria-label': 'sample size', class: 'n' });
const seedInput = el('input', { type: 'text', placeholder: 'random', 'aria-label': 'seed', size: 6, 'data-testid': 'seed' });
const sampleBtn = el('button', { 'data-testid': 'sample' }, 'Sample');
const colsBtn = el('button', { 'aria-haspopup': 'menu' }, 'Columns ▾');
const exportBtn = el('button', { 'aria-haspopup': 'menu', 'data-testid': 'export' }, 'Export ▾');
const toolbar = el('div.toolbar', null, sourceLabel, backBtn, el('div.spacer'),
	el('form.tool', { onsubmit: (e: Event) => { e.preventDefault(); jump(); } }, el('label', null, 'Jump to'), jumpInput, jumpBtn),
	el('form.tool', { onsubmit: (e: Event) => { e.preventDefault(); void sample(); } }, sampleBtn, sampleN, el('label', null, 'rows, seed'), seedInput),
	colsBtn, exportBtn);
const gridHost = el('div.grid-host');
const metaHost = el('div.meta-host', { hidden: true });
const status = el('footer.status', { role: 'status' });
const work = el('main.work', null, sqlPanel, viewTabs, toolbar, gridHost, metaHost, status);

const app = document.getElementById('app')!;
clear(app);
app.appendChild(el('header.top', null,
	el('div.brand', null, el('img', { src: '/assets/icon.svg', alt: '', width: 20, height: 20 }), 'parqview'),
	topFacts, el('div.spacer'), themeBtn));
app.appendChild(el('div.layout', null, side, work));

const grid = new Grid(gridHost, {
	onInspect: inspectValue,
	onRow: inspectRow,
	onView: (v) => {
		const range = v.total ? `rows ${fmtInt(v.first)}–${fmtInt(Math.max(v.first, v.last - 1))} of ${fmtInt(v.total)}` : '0 rows';
		status.textContent = `${range}${v.loading ? ' · loading…' : ''}`;
		status.classList.toggle('busy', v.loading);
	},
});

// The editor (CodeMirror, most of the script's weight) is a chunk of its
// own, loaded once the first rows are on screen: see start().
let editor: SqlEditor | null = null;
async function loadEditor(): Promise<void> {
	try {
		const { SqlEditor: Editor } = await import('./sql');
		sqlHost.classList.remove('loading');
		clear(sqlHost);
		// an edit makes a shown error stale (its mark goes with it, see sql.ts)
		editor = new Editor(sqlHost, { onRun: (q) => void runQuery(q), onEdit: () => { sqlError.hidden = true; } }, loadHistory()[0]?.sql ?? '');
		updateCompletion();
	} catch (e) {
		sqlHost.textContent = `The SQL editor did not load: ${(e as Error).message}`;
	}
}

// ---- theme ----

function applyTheme(): void {
	const t = localStorage.getItem('parqview.theme');
	if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
	else delete document.documentElement.dataset.theme;
	themeBtn.textContent = t === 'dark' ? '☾' : t === 'light' ? '☀' : '◐';
	themeBtn.title = `Theme: ${t ?? 'follows the system'} (click to change)`;
}
themeBtn.addEventListener('click', () => {
	const t = localStorage.getItem('parqview.theme');
	const next = t === null ? 'light' : t === 'light' ? 'dark' : null;
	if (next) localStorage.setItem('parqview.theme', next);
	else localStorage.removeItem('parqview.theme');
	applyTheme();
});
applyTheme();

// ---- datasets and side panels ----

function current(): Dataset | undefined {
	return state.datasets.find((d) => d.id === state.ds);
}

function renderDatasets(): void {
	clear(dsHost);
	dsHost.appendChild(datasetList(state.datasets, state.ds, (id) => void selectDataset(id)));
	const d = current();
	const probs = d && problemList(d);
	if (probs) dsHost.appendChild(probs);
	clear(topFacts);
	if (d) topFacts.append(el('strong', null, d.id), ` ${fmtInt(d.n_rows)} rows · ${fmtInt(d.columns)} columns`);
}

function renderSideTabs(): void {
	clear(sideTabs);
	for (const [k, label] of [['files', 'Files'], ['schema', 'Schema']] as const) {
		sideTabs.appendChild(el('button.tab', { role: 'tab', 'aria-selected': String(state.sideTab === k), class: state.sideTab === k ? 'on' : '', onclick: () => { state.sideTab = k; renderSideTabs(); void renderSide(); } }, label));
	}
}

async function renderSide(): Promise<void> {
	const ds = state.ds;
	clear(sideBody);
	sideBody.appendChild(el('div.loading', null, 'Loading…'));
	try {
		let node: HTMLElement;
		if (state.sideTab === 'files') {
			if (!state.files.has(ds)) state.files.set(ds, (await api.files(ds)).files);
			node = fileList(state.files.get(ds)!, (f) => void openMeta(f), (row) => void showRowsAt(row));
		} else {
			node = schemaTree(await schemaOf(ds));
		}
		if (ds !== state.ds) return;
		clear(sideBody);
		sideBody.appendChild(node);
	} catch (e) {
		clear(sideBody);
		sideBody.appendChild(el('div.error', null, (e as Error).message));
	}
}

async function schemaOf(ds: string): Promise<SchemaNode[]> {
	if (!state.schemas.has(ds)) state.schemas.set(ds, (await api.schema(ds)).columns);
	return state.schemas.get(ds)!;
}

async function selectDataset(id: string): Promise<void> {
	state.ds = id;
	jumpInput.value = '';
	renderDatasets();
	void renderSide();
	updateCompletion();
	await showRows();
}

function updateCompletion(): void {
	const tables: Record<string, Column[]> = {};
	for (const [id, cols] of state.schemas) tables[id] = cols.map((c) => ({ name: c.name, type: c.type }));
	editor?.setTables(tables, state.ds || undefined);
}

// ---- view tabs: rows or a file's metadata ----

let metaFile: FileInfo | null = null;
let metaOpen = false;

function renderViewTabs(): void {
	clear(viewTabs);
	const tab = (label: string, on: boolean, click: () => void, extra?: HTMLElement) =>
		el('button.tab', { role: 'tab', 'aria-selected': String(on), class: on ? 'on' : '', onclick: click }, label, extra);
	viewTabs.appendChild(tab(state.mode.kind === 'query' ? 'Result' : 'Rows', !metaOpen, () => showTab(false)));
	if (metaFile) {
		const f = metaFile;
		viewTabs.appendChild(tab(`Metadata · ${f.path.split('/').slice(-2).join('/')}`, metaOpen, () => showTab(true),
			el('span.x', { title: 'Close', onclick: (e: Event) => { e.stopPropagation(); metaFile = null; showTab(false); } }, '×')));
	}
}

function showTab(meta: boolean): void {
	metaOpen = meta && !!metaFile;
	metaHost.hidden = !metaOpen;
	gridHost.hidden = metaOpen;
	toolbar.hidden = metaOpen;
	status.hidden = metaOpen;
	renderViewTabs();
}

async function openMeta(f: FileInfo): Promise<void> {
	metaFile = f;
	showTab(true);
	clear(metaHost);
	metaHost.appendChild(el('div.loading', null, `Reading the footer of ${f.path}…`));
	const ds = state.ds;
	try {
		const m = await api.meta(ds, f.index);
		if (metaFile !== f) return;
		clear(metaHost);
		metaHost.appendChild(metaView(ds, f, m));
	} catch (e) {
		clear(metaHost);
		metaHost.appendChild(el('div.error', null, (e as Error).message));
	}
}

// ---- what the grid shows ----

function setMode(m: Mode): void {
	const prev = state.mode;
	if (prev.kind === 'query' && (m.kind !== 'query' || m.id !== prev.id)) void api.dropQuery(prev.id).catch(() => undefined);
	state.mode = m;
	backBtn.hidden = m.kind === 'rows';
	const d = current();
	clear(sourceLabel);
	if (m.kind === 'rows') sourceLabel.append(el('strong', null, state.ds), d ? ` · all ${fmtInt(d.n_rows)} rows` : '');
	else if (m.kind === 'sample') sourceLabel.append(el('strong', null, state.ds), ` · ${fmtInt(m.page.rows.length)} random rows, seed `, el('code', { 'data-testid': 'seed-used' }, String(m.page.seed ?? m.seed)));
	else sourceLabel.append(el('strong', null, 'Query result'), ' · ', el('span.mono.ellipsis', { title: m.sql }, m.sql.replace(/\s+/g, ' ').slice(0, 80)));
	showTab(false);
}

async function showRows(): Promise<void> {
	const ds = state.ds;
	setMode({ kind: 'rows' });
	grid.setMessage('Loading rows…');
	try {
		const t0 = performance.now();
		const first = await api.rows(ds, 0, PAGE);
		if (ds !== state.ds || state.mode.kind !== 'rows') return;
		const ms = performance.now() - t0;
		const src: GridSource = {
			key: `rows:${ds}`,
			columns: first.columns,
			total: first.total ?? current()?.n_rows ?? first.rows.length,
			pageSize: PAGE,
			emptyText: 'This dataset has no rows.',
			firstPage: { rows: first.rows },
			fetch: async (offset, limit, signal) => {
				const p = await api.rows(ds, offset, limit, undefined, signal);
				return { rows: p.rows };
			},
		};
		grid.setSource(src);
		status.title = `first rows in ${fmtMs(ms)}`;
	} catch (e) {
		showGridError(e);
	}
}

// A file's rows: the dataset's rows from the file's first one.
async function showRowsAt(row: number): Promise<void> {
	if (state.mode.kind !== 'rows' || !grid.source()) await showRows();
	showTab(false);
	grid.jumpTo(row);
}

function showGridError(e: unknown): void {
	grid.setMessage((e as Error).message, true);
}

function jump(): void {
	const s = jumpInput.value.replace(/[,_\s]/g, '');
	if (!/^\d+$/.test(s)) {
		toast('Type a row number (0 is the first row)', 'error');
		return;
	}
	const src = grid.source();
	if (!src || src.total === 0) return;
	const n = Number(s);
	if (n >= src.total) toast(`There are ${fmtInt(src.total)} rows; showing the last`, 'info');
	grid.jumpTo(n);
}

async function sample(): Promise<void> {
	const ds = state.ds;
	const n = Math.max(1, Math.min(10000, Math.floor(Number(sampleN.value) || 50)));
	const seed = seedInput.value.trim();
	if (seed !== '' && !/^\d+$/.test(seed)) {
		toast('The seed is a whole number (or empty for a random one)', 'error');
		return;
	}
	sampleBtn.disabled = true;
	try {
		const page = await api.sample(ds, n, seed);
		if (ds !== state.ds) return;
		if (seed === '' && page.seed !== undefined) seedInput.value = String(page.seed);
		setMode({ kind: 'sample', n, seed, page });
		const rows = page.rows, nums = page.row_numbers;
		grid.setSource({
			key: `sample:${ds}:${seed}:${n}`,
			columns: page.columns,
			total: rows.length,
			pageSize: Math.max(1, rows.length),
			emptyText: 'The dataset has no rows to sample.',
			firstPage: { rows, rowNumbers: nums },
			fetch: async (): Promise<Page> => ({ rows, rowNumbers: nums }),
		});
	} catch (e) {
		toast((e as Error).message, 'error');
	} finally {
		sampleBtn.disabled = false;
	}
}

backBtn.addEventListener('click', () => void showRows());

// ---- queries ----

function queryState(busy: boolean): void {
	runBtn.disabled = busy;
	cancelBtn.disabled = !busy;
	sqlPanel.classList.toggle('running', busy);
}

function showSqlError(message: string, position?: number | null): void {
	clear(sqlError);
	sqlError.hidden = false;
	const at = editor ? editor.markError(position) : null;
	sqlError.append(el('strong', null, 'Error'), at !== null ? el('span.muted', null, ` at character ${at + 1}`) : '', ': ', message);
}

function clearSqlError(): void {
	sqlError.hidden = true;
	clear(sqlError);
	editor?.markError(null);
}

async function runQuery(sql: string): Promise<void> {
	if (!sql.trim()) {
		showSqlError('the query is empty');
		return;
	}
	if (state.query) await cancelQuery();
	clearSqlError();
	queryState(true);
	setProgress(null);
	sqlStatus.textContent = 'Starting…';
	let st: QueryStatus;
	try {
		st = await api.startQuery(sql);
	} catch (e) {
		queryState(false);
		sqlStatus.textContent = '';
		const ae = e as ApiError;
		showSqlError(ae.message, ae.position);
		addHistory({ sql, at: Date.now(), ok: false });
		return;
	}
	const q = { id: st.id, sql, status: st, timer: 0, started: performance.now() };
	state.query = q;
	poll(q);
}

function poll(q: NonNullable<typeof state.query>): void {
	q.timer = window.setTimeout(async () => {
		if (state.query !== q) return;
		let st: QueryStatus;
		try {
			st = await api.query(q.id);
		} catch (e) {
			if (state.query !== q) return;
			finishQuery(q);
			sqlStatus.textContent = '';
			showSqlError((e as Error).message);
			return;
		}
		if (state.query !== q) return;
		q.status = st;
		const elapsed = st.elapsed_ms ?? performance.now() - q.started;
		if (st.status === 'error') {
			finishQuery(q);
			sqlStatus.textContent = `Failed after ${fmtMs(elapsed)}`;
			showSqlError(st.error?.message ?? 'the query failed', st.error?.position);
			addHistory({ sql: q.sql, at: Date.now(), ok: false });
			return;
		}
		if (st.status === 'cancelled') {
			finishQuery(q);
			sqlStatus.textContent = `Cancelled after ${fmtMs(elapsed)}`;
			return;
		}
		const cols = st.columns ?? [];
		const n = st.n_rows ?? 0;
		const showing = state.mode.kind === 'query' && state.mode.id === q.id;
		if (cols.length && (n > 0 || st.complete || st.status === 'done')) {
			if (!showing) showQueryResult(q.id, q.sql, cols, n);
			else grid.setTotal(n);
		}
		if (st.status === 'done') {
			finishQuery(q);
			const total = st.n_rows ?? n;
			if (state.mode.kind !== 'query' || state.mode.id !== q.id) showQueryResult(q.id, q.sql, cols, total);
			else grid.setTotal(total);
			sqlStatus.textContent = `${fmtInt(total)} row${total === 1 ? '' : 's'} in ${fmtMs(elapsed)}${st.truncated ? ' (truncated: the server keeps a capped result)' : ''}`;
			addHistory({ sql: q.sql, at: Date.now(), ok: true, rows: total });
			return;
		}
		setProgress(typeof st.progress === 'number' && st.progress >= 0 ? st.progress : null);
		sqlStatus.textContent = `Running · ${fmtMs(elapsed)}${n ? ` · ${fmtInt(n)} rows so far` : ''}`;
		poll(q);
	}, POLL_MS);
}

function finishQuery(q: NonNullable<typeof state.query>): void {
	window.clearTimeout(q.timer);
	if (state.query === q) state.query = null;
	queryState(false);
	setProgress(0);
}

function setProgress(p: number | null): void {
	progress.classList.toggle('indeterminate', p === null);
	(progress.firstChild as HTMLElement).style.width = p === null ? '' : `${Math.round(p * 100)}%`;
}

function showQueryResult(id: string, sql: string, columns: Column[], n: number): void {
	setMode({ kind: 'query', id, sql });
	grid.setSource({
		key: `query:${id}`,
		columns,
		total: n,
		pageSize: PAGE,
		emptyText: 'The query returned no rows.',
		fetch: async (offset, limit, signal) => ({ rows: (await api.queryRows(id, offset, limit, signal)).rows }),
	});
}

async function cancelQuery(): Promise<void> {
	const q = state.query;
	if (!q) return;
	finishQuery(q);
	sqlStatus.textContent = 'Cancelled';
	try {
		await api.cancelQuery(q.id);
	} catch (e) {
		toast((e as Error).message, 'error');
	}
}

runBtn.addEventListener('click', () => { if (editor) void runQuery(editor.text()); });
cancelBtn.addEventListener('click', () => void cancelQuery());

// ---- menus: history, columns, export ----

function menu(anchor: HTMLElement, items: HTMLElement[]): void {
	document.getElementById('menu')?.remove();
	const r = anchor.getBoundingClientRect();
	const m = el('div#menu', { role: 'menu', style: `top:${r.bottom + 4}px;left:${Math.max(8, Math.min(r.left, window.innerWidth - 340))}px` }, items);
	const close = (e: Event) => {
		if (e instanceof KeyboardEvent ? e.key === 'Escape' : !m.contains(e.target as Node)) {
			m.remove();
			document.removeEventListener('mousedown', close, true);
			document.removeEventListener('keydown', close, true);
		}
	};
	document.addEventListener('mousedown', close, true);
	document.addEventListener('keydown', close, true);
	document.body.appendChild(m);
	(m.querySelector('button, input') as HTMLElement | null)?.focus();
}

histBtn.addEventListener('click', () => {
	const h = loadHistory();
	menu(histBtn, h.length ? h.map((e) => el('button.menu-item', {
		role: 'menuitem', title: e.sql,
		onclick: () => { editor?.setText(e.sql); document.getElementById('menu')?.remove(); editor?.focus(); },
	}, el('span.mono.ellipsis', null, e.sql.replace(/\s+/g, ' ')), el('span.muted', null, e.ok ? `${fmtInt(e.rows ?? 0)} rows` : 'error')))
		: [el('div.menu-empty', null, 'No queries yet. They are kept in this browser only.')]);
});

colsBtn.addEventListener('click', () => {
	const cols = grid.columns();
	menu(colsBtn, cols.length ? [
		el('div.menu-row', null,
			el('button.link', { onclick: () => { cols.forEach((c) => grid.setHidden(c.name, false)); colsBtn.click(); } }, 'Show all')),
		...cols.map((c) => {
			const box = el('input', { type: 'checkbox', checked: !grid.isHidden(c.name) });
			box.addEventListener('change', () => grid.setHidden(c.name, !box.checked));
			return el('label.menu-item', null, box, el('span', null, c.name), el('span.muted', null, c.type));
		})] : [el('div.menu-empty', null, 'No columns.')]);
});

exportBtn.addEventListener('click', () => {
	const m = state.mode;
	const fmts = [['csv', 'CSV'], ['jsonl', 'JSON lines'], ['parquet', 'Parquet']];
	const hiddenAny = grid.columns().some((c) => grid.isHidden(c.name));
	const visible = grid.visibleColumns().map((c) => c.name);
	const items = fmts.map(([f, label]) => el('button.menu-item', {
		role: 'menuitem', 'data-format': f,
		onclick: () => {
			document.getElementById('menu')?.remove();
			if (m.kind === 'sample') return exportSample(m, f);
			void download(m.kind === 'query' ? api.queryExportUrl(m.id, f) : api.datasetExportUrl(state.ds, f, hiddenAny ? visible : undefined));
		},
	}, label, el('span.muted', null, m.kind === 'query' ? 'the whole result' : m.kind === 'sample' ? (f === 'parquet' ? 'not for samples' : 'these rows') : hiddenAny ? 'all rows, shown columns' : 'all rows')));
	if (m.kind === 'sample') (items[2] as HTMLButtonElement).disabled = true;
	menu(exportBtn, items);
});

// The browser saves the file itself (streamed to disk, however big), but a
// failed download would only show in its download list: ask first, and on
// an error show the server's message here; on success drop that answer.
async function download(url: string): Promise<void> {
	const ctl = new AbortController();
	try {
		const res = await fetch(url, { signal: ctl.signal, credentials: 'same-origin' });
		if (!res.ok) {
			const j = await res.json().catch(() => null);
			toast(`Export failed: ${j && j.error ? j.error.message : `HTTP ${res.status}`}`, 'error');
			return;
		}
		ctl.abort();
	} catch (e) {
		if ((e as Error).name !== 'AbortError') {
			toast(`Export failed: ${(e as Error).message}`, 'error');
			return;
		}
	}
	const a = el('a', { href: url, download: '' });
	document.body.appendChild(a);
	a.click();
	a.remove();
	toast('Download started');
}

// A sample lives in the page already: write it here, as the CLI would.
function exportSample(m: Extract<Mode, { kind: 'sample' }>, format: string): void {
	const cols = m.page.columns;
	let text: string;
	if (format === 'jsonl') {
		text = m.page.rows.map((r) => JSON.stringify(Object.fromEntries(cols.map((c, i) => [c.name, r[i]])))).join('\n') + '\n';
	} else {
		const q = (v: unknown) => {
			if (v === null || v === undefined) return '';
			const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
			return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
		};
		text = [cols.map((c) => q(c.name)).join(','), ...m.page.rows.map((r) => r.map(q).join(','))].join('\n') + '\n';
	}
	const url = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' }));
	const a = el('a', { href: url, download: `${state.ds}-sample.${format}` });
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- keys ----

document.addEventListener('keydown', (e) => {
	const typing = (e.target as HTMLElement).closest('input, textarea, .cm-editor');
	if (e.key === 'Escape' && state.query && !document.getElementById('drawer') && !document.getElementById('menu') && !(e.target as HTMLElement).closest('.cm-editor')) void cancelQuery();
	if (typing) return;
	if (e.key === '/') { e.preventDefault(); editor?.focus(); }
	else if (e.key === 'g' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); jumpInput.focus(); jumpInput.select(); }
	else if (e.key === '?') showKeys();
});

function showKeys(): void {
	const keys: [string, string][] = [
		['↑ ↓ ← →', 'move the selected cell'], ['PageUp / PageDown', 'a screen up or down'], ['Home / End', 'first / last row'],
		['Enter', 'inspect the cell'], ['Shift+Enter', 'row detail'], ['Ctrl+C', 'copy the cell'], ['Ctrl+Shift+C', 'copy the row as JSON'],
		['Ctrl+Enter', 'run the query (in the editor)'], ['Esc', 'close the drawer, cancel a running query'], ['/', 'go to the SQL editor'], ['g', 'jump to a row'], ['?', 'this help'],
	];
	drawer('Keyboard', el('dl.keys', null, keys.map(([k, v]) => [el('dt', null, el('kbd', null, k)), el('dd', null, v)])));
}

// ---- start ----

async function start(): Promise<void> {
	renderSideTabs();
	renderViewTabs();
	try {
		state.datasets = (await datasetsAsked).datasets;
	} catch (e) {
		clear(dsHost);
		const ae = e as ApiError;
		dsHost.appendChild(el('div.error', null, ae.code === 'forbidden' ? 'This page is not signed in: open the URL parqview serve printed (with its ?token=).' : ae.message));
		showGridError(e);
		return;
	}
	renderDatasets();
	if (!state.datasets.length) void loadEditor();
	if (!state.datasets.length) {
		showGridError(new Error('No datasets are being served.'));
		return;
	}
	// completion needs every dataset's columns; they are small, fetch them all
	await selectDataset(state.datasets[0].id);
	// the rows paint on the next frame; the editor and the schemas it
	// completes from come after that, not before it
	await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
	void Promise.all(state.datasets.map((d) => schemaOf(d.id).catch(() => []))).then(updateCompletion);
	await loadEditor();
}

void start();
