// grid.ts - the row grid: virtual scrolling over any number of rows.
//
// Only the rows in view exist in the DOM; they are positioned inside a
// scroller whose body is as tall as all rows would be, capped at MAX_BODY
// pixels because browsers refuse taller elements (about 33M px in Chromium,
// 17M in Firefox). Past the cap the scrollbar maps proportionally onto the
// rows while wheel and keys move by real pixels (`virtTop`), so 100 million
// rows scroll like 100. Rows come from a GridSource a page at a time: pages
// in view are fetched after a short pause in scrolling, stale fetches are
// aborted, and a small LRU cache keeps pages around.
//
// The grid knows nothing of datasets or queries; main.ts gives it sources.
import type { Column } from './api';
import { cellText, clear, copyText, el, fullText, isNumericType, toast } from './util';

export interface Page { rows: unknown[][]; rowNumbers?: number[] }

export interface GridSource {
	key: string;
	columns: Column[];
	total: number;
	pageSize: number;
	/** rows [offset, offset+limit) in source order; may return fewer at the end */
	fetch(offset: number, limit: number, signal: AbortSignal): Promise<Page>;
	emptyText?: string;
	/** rows [0, pageSize) when already at hand: painted without a fetch */
	firstPage?: Page;
}

export interface GridView { first: number; last: number; total: number; loading: boolean; error: string | null }

export interface GridHooks {
	onView?(v: GridView): void;
	onInspect?(value: unknown, col: Column, rowLabel: number): void;
	onRow?(row: unknown[], cols: Column[], rowLabel: number): void;
}

const ROW_H = 28;
const MAX_BODY = 8_000_000; // px; under every browser's element height limit
const CACHE_PAGES = 64;
const FETCH_PAUSE_MS = 60;
const PREFETCH_ROWS = 30;

export class Grid {
	readonly root: HTMLElement;
	private scroller: HTMLElement;
	private header: HTMLElement;
	private body: HTMLElement;
	private rowsEl: HTMLElement;
	private overlay: HTMLElement;

	private src: GridSource | null = null;
	private note: { text: string; error: boolean } = { text: '', error: false }; // shown when there is no source
	private cache = new Map<number, Page>();
	private inflight = new Map<number, AbortController>();
	private failed = new Map<number, string>();
	private fetchTimer = 0;
	private frame = 0;

	private widths = new Map<string, number>();
	private hidden = new Set<string>();
	private virtTop = 0; // the real pixel offset of the view into all rows
	private expectScroll = -1;
	private sel = { row: 0, col: 0 };
	private first = 0;
	private count = 0;

	constructor(parent: HTMLElement, private hooks: GridHooks = {}) {
		this.header = el('div.grid-header', { role: 'row' });
		this.rowsEl = el('div.grid-rows');
		this.body = el('div.grid-body', null, this.rowsEl);
		this.scroller = el('div.grid-scroller', null, this.header, this.body);
		this.overlay = el('div.grid-overlay');
		this.root = el('div.grid', { tabindex: 0, role: 'grid', 'aria-label': 'rows' }, this.scroller, this.overlay);
		parent.appendChild(this.root);

		this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
		this.scroller.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
		this.root.addEventListener('keydown', (e) => this.onKey(e));
		this.rowsEl.addEventListener('click', (e) => this.onClick(e, false));
		this.rowsEl.addEventListener('dblclick', (e) => this.onClick(e, true));
		new ResizeObserver(() => this.layout()).observe(this.scroller);
	}

	// ---- public ----

	/** No rows to show, and why (an error, or what is being loaded). */
	setMessage(text: string, error = false): void {
		this.setSource(null);
		this.note = { text, error };
		this.showOverlay(text, error, false);
	}

	setSource(src: GridSource | null, keepColumns = false): void {
		this.note = { text: '', error: false };
		for (const c of this.inflight.values()) c.abort();
		this.inflight.clear();
		this.cache.clear();
		this.failed.clear();
		this.src = src;
		if (src && src.firstPage) this.cache.set(0, src.firstPage);
		if (!keepColumns) {
			this.hidden.clear();
			this.widths.clear();
		}
		this.sel = { row: 0, col: 0 };
		this.virtTop = 0;
		this.setScrollTop(0);
		this.scroller.scrollLeft = 0;
		this.renderHeader();
		this.layout();
	}

