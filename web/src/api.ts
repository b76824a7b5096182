// api.ts - the HTTP API of `parqview serve` (README "HTTP API"), typed.
//
// Every call goes to the same origin with the session cookie; errors come
// back as {"error":{"code","message"}} and become ApiError with that code
// and message, so the UI can show the server's one line as it is.

export interface Column { name: string; type: string }
export interface Partition { name: string; type: string }
// the problems `parqview summary --json` lists (dataset/problems.h)
export interface Problem { kind: string; message: string }
export interface Dataset {
	id: string; paths: string[]; n_files: number; n_rows: number; bytes: number;
	columns: number; partitions: Partition[]; problems: Problem[];
}
export interface FileInfo {
	index: number; path: string; first_row?: number; rows: number; bytes: number; row_groups: number;
	created_by?: string | null; partitions?: Record<string, string | null>; error?: string | null;
}
export interface SchemaNode {
	name: string; path: string; type: string; physical?: string | null; logical?: string | null;
	nullable: boolean; repetition?: string; missing_in?: number; partition?: boolean; children?: SchemaNode[];
}
export interface RowsPage { columns: Column[]; offset?: number; total?: number; rows: unknown[][]; row_numbers?: number[]; seed?: number | string; n_rows?: number; complete?: boolean; truncated?: boolean }
export interface QueryStatus {
	id: string; status: 'running' | 'done' | 'error' | 'cancelled'; progress?: number | null;
	columns?: Column[]; n_rows?: number; complete?: boolean; elapsed_ms?: number;
	error?: { message: string; position?: number | null } | null; truncated?: boolean;
}

export class ApiError extends Error {
	constructor(readonly status: number, readonly code: string, message: string, readonly position?: number | null) {
		super(message);
	}
}

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
	let res: Response;
	try {
		res = await fetch(path, {
			method,
			signal,
			credentials: 'same-origin',
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	} catch (e) {
		if ((e as Error).name === 'AbortError') throw e;
		throw new ApiError(0, 'network', 'the parqview server does not answer (was it stopped?)');
	}
	const text = await res.text();
	let json: any = null;
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		json = null;
	}
	if (!res.ok) {
		const err = json && json.error;
		if (err && typeof err.message === 'string') throw new ApiError(res.status, err.code || 'error', err.message, err.position);
		throw new ApiError(res.status, 'http', `${method} ${path.split('?')[0]}: HTTP ${res.status}`);
	}
	if (json === null) throw new ApiError(res.status, 'bad_response', `${method} ${path.split('?')[0]}: the answer is not JSON`);
	return json as T;
}

// The schema answer is `parqview schema --json`'s: top-level columns carry
// the dataset's view (type, partition, missing_from) and `field`, the first
// file's schema node with its children; the contract's flatter form (physical,
// logical, missing_in, children) is read too.
function schemaNode(c: any, top: boolean): SchemaNode {
	const f = c.field ?? c;
	const kids = (f.children ?? c.children ?? []) as any[];
	const missing = Array.isArray(c.missing_from) ? c.missing_from.length : c.missing_in;
	return {
		name: String(c.name ?? f.name ?? ''),
		path: String(f.path ?? c.path ?? c.name ?? ''),
		type: String(top ? c.type ?? f.type ?? '' : f.type ?? c.type ?? ''),
		physical: f.physical_type ?? c.physical ?? null,
		logical: f.logical_type ?? c.logical ?? f.converted_type ?? null,
		nullable: (c.nullable ?? f.nullable) !== false,
		repetition: f.repetition ?? c.repetition,
		missing_in: typeof missing === 'number' ? missing : 0,
		partition: !!c.partition,
		children: kids.map((k) => schemaNode(k, false)),
	};
}

const enc = encodeURIComponent;
const cols = (c?: string[]) => (c && c.length ? `&columns=${c.map(enc).join(',')}` : '');

export const api = {
	datasets: () => call<{ datasets: Dataset[] }>('GET', '/api/datasets'),
	files: (ds: string) => call<{ files: FileInfo[] }>('GET', `/api/datasets/${enc(ds)}/files`),
	schema: async (ds: string) => ({ columns: ((await call<{ columns: any[] }>('GET', `/api/datasets/${enc(ds)}/schema`)).columns || []).map((c) => schemaNode(c, true)) }),
	meta: (ds: string, file: number) => call<any>('GET', `/api/datasets/${enc(ds)}/files/${file}/meta`),
	pages: (ds: string, file: number, rg: number, column: string) =>
		call<any>('GET', `/api/datasets/${enc(ds)}/files/${file}/pages?rg=${rg}&column=${enc(column)}`),
	rows: (ds: string, offset: number, limit: number, columns?: string[], signal?: AbortSignal) =>
		call<RowsPage>('GET', `/api/datasets/${enc(ds)}/rows?offset=${offset}&limit=${limit}${cols(columns)}`, undefined, signal),
	sample: (ds: string, n: number, seed: string, columns?: string[]) =>
		call<RowsPage>('GET', `/api/datasets/${enc(ds)}/sample?n=${n}${seed === '' ? '' : `&seed=${enc(seed)}`}${cols(columns)}`),
	startQuery: (sql: string) => call<QueryStatus>('POST', '/api/queries', { sql }),
	query: (id: string, signal?: AbortSignal) => call<QueryStatus>('GET', `/api/queries/${enc(id)}`, undefined, signal),
	queryRows: (id: string, offset: number, limit: number, signal?: AbortSignal) =>
		call<RowsPage>('GET', `/api/queries/${enc(id)}/rows?offset=${offset}&limit=${limit}`, undefined, signal),
	cancelQuery: (id: string) => call<unknown>('POST', `/api/queries/${enc(id)}/cancel`, {}),
	dropQuery: (id: string) => call<unknown>('DELETE', `/api/queries/${enc(id)}`),
	datasetExportUrl: (ds: string, format: string, columns?: string[]) => `/api/datasets/${enc(ds)}/export?format=${format}${cols(columns)}`,
	queryExportUrl: (id: string, format: string) => `/api/queries/${enc(id)}/export?format=${format}`,
};
