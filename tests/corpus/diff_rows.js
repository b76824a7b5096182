// tests/corpus/diff_rows.js - compares parqview's JSON lines with DuckDB's
// to_json rows of the same file, value by value, for tests/corpus/diff_rows.sh.
//
//   node diff_rows.js OURS.jsonl THEIRS.jsonl [FIRST_ROW]
//
// Exit 0 when every row matches, 1 with "# row R, column C: parqview X,
// duckdb Y" lines (at most 8) when not, 2 on bad usage or unparsable JSON.
// Uses only Node's standard library (no npm modules): CI machines have
// nodejs from the bootstrap but not necessarily python3.
//
// Numbers are kept as their text (a small JSON parser below; JSON.parse
// would round 38-digit decimals and 64-bit integers to doubles), and it
// accepts DuckDB's bare NaN, Infinity and -Infinity.
//
// Normalisation: each rule is a difference of spelling, not of value.
//   - numbers: equal when their decimal texts are the same exact number
//     ("0.0" = "0.00", "1e+30" = "1e30"; our decimals are exact strings
//     "12.50", DuckDB's are numbers), or when they parse to the same double
//     (shortest round-trip texts may differ), or when DuckDB's number is the
//     float32 that ours rounds to (DuckDB widens FLOAT 0.33333334 to
//     0.3333333432674408; we print the shortest float text). Our strings
//     "NaN", "Infinity", "-Infinity" are DuckDB's bare tokens;
//   - timestamps: our "T" between date and time is DuckDB's space, our "Z"
//     is DuckDB's "+00", and our "+" before a year past 9999 (ISO 8601
//     expanded years) is dropped;
//   - TIME WITH TIME ZONE (a Parquet TIME adjusted to UTC): DuckDB appends
//     "+00", we print the UTC time alone;
//   - binary: our base64 is decoded and spelled as DuckDB's text of a blob
//     (printable ASCII except " ' \ as is, other bytes as \xAB);
//   - maps: our [{"key": k, "value": v}, ...] is DuckDB's {"k": v} (DuckDB
//     spells the key as text: 1 -> "1");
//   - intervals: our {"months", "days", "nanos"} is DuckDB's text
//     "1 year 2 months 3 days 04:05:06.789";
//   - our "#" key (row numbers), when present, must be FIRST_ROW + i and is
//     then dropped.
'use strict';
const fs = require('fs');

class Num { constructor(text) { this.text = text; } }

function parse(s) {
	let i = 0;
	const fail = (why) => { throw new Error(why + ' at offset ' + i); };
	const ws = () => { while (i < s.length && ' \t\r\n'.includes(s[i])) i++; };
	const lit = (w, v) => { if (s.startsWith(w, i)) { i += w.length; return v; } return fail('bad token'); };
	function str() {
		let out = '';
		i++;
		for (;;) {
			if (i >= s.length) fail('unterminated string');
			const c = s[i++];
			if (c === '"') return out;
			if (c !== '\\') { out += c; continue; }
			const e = s[i++];
			const map = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
			if (e in map) out += map[e];
			else if (e === 'u') { out += String.fromCharCode(parseInt(s.substr(i, 4), 16)); i += 4; }
			else fail('bad escape');
		}
	}
	function val() {
		ws();
		const c = s[i];
		if (c === '{') {
			i++;
			const o = new Map();
			ws();
			if (s[i] === '}') { i++; return o; }
			for (;;) {
				ws();
				if (s[i] !== '"') fail('expected a key');
				const k = str();
				ws();
				if (s[i++] !== ':') fail('expected :');
				o.set(k, val());
				ws();
				if (s[i] === ',') { i++; continue; }
				if (s[i] === '}') { i++; return o; }
				fail('expected , or }');
			}
		}
		if (c === '[') {
			i++;
			const a = [];
			ws();
			if (s[i] === ']') { i++; return a; }
			for (;;) {
				a.push(val());
				ws();
				if (s[i] === ',') { i++; continue; }
				if (s[i] === ']') { i++; return a; }
				fail('expected , or ]');
			}
		}
		if (c === '"') return str();
		if (c === 't') return lit('true', true);
		if (c === 'f') return lit('false', false);
		if (c === 'n') return lit('null', null);
		if (c === 'N') return lit('NaN', new Num('NaN'));
		if (c === 'I') return lit('Infinity', new Num('Infinity'));
		if (c === '-' && s[i + 1] === 'I') return lit('-Infinity', new Num('-Infinity'));
		const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(s.slice(i, i + 400));
		if (!m) fail('bad value');
		i += m[0].length;
		return new Num(m[0]);
	}
	const v = val();
	ws();
	if (i !== s.length) fail('trailing text');
	return v;
}