	source(): GridSource | null {
		return this.src;
	}

	/** The source grew (a running query): more rows can be shown. */
	setTotal(total: number): void {
		if (!this.src || total === this.src.total) return;
		// the last page may have been short while the query ran
		const lastPage = Math.floor(this.src.total / this.src.pageSize);
		this.cache.delete(lastPage);
		this.src.total = total;
		this.layout();
	}

	columns(): Column[] {
		return this.src ? this.src.columns : [];
	}

	visibleColumns(): Column[] {
		return this.columns().filter((c) => !this.hidden.has(c.name));
	}

	isHidden(name: string): boolean {
		return this.hidden.has(name);
	}

	setHidden(name: string, hide: boolean): void {
		if (hide) this.hidden.add(name);
		else this.hidden.delete(name);
		this.sel.col = Math.min(this.sel.col, Math.max(0, this.visibleColumns().length - 1));
		this.renderHeader();
		this.layout();
	}

	/** Scrolls so that row i is the first in view and selects it. */
	jumpTo(i: number): void {
		if (!this.src) return;
		i = Math.max(0, Math.min(this.src.total - 1, Math.floor(i)));
		this.sel.row = i;
		this.virtTop = Math.min(i * ROW_H, this.maxVirt());
		this.syncScrollbar();
		this.schedule();
		this.root.focus({ preventScroll: true });
	}

	/** The selected cell's value and row, when loaded. */
	selected(): { row: number; col: number } {
		return { ...this.sel };
	}

	refresh(): void {
		this.cache.clear();
		this.failed.clear();
		this.schedule();
	}

	// ---- geometry ----

	private headerH(): number {
		return this.header.offsetHeight || ROW_H;
	}
	private viewH(): number {
		return Math.max(ROW_H, this.scroller.clientHeight - this.headerH());
	}
	private fullH(): number {
		return (this.src ? this.src.total : 0) * ROW_H;
	}
	private bodyH(): number {
		return Math.min(this.fullH(), MAX_BODY);
	}
	private maxVirt(): number {
		return Math.max(0, this.fullH() - this.viewH());
	}
	private scale(): number {
		const maxScroll = Math.max(0, this.bodyH() - this.viewH());
		return maxScroll > 0 ? this.maxVirt() / maxScroll : 1;
	}

	private setScrollTop(px: number): void {
		this.expectScroll = Math.round(px);
		this.scroller.scrollTop = px;
	}

	private syncScrollbar(): void {
		this.setScrollTop(this.virtTop / this.scale());
	}

	private layout(): void {
		const w = this.totalWidth();
		this.body.style.height = `${this.bodyH()}px`;
		this.body.style.width = `${w}px`;
		this.header.style.width = `${w}px`;
		this.virtTop = Math.min(this.virtTop, this.maxVirt());
		this.schedule();
	}

	// ---- events ----

	private onScroll(): void {
		const st = this.scroller.scrollTop;
		if (this.expectScroll >= 0 && Math.abs(st - this.expectScroll) <= 1) {
			this.expectScroll = -1;
		} else {
			// the person dragged the scrollbar: map it onto all rows
			this.expectScroll = -1;
			this.virtTop = Math.min(st * this.scale(), this.maxVirt());
		}
		this.schedule();
	}

	private onWheel(e: WheelEvent): void {
		if (this.scale() <= 1.001 || e.ctrlKey) return; // native scrolling is exact
		const unit = e.deltaMode === 1 ? ROW_H : e.deltaMode === 2 ? this.viewH() : 1;
		const dy = e.deltaY * unit;
		if (dy !== 0) {
			e.preventDefault();
			this.virtTop = Math.max(0, Math.min(this.maxVirt(), this.virtTop + dy));
			this.syncScrollbar();
			this.schedule();
		}
		if (e.deltaX) this.scroller.scrollLeft += e.deltaX * unit;
	}

