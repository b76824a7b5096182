#!/usr/bin/env node
// web/build.mjs [--watch] - builds the front end into web/dist/.
//
// esbuild bundles src/main.ts into dist/assets/app.js (the SQL editor and
// CodeMirror into a chunk-HASH.js it loads later) and the CSS it imports
// into dist/assets/app.css, minified, no source maps (they
// would double the binary's size); index.html and the icon are copied.
// Output is deterministic (esbuild is; nothing else is stamped), so the
// generated C and the ETags change only when the sources do. The build goes
// to a fresh directory renamed over dist/ at the end: a concurrent `make`
// sees the old or the new tree, never half of one.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const dist = join(here, 'dist');
const tmp = watch ? dist : join(here, `dist.tmp${process.pid}`);

const options = {
	entryPoints: { app: join(here, 'src/main.ts') },
	outdir: join(tmp, 'assets'),
	entryNames: '[name]',
	bundle: true,
	minify: !watch,
	// ES modules split in chunks: the page and the grid load first, the SQL
	// editor (CodeMirror) as a chunk of its own when main.ts imports it
	format: 'esm',
	splitting: true,
	chunkNames: 'chunk-[hash]',
	target: ['chrome123', 'firefox120', 'safari17.5'], // light-dark() in CSS
	legalComments: 'none',
	logLevel: 'warning',
	charset: 'utf8',
};

function copyStatic(to) {
	mkdirSync(join(to, 'assets'), { recursive: true });
	copyFileSync(join(here, 'src/index.html'), join(to, 'index.html'));
	copyFileSync(join(here, 'src/icon.svg'), join(to, 'assets/icon.svg'));
}

if (watch) {
	copyStatic(dist);
	const ctx = await esbuild.context(options);
	await ctx.watch();
	process.stderr.write('web: watching web/src, writing web/dist (Ctrl-C stops)\n');
} else {
	rmSync(tmp, { recursive: true, force: true });
	try {
		await esbuild.build(options);
		copyStatic(tmp);
	} catch (e) {
		rmSync(tmp, { recursive: true, force: true });
		process.stderr.write(`web: build failed: ${e.message.split('\n')[0]}\n`);
		process.exit(1);
	}
	// another build may put its dist/ back between the two calls: once more
	for (let i = 0; ; i++) {
		rmSync(dist, { recursive: true, force: true });
		try {
			renameSync(tmp, dist);
			break;
		} catch (e) {
			if (i > 0) throw e;
		}
	}
}
