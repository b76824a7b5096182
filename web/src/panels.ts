// panels.ts - the side panels and the metadata view: datasets, files with
// their partitions, the schema tree, a file's row groups and column chunks,
// and the drawer that shows one value or one row in full.
import { api, type Column, type Dataset, type FileInfo, type SchemaNode } from './api';
import { cellText, clear, copyText, el, fmtBytes, fmtInt, fullText, toast } from './util';

export function datasetList(datasets: Dataset[], current: string, pick: (id: string) => void): HTMLElement {
	if (!datasets.length) return el('div.empty', null, 'No datasets are being served.');
	return el('ul.ds-list', { role: 'listbox', 'aria-label': 'datasets' }, datasets.map((d) =>
		el('li', { role: 'option', 'aria-selected': String(d.id === current), class: d.id === current ? 'on' : '', 'data-dataset': d.id, onclick: () => pick(d.id) },
			el('div.ds-name', null, d.id, d.problems.length ? el('span.badge.warn', { title: d.problems.map((p) => p.message).join('\n') }, `${d.problems.length} problem${d.problems.length > 1 ? 's' : ''}`) : null),
			el('div.ds-facts', null, `${fmtInt(d.n_rows)} rows · ${fmtInt(d.n_files)} file${d.n_files === 1 ? '' : 's'} · ${fmtBytes(d.bytes)}`),
			el('div.ds-path', { title: d.paths.join('\n') }, d.paths.join(', ')),
			d.partitions.length ? el('div.ds-parts', null, d.partitions.map((p) => el('span.chip', { title: p.type }, p.name))) : null,
		)));
}

export function problemList(d: Dataset): HTMLElement | null {
	if (!d.problems.length) return null;
	return el('ul.problems', null, d.problems.map((p) => el('li', { 'data-kind': p.kind }, p.message)));
}

export function fileList(files: FileInfo[], openMeta: (f: FileInfo) => void, showRows: (row: number) => void): HTMLElement {
	if (!files.length) return el('div.empty', null, 'No files.');
	const rowsLink = (f: FileInfo) => {
		if (f.error || f.first_row === undefined || !f.rows) return null;
		const first = f.first_row;
		return el('button.link.f-rows', { title: `Show this file's rows (from row ${fmtInt(first)})`, onclick: (e: Event) => { e.stopPropagation(); showRows(first); } }, 'rows');
	};
	return el('ul.file-list', { 'aria-label': 'files' }, files.map((f) =>
		el('li', { class: f.error ? 'bad' : '', title: f.error ? f.error : `${f.path}\n${f.created_by ?? ''}\nclick for the footer metadata`, onclick: () => openMeta(f), 'data-file': f.index },
			el('div.f-path', null, f.path, rowsLink(f)),
			f.partitions && Object.keys(f.partitions).length ? el('div.f-parts', null, Object.entries(f.partitions).map(([k, v]) => el('span.chip', null, `${k}=${v ?? 'NULL'}`))) : null,
			f.error ? el('div.f-err', null, f.error) : el('div.f-facts', null, `${fmtInt(f.rows)} rows · ${fmtInt(f.row_groups)} row group${f.row_groups === 1 ? '' : 's'} · ${fmtBytes(f.bytes)}`),
		)));
}

export function schemaTree(cols: SchemaNode[]): HTMLElement {
	if (!cols.length) return el('div.empty', null, 'No columns.');
	const node = (c: SchemaNode): HTMLElement => {
		const kids = c.children && c.children.length ? c.children : null;
		const head = el('div.s-node', { title: [c.path, c.physical && `physical ${c.physical}`, c.logical && `logical ${c.logical}`, c.repetition].filter(Boolean).join('\n') },
			kids ? el('span.s-twisty', { 'aria-hidden': 'true' }, '▾') : el('span.s-twisty'),
			el('span.s-name', null, c.name),
			el('span.s-type', null, c.type),
			c.nullable ? el('span.s-null', { title: 'may be NULL' }, 'null') : el('span.s-null.req', { title: 'never NULL' }, 'not null'),
			c.partition ? el('span.chip', { title: 'hive partition column' }, 'partition') : null,
			c.missing_in ? el('span.badge.warn', { title: `missing from ${c.missing_in} files (reads as NULL there)` }, `missing in ${c.missing_in}`) : null,
		);
		const li = el('li', null, head);
		if (kids) {
			const ul = el('ul', null, kids.map(node));
			li.appendChild(ul);
			head.addEventListener('click', () => {
				li.classList.toggle('closed');
				(head.firstChild as HTMLElement).textContent = li.classList.contains('closed') ? '▸' : '▾';
			});
		}
		return li;
	};
	return el('ul.schema-tree', { 'aria-label': 'schema' }, cols.map(node));
}

