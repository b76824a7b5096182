-- bench/gen_big.sql - bench/gen.sh's DIR/big.parquet: @ROWS@ rows (about
-- 123 bytes a row once compressed, so ~8.7 million rows make ~1 GB), zstd,
-- row groups of 1,000,000 rows, written to @OUT@.
--   id BIGINT; text VARCHAR, 80..979 characters cut from a 1 MB pseudo-text;
--   numbers INTEGER[] of 0..20 elements (2% NULL); attrs STRUCT(a INTEGER,
--   b VARCHAR); value DOUBLE; ts TIMESTAMP in 2024.
-- Deterministic: every value is a hash() of the row id.
SET VARIABLE corpus = (
	SELECT string_agg(w[1 + (hash(i, 'w') % len(w))::INTEGER]
		|| CASE WHEN hash(i, 'p') % 11 = 0 THEN '.' ELSE '' END, ' ' ORDER BY i)
	FROM range(180000) t(i), (SELECT [
	'the', 'a', 'model', 'data', 'training', 'set', 'is', 'was', 'of', 'and',
	'to', 'in', 'we', 'our', 'results', 'show', 'that', 'this', 'paper', 'book',
	'reader', 'story', 'chapter', 'author', 'review', 'great', 'poor', 'slow',
	'fast', 'clear', 'confusing', 'interesting', 'boring', 'excellent', 'bad',
	'good', 'really', 'very', 'not', 'quite', 'somewhat', 'thread', 'post',
	'reply', 'user', 'question', 'answer', 'problem', 'solution', 'works',
	'fails', 'after', 'before', 'update', 'version', 'install', 'error', 'page',
	'market', 'report', 'study', 'analysis', 'evidence', 'customer', 'city'] AS w));

COPY (
SELECT id,
	substr(getvariable('corpus'), (1 + hash(id, 't') % 900000)::BIGINT,
		(80 + hash(id, 'l') % 900)::BIGINT) AS text,
	CASE WHEN hash(id, 'ln') % 50 = 0 THEN NULL ELSE
		list_transform(range((hash(id, 'n') % 21)::BIGINT),
			lambda k: (hash(id, k) % 100000)::INTEGER) END AS numbers,
	{'a': (hash(id, 'a') % 1000)::INTEGER,
	 'b': ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black', 'white'][1 + (hash(id, 'b') % 8)::INTEGER]} AS attrs,
	(hash(id, 'd') % 100000000) / 1000.0 AS value,
	TIMESTAMP '2024-01-01' + to_microseconds((hash(id, 'ts') % 31536000000000)::BIGINT) AS ts
FROM range(@ROWS@) t(id)
) TO '@OUT@' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000);
