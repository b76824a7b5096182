// history.ts - the SQL history, kept in this browser's localStorage only
// (nothing leaves the machine); apart from the editor so the page can use it
// before CodeMirror has loaded.

export interface HistoryEntry { sql: string; at: number; ok: boolean; rows?: number }
const HISTORY_KEY = 'parqview.history';
const HISTORY_MAX = 50;

export function loadHistory(): HistoryEntry[] {
	try {
		const h = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
		return Array.isArray(h) ? h.filter((e) => e && typeof e.sql === 'string') : [];
	} catch {
		return [];
	}
}

export function addHistory(e: HistoryEntry): void {
	const h = loadHistory().filter((x) => x.sql !== e.sql);
	h.unshift(e);
	try {
		localStorage.setItem(HISTORY_KEY, JSON.stringify(h.slice(0, HISTORY_MAX)));
	} catch {
		/* storage full or disabled: history is a convenience */
	}
}