// exact decimal: [sign, digits without leading/trailing zeros, exponent]
function exact(t) {
	const m = /^([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$/.exec(t);
	if (!m || (m[2] === '' && !m[3])) return null;
	let digits = m[2] + (m[3] || '');
	let e = parseInt(m[4] || '0', 10) - (m[3] || '').length;
	digits = digits.replace(/^0+/, '');
	if (digits === '') return (m[1] === '-' ? '-' : '') + '0';
	while (digits.endsWith('0')) { digits = digits.slice(0, -1); e++; }
	return (m[1] === '-' ? '-' : '') + digits + 'e' + e;
}

function dbl(t) {
	if (t === 'NaN') return NaN;
	if (t === 'Infinity') return Infinity;
	if (t === '-Infinity') return -Infinity;
	return /^-?[0-9.]+([eE][-+]?[0-9]+)?$/.test(t) ? Number(t) : null;
}

function sameNum(a, b) { // texts: ours, duckdb
	if (a === b) return true;
	const ea = exact(a), eb = exact(b);
	if (ea !== null && ea === eb) return true;
	const x = dbl(a), y = dbl(b);
	if (x === null || y === null) return false;
	if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
	return Object.is(x, y) || Object.is(Math.fround(x), y);
}

function blobText(buf) {
	let out = '';
	for (const c of buf) {
		if (c >= 32 && c < 127 && c !== 34 && c !== 39 && c !== 92) out += String.fromCharCode(c);
		else out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
	}
	return out;
}

// our date, timestamp or time text spelled DuckDB's way; other strings as
// they are
function tsNorm(s) {
	if (/^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$/.test(s)) return s + '+00';
	if (!/^[+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+Z?)?$/.test(s)) return s;
	s = s.replace('T', ' ');
	if (s.startsWith('+')) s = s.slice(1);
	if (s.endsWith('Z')) s = s.slice(0, -1) + '+00';
	return s;
}

// DuckDB's interval text -> [months, days, nanos as BigInt]
function interval(s) {
	let months = 0, days = 0, nanos = 0n;
	const parts = s.trim().split(/\s+/);
	for (let k = 0; k < parts.length; k++) {
		const p = parts[k];
		const tm = /^(-?)([0-9]+):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?$/.exec(p);
		if (tm) {
			const frac = BigInt((tm[5] || '').padEnd(9, '0'));
			let n = (BigInt(tm[2]) * 3600n + BigInt(tm[3]) * 60n + BigInt(tm[4])) * 1000000000n + frac;
			nanos += tm[1] ? -n : n;
			continue;
		}
		const unit = parts[++k] || '';
		const n = parseInt(p, 10);
		if (Number.isNaN(n)) return null;
		if (/^years?$/.test(unit)) months += 12 * n;
		else if (/^mons?$|^months?$/.test(unit)) months += n;
		else if (/^days?$/.test(unit)) days += n;
		else return null;
	}
	return [months, days, nanos];
}

function isNum(v) { return v instanceof Num; }
function isObj(v) { return v instanceof Map; }

function mapToObj(a) {
	const o = new Map();
	for (const e of a) {
		if (!isObj(e) || e.size !== 2 || !e.has('key') || !e.has('value')) return null;
		const k = e.get('key');
		if (typeof k === 'string') o.set(k, e.get('value'));
		else if (isNum(k)) o.set(k.text, e.get('value'));
		else if (typeof k === 'boolean') o.set(String(k), e.get('value'));
		else return null;
	}
	return o;
}

function same(a, b) { // a: parqview, b: duckdb
	if (a === null || b === null) return a === b;
	if (Array.isArray(a) && isObj(b)) {
		const o = mapToObj(a);
		if (o === null) return false;
		a = o;
	}
	if (isObj(a) && typeof b === 'string') {
		const iv = interval(b);
		if (!iv || a.size !== 3 || !isNum(a.get('months')) || !isNum(a.get('days')) || !isNum(a.get('nanos')))
			return false;
		return String(iv[0]) === a.get('months').text && String(iv[1]) === a.get('days').text &&
			String(iv[2]) === a.get('nanos').text;
	}
	if (isObj(a) && isObj(b)) {
		if (a.size !== b.size) return false;
		for (const [k, v] of a) if (!b.has(k) || !same(v, b.get(k))) return false;
		return true;
	}
	if (Array.isArray(a) && Array.isArray(b))
		return a.length === b.length && a.every((x, k) => same(x, b[k]));
	if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
	if (typeof a === 'string' && isNum(b)) return sameNum(a, b.text);
	if (isNum(a) && isNum(b)) return sameNum(a.text, b.text);
	if (typeof a === 'string' && typeof b === 'string') {
		if (a === b || tsNorm(a) === b) return true;
		if (/^[A-Za-z0-9+/]*={0,2}$/.test(a) && a.length % 4 === 0)
			return blobText(Buffer.from(a, 'base64')) === b;
		return false;
	}
	return false;
}

function show(v) {
	const j = (x) => {
		if (x === null) return 'null';
		if (isNum(x)) return x.text;
		if (Array.isArray(x)) return '[' + x.map(j).join(',') + ']';
		if (isObj(x)) return '{' + [...x].map(([k, y]) => JSON.stringify(k) + ':' + j(y)).join(',') + '}';
		return JSON.stringify(x);
	};
	const t = v === undefined ? '(missing)' : j(v);
	return t.length > 300 ? t.slice(0, 300) + '...' : t;
}

function main() {
	const argv = process.argv.slice(2);
	if (argv.length < 2) {
		process.stderr.write('usage: node diff_rows.js OURS.jsonl THEIRS.jsonl [FIRST_ROW]\n');
		process.exit(2);
	}
	const load = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '');
	const first = argv.length > 2 ? BigInt(argv[2]) : null;
	let ours, theirs;
	try {
		ours = load(argv[0]).map(parse);
		theirs = load(argv[1]).map(parse);
	} catch (e) {
		console.log('# unparsable JSON: ' + e.message);
		process.exit(2);
	}
	let bad = 0;
	const say = (line) => { if (bad++ < 8) console.log(line); };
	if (ours.length !== theirs.length) say(`# rows: parqview ${ours.length}, duckdb ${theirs.length}`);
	const n = Math.min(ours.length, theirs.length);
	for (let r = 0; r < n; r++) {
		const a = ours[r], b = theirs[r];
		if (!isObj(a) || !isObj(b)) { say(`# row ${r}: not an object`); continue; }
		if (a.has('#')) {
			const num = a.get('#');
			if (first !== null && (!isNum(num) || BigInt(num.text) !== first + BigInt(r)))
				say(`# row ${r}: row number ${show(num)}, want ${first + BigInt(r)}`);
			a.delete('#');
		}
		const keys = new Set([...a.keys(), ...b.keys()]);
		for (const k of keys) {
			if (a.has(k) && b.has(k) && same(a.get(k), b.get(k))) continue;
			say(`# row ${r}, column ${k}: parqview ${show(a.get(k))}, duckdb ${show(b.get(k))}`);
		}
	}
	if (bad > 8) console.log(`# ... ${bad - 8} more differences`);
	process.exit(bad ? 1 : 0);
}

main();
