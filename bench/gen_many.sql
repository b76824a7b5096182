-- bench/gen_many.sql - the table macro behind bench/gen.sh's DIR/many/:
-- many_rows(f, n) is the n rows of file number f. bench/gen.sh appends one
-- COPY per file (every 7th file without the score column). Deterministic:
-- every value is a hash() of (file, row).
CREATE MACRO many_rows(f, n) AS TABLE
SELECT f * 1000 + r AS id,
	['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'][1 + (hash(f, r, 'n') % 8)::INTEGER]
		|| '-' || (hash(f, r) % 10000) AS name,
	(hash(f, r, 's') % 1000000) / 1000.0 AS score,
	TIMESTAMP '2024-01-01' + to_seconds((f * 600 + r)::BIGINT) AS ts,
	hash(f, r, 'b') % 2 = 0 AS flag
FROM range(n) t(r);