// ---- metadata ----

const stat = (s: any, k: string) => (s && s[k] !== undefined && s[k] !== null ? cellText(s[k], 40) : '');

/** The footer of one file: facts, key-value metadata, row groups and chunks. */
export function metaView(ds: string, file: FileInfo, meta: any): HTMLElement {
	const f = meta && Array.isArray(meta.files) ? meta.files[0] : meta;
	if (!f) {
		const e = meta && meta.errors && meta.errors[0];
		return el('div.empty.error', null, e ? e.message : 'No metadata for this file.');
	}
	const facts: [string, string][] = [
		['size', fmtBytes(f.size)], ['footer', fmtBytes(f.footer_length)], ['format version', String(f.version ?? '')],
		['rows', fmtInt(f.num_rows)], ['row groups', fmtInt(f.num_row_groups)], ['columns', fmtInt(f.num_columns)],
		['created by', f.created_by ?? '–'],
	];
	if (f.encryption_algorithm) facts.push(['encryption', String(f.encryption_algorithm)]);
	const kv = Array.isArray(f.key_value_metadata) ? f.key_value_metadata : [];
	return el('div.meta', null,
		el('h2', null, file.path),
		el('dl.facts', null, facts.map(([k, v]) => [el('dt', null, k), el('dd', null, v)])),
		kv.length ? el('details.kv', null, el('summary', null, `key-value metadata (${kv.length})`),
			el('dl', null, kv.map((x: any) => [el('dt', null, x.key), el('dd', { title: String(x.value ?? '') }, String(x.value ?? 'null').slice(0, 400))]))) : null,
		(f.row_groups || []).map((rg: any) => rowGroup(ds, file, rg)),
	);
}

function rowGroup(ds: string, file: FileInfo, rg: any): HTMLElement {
	const head = ['column', 'type', 'codec', 'encodings', 'compressed', 'uncompressed', 'values', 'nulls', 'min', 'max', 'dict', 'page index', 'bloom', ''];
	const rows = (rg.columns || []).map((c: any) => {
		const s = c.statistics;
		const mm = s && s.minmax_trusted === false ? '~' : '';
		const pageIndex = [c.column_index_offset !== undefined && c.column_index_offset !== null ? 'column' : '', c.offset_index_offset !== undefined && c.offset_index_offset !== null ? 'offset' : ''].filter(Boolean).join(' + ') || '–';
		const pagesBtn = el('button.link', { title: 'Page headers of this column chunk' }, 'pages');
		pagesBtn.addEventListener('click', () => void showPages(ds, file, rg.index, c.path));
		return el('tr', { class: c.encrypted ? 'enc' : '' },
			el('td.mono', null, c.path), el('td', null, c.type ?? c.physical_type ?? ''), el('td', null, c.codec ?? ''),
			el('td', null, (c.encodings || []).join(', ')),
			el('td.num', null, fmtBytes(c.total_compressed_size)), el('td.num', null, fmtBytes(c.total_uncompressed_size)),
			el('td.num', null, fmtInt(c.num_values)), el('td.num', null, stat(s, 'null_count')),
			el('td.mono', { title: mm ? 'not trusted as a bound' : '' }, mm + stat(s, 'min')), el('td.mono', { title: mm ? 'not trusted as a bound' : '' }, mm + stat(s, 'max')),
			el('td', null, c.dictionary_page_offset !== undefined && c.dictionary_page_offset !== null ? 'yes' : '–'),
			el('td', null, pageIndex), el('td', null, c.bloom_filter_offset !== undefined && c.bloom_filter_offset !== null ? 'yes' : '–'),
			el('td', null, pagesBtn));
	});
	return el('section.rg', null,
		el('h3', null, `Row group ${rg.index}`, el('span.muted', null, ` · ${fmtInt(rg.num_rows)} rows · ${fmtBytes(rg.total_compressed_size ?? rg.total_byte_size)} compressed · ${fmtBytes(rg.total_byte_size)} uncompressed`)),
		el('div.table-wrap', null, el('table.meta-table', null, el('thead', null, el('tr', null, head.map((h) => el('th', null, h)))), el('tbody', null, rows))));
}

