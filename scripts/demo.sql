-- scripts/demo.sql - the demo data set (a small ML text pipeline), run by
-- scripts/demo through build/tools/duckq with @OUT@ replaced by the output
-- directory (which must already hold the partition directories).
--
-- Deterministic: no random(); every value comes from hash() of fixed inputs
-- and every file is written in a fixed order, so two runs write
-- byte-identical files (scripts/demo checks it when asked to).
--
-- Layout (see also the README that scripts/demo writes):
--   docs/date=2024-03-0D/source=S/part-0.parquet   6 dates x 3 sources
--       document_id VARCHAR 'doc-0000123', text VARCHAR, source VARCHAR,
--       ingested_at TIMESTAMPTZ; from 2024-03-04 on (schema evolution) also
--       label VARCHAR, reviewer_id INTEGER, confidence DOUBLE
--   embeddings/part-0.parquet, part-1.parquet      document_id, embedding FLOAT[384]
--   eval/eval.parquet                              document_id, text, label
--
-- Planted defects (DEFECTS.json records where, read back from the files):
--   (a) date=2024-03-02/source=forum: 3 document_id values appear twice
--       (rows 101, 202, 303 of the partition repeat the ids of rows 11, 22, 33);
--   (b) date=2024-03-04/source=web: 5 texts longer than 8,192 characters
--       (rows 8, 78, 778, 1008, 1408 of the partition);
--   (c) date=2024-03-05/source=books: about 2% of labels are NULL.

SET TimeZone = 'UTC';

CREATE TEMP TABLE words AS SELECT [
	'the', 'a', 'model', 'data', 'training', 'set', 'is', 'was', 'of', 'and',
	'to', 'in', 'we', 'our', 'results', 'show', 'that', 'this', 'paper', 'book',
	'reader', 'story', 'chapter', 'author', 'review', 'great', 'poor', 'slow',
	'fast', 'clear', 'confusing', 'interesting', 'boring', 'excellent', 'bad',
	'good', 'really', 'very', 'not', 'quite', 'somewhat', 'thread', 'post',
	'reply', 'user', 'question', 'answer', 'problem', 'solution', 'works',
	'fails', 'after', 'before', 'update', 'version', 'install', 'error', 'page',
	'site', 'article', 'news', 'today', 'yesterday', 'people', 'think', 'know',
	'because', 'however', 'although', 'while', 'with', 'without', 'for', 'from',
	'about', 'into', 'over', 'under', 'between', 'through', 'during', 'each',
	'every', 'some', 'many', 'few', 'most', 'other', 'new', 'old', 'first',
	'last', 'long', 'short', 'high', 'low', 'price', 'quality', 'service',
	'delivery', 'product', 'customer', 'support', 'team', 'city', 'weather',
	'market', 'report', 'study', 'analysis', 'evidence', 'claim', 'source',
	'link', 'comment', 'opinion', 'recommend', 'would', 'could', 'should',
	'never', 'always', 'often', 'sometimes', 'again', 'still', 'just', 'only',
	'also', 'even', 'well', 'much', 'more', 'less', 'than', 'then', 'there',
	'here', 'when', 'where', 'which', 'who', 'what', 'how', 'why', 'it', 'they',
	'she', 'he', 'you', 'i', 'my', 'their', 'its', 'be', 'have', 'has', 'had',
	'do', 'did', 'does', 'made', 'make', 'read', 'wrote', 'found', 'learned',
	'tested', 'measured', 'trained', 'labeled', 'sampled', 'cleaned', 'parsed'
] AS w;

