-- scripts/demo_defects.sql - reads the planted defects back from the demo
-- files that scripts/demo.sql wrote (@OUT@ is the demo directory) and prints
-- them as one JSON document, which scripts/demo saves as DEFECTS.json.
-- Reading them back, rather than restating them, proves they are there.
-- Row numbers are 0-based positions in the partition's file.

SET TimeZone = 'UTC';

CREATE TEMP TABLE d AS
SELECT regexp_extract(filename, 'docs/(date=[^/]+/source=[^/]+)/', 1) AS part,
	file_row_number AS row, document_id, length(text) AS text_length, label
FROM read_parquet('@OUT@/docs/*/*/*.parquet', filename = true, file_row_number = true,
	union_by_name = true, hive_partitioning = false);

CREATE TEMP TABLE dup AS
SELECT document_id, list(DISTINCT part) AS parts, list(row ORDER BY row) AS rows
FROM d GROUP BY document_id HAVING count(*) > 1;

CREATE TEMP TABLE long AS SELECT * FROM d WHERE text_length > 8192;

-- only the partitions whose files have the label column
CREATE TEMP TABLE nolabel AS
SELECT * FROM d WHERE label IS NULL AND part >= 'date=2024-03-04';

SELECT json_pretty(json_object(
	'duplicate_document_ids', (SELECT json_object(
		'partitions', list_sort(list_distinct(flatten(list(parts)))),
		'document_ids', list(document_id ORDER BY document_id),
		'rows', list(rows ORDER BY document_id)) FROM dup),
	'long_texts', (SELECT json_object(
		'longer_than', 8192,
		'partitions', list_sort(list_distinct(list(part))),
		'document_ids', list(document_id ORDER BY document_id),
		'rows', list(row ORDER BY document_id),
		'lengths', list(text_length ORDER BY document_id)) FROM long),
	'null_labels', (SELECT json_object(
		'partitions', list_sort(list_distinct(list(part))),
		'count', count(*),
		'partition_rows', (SELECT count(*) FROM d WHERE part = (SELECT min(part) FROM nolabel)),
		'document_ids', list(document_id ORDER BY document_id)) FROM nolabel),
	'partitions', (SELECT list(json_object('partition', part, 'rows', n,
		'has_label', part >= 'date=2024-03-04') ORDER BY part)
		FROM (SELECT part, count(*) AS n FROM d GROUP BY part)),
	'embeddings_rows', (SELECT count(*) FROM read_parquet('@OUT@/embeddings/*.parquet')),
	'eval_rows', (SELECT count(*) FROM read_parquet('@OUT@/eval/eval.parquet'))
));