async function showPages(ds: string, file: FileInfo, rg: number, column: string): Promise<void> {
	const d = drawer(`Pages · ${column} · row group ${rg}`, el('div.loading', null, 'Loading page headers…'));
	try {
		const m = await api.pages(ds, file.index, rg, column);
		const chunk = findChunk(m);
		const pages: any[] = (chunk && chunk.pages) || m.pages || [];
		const head = ['#', 'type', 'encoding', 'offset', 'compressed', 'uncompressed', 'values', 'rows', 'nulls', 'first row', 'min', 'max'];
		const rows = pages.map((p: any) => el('tr', null,
			el('td.num', null, String(p.index ?? '')), el('td', null, p.type ?? ''), el('td', null, p.encoding ?? ''),
			el('td.num', null, fmtInt(p.offset)), el('td.num', null, fmtBytes(p.compressed_size)), el('td.num', null, fmtBytes(p.uncompressed_size)),
			el('td.num', null, fmtInt(p.num_values)), el('td.num', null, p.num_rows === undefined ? '' : fmtInt(p.num_rows)),
			el('td.num', null, p.num_nulls === undefined ? '' : fmtInt(p.num_nulls)), el('td.num', null, p.first_row === undefined ? '' : fmtInt(p.first_row)),
			el('td.mono', null, stat(p.statistics, 'min')), el('td.mono', null, stat(p.statistics, 'max'))));
		const table = el('table.meta-table', null, el('thead', null, el('tr', null, head.map((h) => el('th', null, h)))), el('tbody', null, rows));
		d.set(el('div', null,
			pages.length ? el('div.table-wrap', null, table) : el('div.empty', null, 'No page headers.'),
			chunk && chunk.pages_error ? el('div.error', null, chunk.pages_error) : null));
	} catch (e) {
		d.set(el('div.error', null, (e as Error).message));
	}
}

function findChunk(m: any): any {
	const f = m && Array.isArray(m.files) ? m.files[0] : m;
	const rg = f && Array.isArray(f.row_groups) ? f.row_groups[0] : null;
	return rg && Array.isArray(rg.columns) ? rg.columns[0] : f;
}

// ---- the drawer: one value or one row ----

export function drawer(title: string, content: HTMLElement, actions: HTMLElement[] = []): { set(c: HTMLElement): void; close(): void } {
	document.getElementById('drawer')?.remove();
	const body = el('div.drawer-body', null, content);
	const close = () => { d.remove(); document.removeEventListener('keydown', onKey, true); returnFocus?.focus({ preventScroll: true }); };
	const returnFocus = document.activeElement as HTMLElement | null;
	const d = el('aside#drawer', { role: 'dialog', 'aria-label': title },
		el('header', null, el('h2', null, title), el('div.actions', null, actions, el('button.close', { onclick: close, title: 'Close (Esc)', 'aria-label': 'close' }, '×'))),
		body);
	const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } };
	document.addEventListener('keydown', onKey, true);
	document.body.appendChild(d);
	return { set: (c) => { clear(body); body.appendChild(c); }, close };
}

function valueBlock(v: unknown): HTMLElement {
	if (v === null || v === undefined) return el('div.value.null', null, 'NULL');
	if (typeof v === 'string') {
		// JSON text is shown formatted too, the raw string stays copyable
		let pretty: string | null = null;
		if (/^\s*[[{]/.test(v)) {
			try { pretty = JSON.stringify(JSON.parse(v), null, 2); } catch { pretty = null; }
		}
		return el('pre.value', null, pretty ?? v);
	}
	return el('pre.value', null, fullText(v));
}

export function inspectValue(v: unknown, col: Column, rowLabel: number): void {
	const copy = el('button', { onclick: async () => toast((await copyText(fullText(v))) ? 'Value copied' : 'The browser refused to copy') }, 'Copy');
	const facts = typeof v === 'string' ? `${fmtInt(v.length)} characters` : Array.isArray(v) ? `${fmtInt(v.length)} items` : '';
	drawer(`${col.name} · row ${rowLabel}`, el('div.inspect', null,
		el('div.muted', null, col.type, facts ? ` · ${facts}` : ''), valueBlock(v)), [copy]);
}

export function inspectRow(row: unknown[], cols: Column[], rowLabel: number): void {
	const obj: Record<string, unknown> = {};
	cols.forEach((c, i) => { obj[c.name] = row[i]; });
	const copy = el('button', { onclick: async () => toast((await copyText(JSON.stringify(obj))) ? 'Row copied as JSON' : 'The browser refused to copy') }, 'Copy as JSON');
	drawer(`Row ${rowLabel}`, el('dl.row-detail', null, cols.map((c, i) => [
		el('dt', null, c.name, el('span.muted', null, ` ${c.type}`)),
		el('dd', null, valueBlock(row[i])),
	])), [copy]);
}
