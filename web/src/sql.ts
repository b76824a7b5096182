// sql.ts - the SQL editor: CodeMirror 6 with a DuckDB-flavoured dialect,
// completion of the served datasets' table and column names, Ctrl/Cmd-Enter
// to run and the error position marked in the text. Loaded as a chunk of
// its own after the first rows are shown (main.ts); history is history.ts.
import { autocompletion, closeBrackets, closeCompletion, closeBracketsKeymap, completionKeymap, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { PostgreSQL, SQLDialect, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, keymap, placeholder } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import type { Column } from './api';

// DuckDB speaks PostgreSQL with extras; these make its words highlight.
const DuckDB = SQLDialect.define({
	...PostgreSQL.spec,
	keywords: `${PostgreSQL.spec.keywords ?? ''} qualify pivot unpivot summarize describe exclude replace columns sample using union_by_name positional asof anti semi lambda macro pragma install load attach detach`,
	types: `${PostgreSQL.spec.types ?? ''} hugeint uhugeint ubigint uinteger usmallint utinyint tinyint blob struct map list union uuid json varint timestamptz timestamp_s timestamp_ms timestamp_ns`,
	builtin: `${PostgreSQL.spec.builtin ?? ''} read_parquet parquet_metadata parquet_schema list_value struct_pack unnest array_length len list_extract regexp_matches strftime epoch date_trunc approx_count_distinct quantile_cont median mode arg_max arg_min string_agg hash`,
});

const highlight = HighlightStyle.define([
	{ tag: t.keyword, color: 'var(--sql-keyword)', fontWeight: '600' },
	{ tag: [t.typeName, t.standard(t.name)], color: 'var(--sql-type)' },
	{ tag: [t.string, t.special(t.string)], color: 'var(--sql-string)' },
	{ tag: [t.number, t.bool, t.null], color: 'var(--sql-number)' },
	{ tag: [t.lineComment, t.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
	{ tag: t.operator, color: 'var(--sql-op)' },
	{ tag: [t.special(t.name), t.quote], color: 'var(--sql-ident)' },
]);

// The error range in the text, set when the server reports a position.
const setError = StateEffect.define<{ from: number; to: number } | null>();
const errorField = StateField.define<DecorationSet>({
	create: () => Decoration.none,
	update(deco, tr) {
		deco = deco.map(tr.changes);
		for (const e of tr.effects) {
			if (e.is(setError)) deco = e.value ? Decoration.set([Decoration.mark({ class: 'cm-sql-error' }).range(e.value.from, e.value.to)]) : Decoration.none;
		}
		if (tr.docChanged) deco = Decoration.none; // an edit makes the old error stale
		return deco;
	},
	provide: (f) => EditorView.decorations.from(f),
});

// The string index (UTF-16 units) where the UTF-8 byte offset falls.
function byteToIndex(text: string, bytes: number): number {
	let b = 0, i = 0;
	while (i < text.length && b < bytes) {
		const cp = text.codePointAt(i)!;
		b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		i += cp >= 0x10000 ? 2 : 1;
	}
	return i;
}

export interface SqlHooks { onRun(sql: string): void; onEdit?(): void }

export class SqlEditor {
	readonly view: EditorView;
	private lang = new Compartment();
	private hint = new Compartment();
	private tables: Record<string, Column[]> = {};

	constructor(parent: HTMLElement, private hooks: SqlHooks, doc: string) {
		const run = (v: EditorView) => { closeCompletion(v); this.hooks.onRun(this.text()); return true; };
		this.view = new EditorView({
			parent,
			state: EditorState.create({
				doc,
				extensions: [
					history(),
					closeBrackets(),
					bracketMatching(),
					syntaxHighlighting(highlight),
					this.lang.of(sql({ dialect: DuckDB })),
					autocompletion({ activateOnTyping: true, icons: false }),
					Prec.highest(keymap.of([{ key: 'Mod-Enter', run }, { key: 'Shift-Enter', run }])),
					keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
					errorField,
					this.hint.of(placeholder('SELECT * FROM data LIMIT 100   — Ctrl+Enter runs')),
					EditorView.lineWrapping,
					EditorView.updateListener.of((u) => { if (u.docChanged) this.hooks.onEdit?.(); }),
					EditorView.contentAttributes.of({ 'aria-label': 'SQL query' }),
				],
			}),
		});
	}

	text(): string {
		return this.view.state.doc.toString();
	}

	setText(s: string): void {
		this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: s } });
	}

	focus(): void {
		this.view.focus();
	}

	/** Tables (the datasets' view names) and their columns for completion. */
	setTables(tables: Record<string, Column[]>, defaultTable?: string): void {
		this.tables = tables;
		const schema: SQLNamespace = {};
		for (const [name, cols] of Object.entries(tables)) {
			schema[name] = cols.map((c) => ({ label: c.name, type: 'property', detail: c.type }));
		}
		this.view.dispatch({
			effects: [this.lang.reconfigure([
				sql({ dialect: DuckDB, schema, defaultTable, upperCaseKeywords: true }),
				DuckDB.language.data.of({ autocomplete: (ctx: CompletionContext) => this.allColumns(ctx) }),
			]), ...(defaultTable ? [this.hint.reconfigure(placeholder(`SELECT * FROM ${defaultTable} LIMIT 100   — Ctrl+Enter runs`))] : [])],
		});
	}

	// Columns of every table, unqualified: the default table's come from
	// lang-sql, this adds the others' with the table named in the detail.
	private allColumns(ctx: CompletionContext): CompletionResult | null {
		const word = ctx.matchBefore(/[\w$]+/);
		if (!word || (word.from === word.to && !ctx.explicit)) return null;
		if (word.from > 0 && ctx.state.sliceDoc(word.from - 1, word.from) === '.') return null;
		const seen = new Set<string>();
		const options: Completion[] = [];
		for (const [table, cols] of Object.entries(this.tables)) {
			for (const c of cols) {
				if (seen.has(c.name)) continue;
				seen.add(c.name);
				options.push({ label: c.name, type: 'property', detail: `${c.type} · ${table}`, boost: -1 });
			}
		}
		return { from: word.from, options, validFor: /^[\w$]*$/ };
	}

	/** Marks the error at a byte offset of the query's UTF-8 (0-based, as
	 *  DuckDB counts); returns the character offset marked, or null. */
	markError(position: number | null | undefined): number | null {
		if (position === null || position === undefined || position < 0) {
			this.view.dispatch({ effects: setError.of(null) });
			return null;
		}
		const doc = this.view.state.doc;
		const text = doc.toString();
		const from = Math.min(byteToIndex(text, position), doc.length);
		let to = from;
		while (to < text.length && /[\w$."]/.test(text[to])) to++;
		if (to === from) to = Math.min(doc.length, from + 1);
		if (to === from) return from;
		this.view.dispatch({ effects: setError.of({ from, to }), selection: { anchor: from }, scrollIntoView: true });
		return from;
	}
}