	private onClick(e: MouseEvent, dbl: boolean): void {
		const cell = (e.target as HTMLElement).closest('[data-row]') as HTMLElement | null;
		if (!cell || !this.src) return;
		const row = Number(cell.dataset.row);
		const col = cell.dataset.col === undefined ? -1 : Number(cell.dataset.col);
		if (col < 0) {
			this.sel.row = row;
			this.render();
			this.showRow();
			return;
		}
		this.sel = { row, col };
		this.render();
		if (dbl) this.inspect();
	}

	private onKey(e: KeyboardEvent): void {
		if (!this.src || this.src.total === 0) return;
		const page = Math.max(1, Math.floor(this.viewH() / ROW_H) - 1);
		const ncol = this.visibleColumns().length;
		const mod = e.ctrlKey || e.metaKey;
		let { row, col } = this.sel;
		switch (e.key) {
		case 'ArrowDown': row++; break;
		case 'ArrowUp': row--; break;
		case 'ArrowLeft': col--; break;
		case 'ArrowRight': col++; break;
		case 'PageDown': row += page; break;
		case 'PageUp': row -= page; break;
		case 'Home': row = 0; break;
		case 'End': row = this.src.total - 1; break;
		case 'Enter':
			e.preventDefault();
			if (e.shiftKey) this.showRow();
			else this.inspect();
			return;
		case 'c':
		case 'C':
			if (mod && !window.getSelection()?.toString()) {
				e.preventDefault();
				void this.copy(e.shiftKey);
			}
			return;
		default:
			return;
		}
		e.preventDefault();
		this.sel.row = Math.max(0, Math.min(this.src.total - 1, row));
		this.sel.col = Math.max(0, Math.min(ncol - 1, col));
		this.ensureVisible();
		this.schedule();
	}

	private ensureVisible(): void {
		const top = this.sel.row * ROW_H;
		if (top < this.virtTop) this.virtTop = top;
		else if (top + ROW_H > this.virtTop + this.viewH()) this.virtTop = top + ROW_H - this.viewH();
		this.virtTop = Math.max(0, Math.min(this.maxVirt(), this.virtTop));
		this.syncScrollbar();
		// horizontally: bring the selected column into view
		const cols = this.visibleColumns();
		let x = this.rowNumWidth();
		for (let i = 0; i < this.sel.col && i < cols.length; i++) x += this.width(cols[i]);
		const w = cols[this.sel.col] ? this.width(cols[this.sel.col]) : 0;
		const left = this.scroller.scrollLeft, vw = this.scroller.clientWidth;
		if (x - this.rowNumWidth() < left) this.scroller.scrollLeft = x - this.rowNumWidth();
		else if (x + w > left + vw) this.scroller.scrollLeft = x + w - vw;
	}

	private rowAt(i: number): { row: unknown[]; label: number } | null {
		if (!this.src) return null;
		const p = this.cache.get(Math.floor(i / this.src.pageSize));
		if (!p) return null;
		const k = i % this.src.pageSize;
		if (k >= p.rows.length) return null;
		return { row: p.rows[k], label: p.rowNumbers ? p.rowNumbers[k] : i };
	}

	private inspect(): void {
		const r = this.rowAt(this.sel.row);
		const vis = this.visibleColumns();
		const c = vis[this.sel.col];
		if (!r || !c || !this.hooks.onInspect) return;
		this.hooks.onInspect(r.row[this.columns().indexOf(c)], c, r.label);
	}

	private showRow(): void {
		const r = this.rowAt(this.sel.row);
		if (r && this.hooks.onRow) this.hooks.onRow(r.row, this.columns(), r.label);
	}

	/** Copies the selected cell (or, with row=true, its row as a JSON object). */
	async copy(row: boolean): Promise<void> {
		const r = this.rowAt(this.sel.row);
		if (!r) return;
		const cols = this.columns();
		let text: string;
		if (row) {
			const obj: Record<string, unknown> = {};
			cols.forEach((c, i) => { obj[c.name] = r.row[i]; });
			text = JSON.stringify(obj);
		} else {
			const c = this.visibleColumns()[this.sel.col];
			if (!c) return;
			text = fullText(r.row[cols.indexOf(c)]);
		}
		toast((await copyText(text)) ? (row ? 'Row copied as JSON' : 'Cell copied') : 'The browser refused to copy', 'info');
	}

