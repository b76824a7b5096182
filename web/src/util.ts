// util.ts - small DOM and formatting helpers shared by the UI modules.

type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: any) => void)>;
type Child = Node | string | number | null | undefined | false | Child[];

/** el('div.a.b', {title: 'x', onclick: f}, ...children) builds an element. */
export function el<K extends keyof HTMLElementTagNameMap>(spec: K | `${K}.${string}` | `${K}#${string}`, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
	const m = /^([a-z0-9]+)(?:#([\w-]+))?((?:\.[\w-]+)*)$/.exec(spec);
	if (!m) throw new Error(`bad element spec '${spec}'`);
	const node = document.createElement(m[1] as K);
	if (m[2]) node.id = m[2];
	if (m[3]) node.className = m[3].slice(1).replace(/\./g, ' ');
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v === null || v === undefined || v === false) continue;
			if (typeof v === 'function') node.addEventListener(k.replace(/^on/, ''), v);
			else if (k === 'class') node.className += (node.className ? ' ' : '') + v;
			else if (k in node && typeof v !== 'string') (node as any)[k] = v;
			else node.setAttribute(k, v === true ? '' : String(v));
		}
	}
	append(node, children);
	return node;
}

function append(node: Node, children: Child[]): void {
	for (const c of children) {
		if (Array.isArray(c)) append(node, c);
		else if (c === null || c === undefined || c === false) continue;
		else node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

export function clear(node: Node): void {
	while (node.firstChild) node.removeChild(node.firstChild);
}

const nf = new Intl.NumberFormat('en-US');
export const fmtInt = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : nf.format(n));

export function fmtBytes(n: number | null | undefined): string {
	if (n === null || n === undefined) return '–';
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let v = n, u = 0;
	while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
	return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function fmtMs(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

/** A value as one line of cell text: compact, like the CLI's tables. */
export function cellText(v: unknown, max = 300): string {
	if (v === null || v === undefined) return 'NULL';
	if (typeof v === 'string') return v.length > max ? v.slice(0, max) + '…' : v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return compact(v, 0).slice(0, max);
}

function compact(v: unknown, depth: number): string {
	if (v === null || v === undefined) return 'NULL';
	if (typeof v === 'string') return depth === 0 ? v : `'${v.length > 60 ? v.slice(0, 60) + '…' : v}'`;
	if (typeof v !== 'object') return String(v);
	if (depth > 3) return '…';
	if (Array.isArray(v)) {
		const shown = v.slice(0, 8).map((x) => compact(x, depth + 1));
		if (v.length > 8) shown.push(`… (${v.length} items)`);
		return `[${shown.join(', ')}]`;
	}
	const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${compact(x, depth + 1)}`);
	return `{${parts.join(', ')}}`;
}

/** The value as full text for the inspector and the clipboard. */
export function fullText(v: unknown): string {
	if (v === null || v === undefined) return 'NULL';
	if (typeof v === 'string') return v;
	if (typeof v !== 'object') return String(v);
	return JSON.stringify(v, null, 2);
}

/** Copies text; the Clipboard API when allowed, else a hidden textarea. */
export async function copyText(text: string): Promise<boolean> {
	try {
		if (navigator.clipboard && window.isSecureContext) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch {
		/* denied: fall back below */
	}
	const ta = el('textarea', { 'aria-hidden': 'true', style: 'position:fixed;top:-1000px;opacity:0' });
	ta.value = text;
	document.body.appendChild(ta);
	ta.select();
	let ok = false;
	try {
		ok = document.execCommand('copy');
	} catch {
		ok = false;
	}
	ta.remove();
	return ok;
}

let toastTimer = 0;
/** A short message at the bottom of the window (errors stay longer). */
export function toast(msg: string, kind: 'info' | 'error' = 'info'): void {
	let t = document.getElementById('toast');
	if (!t) {
		t = el('div#toast', { role: 'status', 'aria-live': 'polite' });
		document.body.appendChild(t);
	}
	t.textContent = msg;
	t.className = `show ${kind}`;
	window.clearTimeout(toastTimer);
	toastTimer = window.setTimeout(() => { t!.className = ''; }, kind === 'error' ? 6000 : 2200);
}

// Column types come as the server's short Arrow names (int64, float64,
// decimal128(10, 2)) or DuckDB's (BIGINT, DOUBLE): numbers align right.
export function isNumericType(t: string | undefined): boolean {
	return !!t && /^(u?int\d*|tinyint|smallint|integer|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|float\d*|halffloat|double|real|decimal\d*|numeric)\b/i.test(t);
}