-- 18 partitions: index p = 3 * date_index + source_index, sizes 1500..3499;
-- a partition's rows are numbered (seq) after those of the lower ones
CREATE TEMP TABLE parts AS
SELECT *, (sum(n_rows) OVER (ORDER BY p) - n_rows)::BIGINT AS first_seq
FROM (SELECT p, d, s,
	'2024-03-0' || (d + 1) AS date,
	['web', 'books', 'forum'][s + 1] AS source,
	(1500 + hash(p, 'rows') % 2000)::INTEGER AS n_rows
FROM (SELECT p, p // 3 AS d, p % 3 AS s FROM range(18) t(p)));

CREATE TEMP TABLE doc_rows AS
SELECT parts.*, r AS row_in_part, first_seq + r AS seq
FROM parts, LATERAL (SELECT unnest(range(n_rows)) AS r);

CREATE TEMP TABLE docs AS
SELECT p, date, source, row_in_part, seq,
	printf('doc-%07d', seq) AS document_id,
	-- 1..12 sentences of 4..15 words, skewed towards short texts
	array_to_string(list_transform(
		range((1 + (hash(seq, 'ns') % 12) * (hash(seq, 'ns2') % 3 + 1) // 3)::BIGINT),
		lambda j: list_transform(
			[array_to_string(list_transform(range((4 + hash(seq, j) % 12)::BIGINT),
				lambda k: w[1 + (hash(seq, j, k) % len(w))::INTEGER]), ' ')],
			lambda s: upper(s[1]) || s[2:] || ['.', '.', '.', '!', '?'][1 + (hash(seq, j, 'end') % 5)::INTEGER])[1]
	), ' ') AS text,
	TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_days((p // 3)::INTEGER) + to_seconds((hash(seq, 'ts') % 86400)::BIGINT) AS ingested_at,
	['positive', 'negative', 'neutral', 'positive', 'neutral'][1 + (hash(seq, 'label') % 5)::INTEGER] AS label,
	(100 + hash(seq, 'rev') % 25)::INTEGER AS reviewer_id,
	round(0.5 + (hash(seq, 'conf') % 5000) / 10000.0, 4)::DOUBLE AS confidence
FROM doc_rows, words;

-- (a) three duplicate ids in date=2024-03-02/source=forum (p = 5)
UPDATE docs SET document_id = printf('doc-%07d', seq - 90 * (row_in_part // 101))
WHERE p = 5 AND row_in_part IN (101, 202, 303);

-- (b) five texts over 8,192 characters in date=2024-03-04/source=web (p = 9)
UPDATE docs SET text = repeat(text || ' ', (8200 // (length(text) + 1) + 1 + row_in_part % 7)::INTEGER)
WHERE p = 9 AND row_in_part IN (8, 78, 778, 1008, 1408);

-- (c) about 2% NULL labels in date=2024-03-05/source=books (p = 13)
UPDATE docs SET label = NULL WHERE p = 13 AND hash(seq, 'null') % 50 = 0;

COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 0 ORDER BY seq) TO '@OUT@/docs/date=2024-03-01/source=web/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 1 ORDER BY seq) TO '@OUT@/docs/date=2024-03-01/source=books/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 2 ORDER BY seq) TO '@OUT@/docs/date=2024-03-01/source=forum/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 3 ORDER BY seq) TO '@OUT@/docs/date=2024-03-02/source=web/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 4 ORDER BY seq) TO '@OUT@/docs/date=2024-03-02/source=books/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 5 ORDER BY seq) TO '@OUT@/docs/date=2024-03-02/source=forum/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 6 ORDER BY seq) TO '@OUT@/docs/date=2024-03-03/source=web/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 7 ORDER BY seq) TO '@OUT@/docs/date=2024-03-03/source=books/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at FROM docs WHERE p = 8 ORDER BY seq) TO '@OUT@/docs/date=2024-03-03/source=forum/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
-- from here on the schema has grown by label, reviewer_id and confidence
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 9 ORDER BY seq) TO '@OUT@/docs/date=2024-03-04/source=web/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 10 ORDER BY seq) TO '@OUT@/docs/date=2024-03-04/source=books/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 11 ORDER BY seq) TO '@OUT@/docs/date=2024-03-04/source=forum/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 12 ORDER BY seq) TO '@OUT@/docs/date=2024-03-05/source=web/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 13 ORDER BY seq) TO '@OUT@/docs/date=2024-03-05/source=books/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 14 ORDER BY seq) TO '@OUT@/docs/date=2024-03-05/source=forum/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 15 ORDER BY seq) TO '@OUT@/docs/date=2024-03-06/source=web/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 16 ORDER BY seq) TO '@OUT@/docs/date=2024-03-06/source=books/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, text, source, ingested_at, label, reviewer_id, confidence FROM docs WHERE p = 17 ORDER BY seq) TO '@OUT@/docs/date=2024-03-06/source=forum/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);

-- embeddings for 95% of the documents, split in two files by id; values in
-- [-1, 1] in steps of 1/128, like a dequantized int8 embedding
CREATE TEMP TABLE emb AS
SELECT seq, document_id,
	list_transform(range(384), lambda k: ((hash(seq, k) % 257)::INTEGER - 128) / 128.0)::FLOAT[384] AS embedding
FROM docs WHERE hash(seq, 'emb') % 20 <> 0 AND NOT (p = 5 AND row_in_part IN (101, 202, 303));
COPY (SELECT document_id, embedding FROM emb WHERE seq < 25000 ORDER BY seq) TO '@OUT@/embeddings/part-0.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT document_id, embedding FROM emb WHERE seq >= 25000 ORDER BY seq) TO '@OUT@/embeddings/part-1.parquet' (FORMAT parquet, COMPRESSION zstd);

-- the evaluation snapshot: 1,000 labelled documents of the newer partitions
COPY (SELECT document_id, text, label FROM docs
	WHERE p >= 9 AND label IS NOT NULL AND hash(seq, 'eval') % 8 = 0
	ORDER BY seq LIMIT 1000) TO '@OUT@/eval/eval.parquet' (FORMAT parquet, COMPRESSION zstd);