	// ---- columns ----

	private width(c: Column): number {
		let w = this.widths.get(c.name);
		if (w === undefined) {
			const t = c.type.toUpperCase();
			const base = isNumericType(t) ? 110 : /^(DATE|TIME|BOOL)/.test(t) ? 190 : /^(LIST|LARGE_LIST|FIXED_SIZE_LIST|STRUCT|MAP|UNION)|\[|</.test(t) ? 260 : 220;
			w = Math.max(base, Math.min(320, 16 + 8 * Math.max(c.name.length, Math.min(24, c.type.length))));
			this.widths.set(c.name, w);
		}
		return w;
	}

	private rowNumWidth(): number {
		const digits = String(Math.max(1, this.src ? this.src.total : 1)).length;
		return Math.max(56, 18 + digits * 8);
	}

	private totalWidth(): number {
		return this.visibleColumns().reduce((s, c) => s + this.width(c), this.rowNumWidth());
	}

	private renderHeader(): void {
		clear(this.header);
		if (!this.src) return;
		this.header.appendChild(el('div.hcell.rownum', { style: `width:${this.rowNumWidth()}px` }, '#'));
		for (const c of this.visibleColumns()) {
			const grip = el('div.grip', { title: 'Drag to resize' });
			const hide = el('button.hide', { title: `Hide '${c.name}'`, 'aria-label': `hide column ${c.name}` }, '×');
			hide.addEventListener('click', (e) => { e.stopPropagation(); this.setHidden(c.name, true); });
			const cell = el('div.hcell', { role: 'columnheader', style: `width:${this.width(c)}px`, title: `${c.name}: ${c.type}`, 'data-name': c.name, class: isNumericType(c.type) ? 'num' : '' },
				el('span.hname', null, c.name), el('span.htype', null, c.type), hide, grip);
			grip.addEventListener('mousedown', (e) => this.startResize(e, c, cell));
			this.header.appendChild(cell);
		}
	}

	private startResize(e: MouseEvent, c: Column, cell: HTMLElement): void {
		e.preventDefault();
		const x0 = e.clientX, w0 = this.width(c);
		const move = (ev: MouseEvent) => {
			const w = Math.max(48, Math.min(2000, w0 + ev.clientX - x0));
			this.widths.set(c.name, w);
			cell.style.width = `${w}px`;
			this.layout();
		};
		const up = () => {
			window.removeEventListener('mousemove', move);
			window.removeEventListener('mouseup', up);
			document.body.classList.remove('resizing');
		};
		document.body.classList.add('resizing');
		window.addEventListener('mousemove', move);
		window.addEventListener('mouseup', up);
	}

	// ---- rendering and fetching ----

	private schedule(): void {
		if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
	}

	private render(): void {
		const src = this.src;
		clear(this.rowsEl);
		if (!src) {
			this.showOverlay(this.note.text, this.note.error, false);
			return;
		}
		const vh = this.viewH();
		const first = Math.floor(this.virtTop / ROW_H);
		const frac = this.virtTop - first * ROW_H;
		const n = Math.min(src.total - first, Math.ceil((vh + frac) / ROW_H) + 1);
		this.first = first;
		this.count = Math.max(0, n);
		this.rowsEl.style.transform = `translateY(${this.scroller.scrollTop - frac}px)`;

		const cols = src.columns;
		const vis = this.visibleColumns();
		const idx = vis.map((c) => cols.indexOf(c));
		const numeric = vis.map((c) => isNumericType(c.type));
		const rnw = this.rowNumWidth();
		const frag = document.createDocumentFragment();
		let missing = false;
		for (let i = first; i < first + this.count; i++) {
			const r = this.rowAt(i);
			const rowEl = el('div.row', { role: 'row', 'data-row-index': i, class: i === this.sel.row ? 'sel' : i % 2 ? 'odd' : '' });
			rowEl.appendChild(el('div.cell.rownum', { style: `width:${rnw}px`, 'data-row': i, title: 'Row detail' }, r ? String(r.label) : String(i)));
			if (!r) missing = true;
			for (let j = 0; j < vis.length; j++) {
				const v = r ? r.row[idx[j]] : undefined;
				const cls = !r ? 'pending' : v === null || v === undefined ? 'null' : numeric[j] ? 'num' : typeof v === 'object' ? 'nested' : '';
				const cell = el('div.cell', { style: `width:${this.width(vis[j])}px`, 'data-row': i, 'data-col': j, role: 'gridcell', class: cls }, r ? cellText(v) : '');
				if (i === this.sel.row && j === this.sel.col) cell.classList.add('cur');
				rowEl.appendChild(cell);
			}
			frag.appendChild(rowEl);
		}
		this.rowsEl.appendChild(frag);

		const err = this.visibleError();
		if (err) this.showOverlay(err, true);
		else if (src.total === 0) this.showOverlay(src.emptyText ?? 'No rows');
		else if (missing && this.cache.size === 0) this.showOverlay('Loading rows…');
		else this.showOverlay('');
		this.root.classList.toggle('loading', missing);
		if (missing) this.queueFetch();
		this.hooks.onView?.({ first, last: first + this.count, total: src.total, loading: missing, error: err });
	}

	private visibleError(): string | null {
		if (!this.src) return null;
		const ps = this.src.pageSize;
		for (let p = Math.floor(this.first / ps); p <= Math.floor((this.first + this.count) / ps); p++) {
			const e = this.failed.get(p);
			if (e) return e;
		}
		return null;
	}

	private showOverlay(text: string, error = false, retry = true): void {
		clear(this.overlay);
		this.overlay.className = `grid-overlay${text ? ' show' : ''}${error ? ' error' : ''}`;
		if (!text) return;
		this.overlay.appendChild(el('div.msg', null, text));
		if (error && retry) {
			this.overlay.appendChild(el('button', { onclick: () => { this.failed.clear(); this.schedule(); } }, 'Retry'));
		}
	}

	private queueFetch(): void {
		window.clearTimeout(this.fetchTimer);
		this.fetchTimer = window.setTimeout(() => this.fetchVisible(), this.cache.size === 0 ? 0 : FETCH_PAUSE_MS);
	}

	private fetchVisible(): void {
		const src = this.src;
		if (!src) return;
		const ps = src.pageSize;
		const lo = Math.max(0, this.first - PREFETCH_ROWS);
		const hi = Math.min(src.total, this.first + this.count + PREFETCH_ROWS);
		const want = new Set<number>();
		for (let p = Math.floor(lo / ps); p * ps < hi; p++) want.add(p);
		// what scrolled away is no longer worth waiting for
		for (const [p, c] of this.inflight) {
			if (!want.has(p)) {
				c.abort();
				this.inflight.delete(p);
			}
		}
		for (const p of want) {
			const hit = this.cache.get(p);
			if (hit) {
				// least recently used goes first: move what is in view to the end
				this.cache.delete(p);
				this.cache.set(p, hit);
			}
			if (hit || this.inflight.has(p) || this.failed.has(p)) continue;
			const ctl = new AbortController();
			this.inflight.set(p, ctl);
			src.fetch(p * ps, ps, ctl.signal).then((page) => {
				if (this.src !== src || this.inflight.get(p) !== ctl) return;
				this.inflight.delete(p);
				this.cache.set(p, page);
				while (this.cache.size > CACHE_PAGES) this.cache.delete(this.cache.keys().next().value as number);
				this.schedule();
			}, (e: Error) => {
				if (this.inflight.get(p) === ctl) this.inflight.delete(p);
				if (e.name === 'AbortError' || this.src !== src) return;
				this.failed.set(p, `Could not load rows ${p * ps}–${p * ps + ps - 1}: ${e.message}`);
				this.schedule();
			});
		}
	}
}
