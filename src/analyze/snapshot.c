/*
 * snapshot.c - schema snapshots: built from a dataset's footers (schema
 * tree normalised, per-leaf codecs, encodings and footer statistics
 * folded over every column chunk), written as versioned JSON, and loaded
 * back from such a file with every field checked.
 * Must not decode pages: everything comes from the footers.
 */
#include "analyze/snapshot.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "base/buf.h"
#include "base/json.h"
#include "format/stats.h"
#include "io/atomic.h"
#include "render/cell.h"
#include "base/banned.h"

#define MAX_KV 10000
#define MAX_NAME_LIST 64 /* codecs or encodings per leaf */
#define MAX_FIELDS 1000000
#define KV_VALUE_SAVED 4096 /* longer values are saved as length + digest only */

/* ---------------------------------------------------------------- names */

static int name_index(const char *s, const char *(*name_of)(int), int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, name_of(i)))
			return i;
	return -1;
}

static const char *rep_name(pv_repetition r)
{
	switch (r) {
	case PV_REP_REQUIRED: return "required";
	case PV_REP_OPTIONAL: return "optional";
	case PV_REP_REPEATED: return "repeated";
	default: return "vector";
	}
}

/* The inverse of pv_logical_type_str for the parameters the diff rules
 * use; the string itself stays the identity. Unknown names read as FUTURE
 * so that a snapshot from a newer parqview still loads. */
static int parse_logical(const char *s, pv_logical_type *out)
{
	memset(out, 0, sizeof *out);
	size_t nl = strcspn(s, "(");
	char name[32];
	if (nl == 0 || nl >= sizeof name)
		return -1;
	memcpy(name, s, nl);
	name[nl] = '\0';
	const char *args = s[nl] == '(' ? s + nl + 1 : NULL;
	/* Parameters are checked only where the rules read them: a GEOMETRY's
	 * CRS, say, may be long and was cut when saved. */
	bool closed = args && s[strlen(s) - 1] == ')';
	out->kind = PV_LOGICAL_FUTURE;
	for (int k = 1; k <= PV_LOGICAL_VECTOR; k++) {
		const char *kn = pv_logical_kind_name(k);
		/* the reserved id 9 also reads "UNKNOWN", the name of NullType */
		if (k != PV_LOGICAL_UNKNOWN && !strcmp(kn, "UNKNOWN"))
			continue;
		if (!strcmp(kn, name)) {
			out->kind = (pv_logical_kind)k;
			break;
		}
	}
	switch (out->kind) {
	case PV_LOGICAL_DECIMAL:
	case PV_LOGICAL_TIME:
	case PV_LOGICAL_TIMESTAMP:
	case PV_LOGICAL_INTEGER:
		if (!closed)
			return -1;
		break;
	default:
		break;
	}
	char a1[16] = "", a2[16] = "";
	if (args) {
		size_t l1 = strcspn(args, ",)");
		if (l1 < sizeof a1)
			memcpy(a1, args, l1);
		if (args[l1] == ',') {
			const char *p2 = args + l1 + 1;
			size_t l2 = strcspn(p2, ")");
			if (l2 < sizeof a2)
				memcpy(a2, p2, l2);
		}
	}
	char *end;
	switch (out->kind) {
	case PV_LOGICAL_DECIMAL: {
		long p = strtol(a1, &end, 10);
		if (!args || end == a1 || *end)
			return -1;
		long sc = strtol(a2, &end, 10);
		if (end == a2 || *end || p < 0 || p > 1000 || sc < 0 || sc > 1000)
			return -1;
		out->precision = (int32_t)p;
		out->scale = (int32_t)sc;
		return 0;
	}
	case PV_LOGICAL_TIME:
	case PV_LOGICAL_TIMESTAMP:
		if (!args)
			return -1;
		if (!strcmp(a1, "MILLIS"))
			out->unit = PV_UNIT_MILLIS;
		else if (!strcmp(a1, "MICROS"))
			out->unit = PV_UNIT_MICROS;
		else if (!strcmp(a1, "NANOS"))
			out->unit = PV_UNIT_NANOS;
		else
			return -1;
		if (strcmp(a2, "true") && strcmp(a2, "false"))
			return -1;
		out->utc = !strcmp(a2, "true");
		return 0;
	case PV_LOGICAL_INTEGER: {
		long bits = strtol(a1, &end, 10);
		if (!args || end == a1 || *end || (bits != 8 && bits != 16 && bits != 32 && bits != 64))
			return -1;
		if (strcmp(a2, "true") && strcmp(a2, "false"))
			return -1;
		out->bit_width = (int8_t)bits;
		out->is_signed = !strcmp(a2, "true");
		return 0;
	}
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- values */

static int cmp_bytes(const pv_value *x, const pv_value *y)
{
	size_t n = x->bytes.len < y->bytes.len ? x->bytes.len : y->bytes.len;
	int c = n ? memcmp(x->bytes.ptr, y->bytes.ptr, n) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	return x->bytes.len < y->bytes.len ? -1 : x->bytes.len > y->bytes.len;
}

#define CMP3(a, b) ((a) < (b) ? -1 : (a) > (b))

/* Orders two statistics values of one column; *ok false when they cannot
 * be ordered (different kinds or units: a file typed the column apart). */
static int value_cmp(const pv_value *x, const pv_value *y, bool *ok)
{
	*ok = x->kind == y->kind;
	if (!*ok)
		return 0;
	switch (x->kind) {
	case PV_VAL_BOOL: return CMP3(x->b, y->b);
	case PV_VAL_INT:
	case PV_VAL_DATE: return CMP3(x->i, y->i);
	case PV_VAL_UINT: return CMP3(x->u, y->u);
	case PV_VAL_FLOAT: return CMP3(x->f, y->f);
	case PV_VAL_TIME:
	case PV_VAL_TIMESTAMP:
		*ok = x->unit == y->unit;
		return CMP3(x->i, y->i);
	case PV_VAL_STRING:
	case PV_VAL_BINARY:
	case PV_VAL_UUID: return cmp_bytes(x, y);
	case PV_VAL_DECIMAL:
		*ok = x->scale == y->scale;
		if (!x->dec_bytes && !y->dec_bytes)
			return CMP3(x->i, y->i);
		if (x->dec_bytes && y->dec_bytes)
			return pv_stats_cmp_be_signed(x->bytes.ptr, x->bytes.len, y->bytes.ptr, y->bytes.len);
		*ok = false;
		return 0;
	default:
		*ok = false;
		return 0;
	}
}

/* ---------------------------------------------------------------- building */

/* Per-leaf state while the chunks are folded. */
typedef struct leaf_agg {
	pv_snap_field *f;
	const char *raw_path;   /* the leaf's path in the file its column came from */
	const char *type;       /* pv_schema_type_str of that leaf */
	uint32_t codecs;        /* bit per codec; bit 31 unknown */
	uint32_t encodings;     /* bit per encoding; bit 31 unknown */
	bool values_ok, nulls_ok, minmax_ok, any_minmax;
	int64_t n_values, n_nulls;
	pv_value min, max;      /* point into the pfiles' arenas (alive while ds is) */
} leaf_agg;

typedef struct builder {
	pv_snapshot *s;
	pv_err *err;
	leaf_agg *leaves;
	size_t n_leaves, cap_leaves;
	size_t *slots;          /* hash of raw_path -> leaves index + 1 */
	size_t n_slots;
} builder;

static int add_leaf(builder *b, pv_snap_field *f, const pv_schema_node *n)
{
	if (b->n_leaves == b->cap_leaves) {
		size_t cap = b->cap_leaves ? b->cap_leaves * 2 : 64;
		leaf_agg *nl = realloc(b->leaves, cap * sizeof *nl);
		if (!nl)
			return pv_err_set(b->err, PV_ENOMEM, "out of memory");
		b->leaves = nl;
		b->cap_leaves = cap;
	}
	char type[256];
	leaf_agg *l = &b->leaves[b->n_leaves++];
	memset(l, 0, sizeof *l);
	l->f = f;
	l->raw_path = n->path;
	pv_schema_type_str(n, type, sizeof type);
	if (!(l->type = pv_arena_strndup(&b->s->arena, type, strlen(type), b->err)))
		return b->err ? b->err->code : PV_ENOMEM;
	l->values_ok = l->nulls_ok = l->minmax_ok = true;
	return 0;
}

static int build_field(builder *b, const pv_schema_node *n, const char *name, const char *parent,
		       bool list_element, pv_snap_field *f)
{
	pv_arena *a = &b->s->arena;
	pv_err *err = b->err;
	f->name = pv_arena_strndup(a, name, strlen(name), err);
	f->path = parent ? pv_arena_printf(a, err, "%s.%s", parent, name) : f->name;
	if (!f->name || !f->path || !(f->type = pv_dataset_type_of(n, a, err)))
		return err ? err->code : PV_ENOMEM;
	f->repetition = n->repetition;
	/* A legacy two-level list's element is the repeated field itself: as an
	 * element it is simply required. */
	if (list_element && f->repetition == PV_REP_REPEATED)
		f->repetition = PV_REP_REQUIRED;
	f->nullable = f->repetition == PV_REP_OPTIONAL;
	f->physical_type = -1;
	f->converted_type = -1;
	const pv_schema_element *e = n->element;
	if (n->is_leaf) {
		f->shape = PV_SHAPE_PRIMITIVE;
		f->physical_type = (int)e->type;
		f->type_length = e->has_type_length ? e->type_length : 0;
		if (e->has_logical_type && e->logical_type.kind != PV_LOGICAL_NONE) {
			char lt[256];
			pv_logical_type_str(&e->logical_type, lt, sizeof lt);
			if (!(f->logical_type = pv_arena_strndup(a, lt, strlen(lt), err)))
				return err ? err->code : PV_ENOMEM;
			f->logical = e->logical_type;
			f->logical.crs = NULL; /* points into the pfile; the string keeps it */
		}
		if (e->has_converted_type)
			f->converted_type = e->converted_type;
		f->precision = e->has_precision ? e->precision : 0;
		f->scale = e->has_scale ? e->scale : 0;
		f->has_stats = true;
		return add_leaf(b, f, n);
	}
	const pv_schema_node *kids[2];
	const char *names[2];
	size_t nk = 0;
	if (n->shape == PV_SHAPE_LIST && n->list_element) {
		f->shape = PV_SHAPE_LIST;
		kids[nk] = n->list_element;
		names[nk++] = "element";
	} else if (n->shape == PV_SHAPE_MAP && n->map_key) {
		f->shape = PV_SHAPE_MAP;
		kids[nk] = n->map_key;
		names[nk++] = "key";
		if (n->map_value) {
			kids[nk] = n->map_value;
			names[nk++] = "value";
		}
	} else {
		f->shape = PV_SHAPE_STRUCT;
	}
	if (f->shape == PV_SHAPE_STRUCT) {
		f->n_children = n->n_children;
		if (!(f->children = pv_arena_array(a, n->n_children, sizeof *f->children, err)) &&
		    n->n_children)
			return err ? err->code : PV_ENOMEM;
		for (size_t i = 0; i < n->n_children; i++) {
			int rc = build_field(b, n->children[i], n->children[i]->name, f->path, false,
					     &f->children[i]);
			if (rc)
				return rc;
		}
		return 0;
	}
	f->n_children = nk;
	if (!(f->children = pv_arena_array(a, nk, sizeof *f->children, err)))
		return err ? err->code : PV_ENOMEM;
	for (size_t i = 0; i < nk; i++) {
		int rc = build_field(b, kids[i], names[i], f->path, f->shape == PV_SHAPE_LIST,
				     &f->children[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static size_t slot_of(const builder *b, const char *path)
{
	size_t mask = b->n_slots - 1;
	size_t h = (size_t)XXH64(path, strlen(path), 0) & mask;
	while (b->slots[h] && strcmp(b->leaves[b->slots[h] - 1].raw_path, path))
		h = (h + 1) & mask;
	return h;
}

static int index_leaves(builder *b)
{
	size_t n = 16;
	while (n < b->n_leaves * 2)
		n *= 2;
	if (!(b->slots = calloc(n, sizeof *b->slots)))
		return pv_err_set(b->err, PV_ENOMEM, "out of memory");
	b->n_slots = n;
	for (size_t i = 0; i < b->n_leaves; i++) {
		size_t h = slot_of(b, b->leaves[i].raw_path);
		if (!b->slots[h])
			b->slots[h] = i + 1;
	}
	return 0;
}

static void fold_chunk(leaf_agg *l, const pv_column_chunk *cc, const pv_schema_node *leaf,
		       const char *created_by)
{
	if (!cc->has_meta_data) { /* encrypted: nothing known */
		l->values_ok = l->nulls_ok = l->minmax_ok = false;
		return;
	}
	const pv_column_meta *m = &cc->meta_data;
	l->codecs |= m->codec >= 0 && m->codec < 31 ? 1u << m->codec : 1u << 31;
	for (size_t i = 0; i < m->n_encodings; i++)
		l->encodings |= m->encodings[i] >= 0 && m->encodings[i] < 31 ? 1u << m->encodings[i]
									  : 1u << 31;
	l->n_values += m->num_values;
	const pv_statistics *st = &m->statistics;
	bool has_nulls = m->has_statistics && st->has_null_count;
	if (has_nulls)
		l->n_nulls += st->null_count;
	else
		l->nulls_ok = false;
	if (!l->minmax_ok)
		return;
	pv_value mn, mx;
	bool trusted;
	if (pv_stats_minmax(cc, leaf, created_by, &mn, &mx, &trusted, NULL)) {
		l->minmax_ok = false;
		return;
	}
	if (mn.kind == PV_VAL_NULL && mx.kind == PV_VAL_NULL) {
		/* A chunk of nulls only has no bounds and needs none. */
		if (!(has_nulls && st->null_count == m->num_values))
			l->minmax_ok = false;
		return;
	}
	if (!trusted) {
		l->minmax_ok = false;
		return;
	}
	if (!l->any_minmax) {
		l->min = mn;
		l->max = mx;
		l->any_minmax = true;
		return;
	}
	bool ok1, ok2;
	int c1 = value_cmp(&mn, &l->min, &ok1), c2 = value_cmp(&mx, &l->max, &ok2);
	if (!ok1 || !ok2) {
		l->minmax_ok = false;
		return;
	}
	if (c1 < 0)
		l->min = mn;
	if (c2 > 0)
		l->max = mx;
}

static int fold_file(builder *b, const pv_pfile *pf)
{
	const pv_schema *sc = pf->schema;
	/* Which of our leaves each of the file's leaves feeds, or none when the
	 * file types it differently (its values would not compare). */
	leaf_agg **map = calloc(sc->n_leaves ? sc->n_leaves : 1, sizeof *map);
	if (!map)
		return pv_err_set(b->err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < sc->n_leaves; i++) {
		size_t h = slot_of(b, sc->leaves[i]->path);
		if (!b->slots[h])
			continue;
		leaf_agg *l = &b->leaves[b->slots[h] - 1];
		char type[256];
		if (!strcmp(pv_schema_type_str(sc->leaves[i], type, sizeof type), l->type))
			map[i] = l;
	}
	const pv_file_meta *m = pf->meta;
	for (size_t r = 0; r < m->n_row_groups; r++) {
		const pv_row_group *rg = &m->row_groups[r];
		for (size_t c = 0; c < rg->n_columns && c < sc->n_leaves; c++)
			if (map[c])
				fold_chunk(map[c], &rg->columns[c], sc->leaves[c], m->created_by);
	}
	free(map);
	return 0;
}

/* Names of the bits set in mask, sorted. */
static int mask_names(pv_arena *a, uint32_t mask, const char *(*name_of)(int), const char ***out,
		      size_t *out_n, pv_err *err)
{
	const char *tmp[32];
	size_t n = 0;
	for (int i = 0; i < 32; i++)
		if (mask & (1u << i))
			tmp[n++] = i == 31 ? "UNKNOWN" : name_of(i);
	for (size_t i = 1; i < n; i++) /* insertion sort: at most 32 names */
		for (size_t j = i; j > 0 && strcmp(tmp[j - 1], tmp[j]) > 0; j--) {
			const char *t = tmp[j];
			tmp[j] = tmp[j - 1];
			tmp[j - 1] = t;
		}
	*out_n = n;
	*out = NULL;
	if (!n)
		return 0;
	if (!(*out = pv_arena_array(a, n, sizeof **out, err)))
		return err ? err->code : PV_ENOMEM;
	memcpy(*out, tmp, n * sizeof *tmp);
	return 0;
}

/* The text of a bound, cut at a UTF-8 boundary. */
static const char *value_text(pv_arena *a, const pv_value *v, pv_err *err)
{
	pv_buf buf;
	pv_buf_init(&buf, 0);
	const char *out = NULL;
	if (pv_cell_text(v, &buf, NULL) == 0) {
		size_t n = buf.len;
		bool cut = n > PV_SNAPSHOT_MAX_VALUE_TEXT;
		if (cut) {
			n = PV_SNAPSHOT_MAX_VALUE_TEXT;
			while (n > 0 && ((unsigned char)buf.data[n] & 0xc0) == 0x80)
				n--;
		}
		out = cut ? pv_arena_printf(a, err, "%.*s…", (int)n, buf.data)
			  : pv_arena_strndup(a, buf.data ? buf.data : "", n, err);
	}
	pv_buf_release(&buf);
	return out;
}

static int finish_leaf(pv_arena *a, leaf_agg *l, pv_err *err)
{
	pv_snap_field *f = l->f;
	int rc = mask_names(a, l->codecs, pv_codec_name, &f->codecs, &f->n_codecs, err);
	if (!rc)
		rc = mask_names(a, l->encodings, pv_encoding_name, &f->encodings, &f->n_encodings,
				err);
	if (rc)
		return rc;
	pv_snap_stats *st = &f->stats;
	st->has_values = l->values_ok;
	st->n_values = l->n_values;
	st->has_nulls = l->nulls_ok && l->values_ok;
	st->n_nulls = l->n_nulls;
	if (l->minmax_ok && l->any_minmax) {
		st->min = value_text(a, &l->min, err);
		st->max = value_text(a, &l->max, err);
		st->has_minmax = st->min && st->max;
	}
	return 0;
}

static int gather_kv(pv_snapshot *s, const pv_file_meta *m, pv_err *err)
{
	for (size_t i = 0; i < m->n_key_value_metadata; i++) {
		const pv_kv *kv = &m->key_value_metadata[i];
		size_t k = 0;
		while (k < s->n_kv && strcmp(s->kv[k].key, kv->key))
			k++;
		if (k < s->n_kv) {
			s->kv[k].n_files++;
			continue;
		}
		if (s->n_kv == MAX_KV)
			return pv_err_set(err, PV_ELIMIT, "more than %d key-value metadata keys", MAX_KV);
		pv_snap_kv *o = &s->kv[s->n_kv++];
		o->key = pv_arena_strndup(&s->arena, kv->key, strlen(kv->key), err);
		if (!o->key)
			return err ? err->code : PV_ENOMEM;
		o->n_files = 1;
		o->has_value = kv->has_value;
		if (kv->has_value) {
			o->value_len = kv->value_len;
			o->xxh64 = XXH64(kv->value, kv->value_len, 0);
			if (!(o->value = pv_arena_strndup(&s->arena, kv->value, kv->value_len, err)))
				return err ? err->code : PV_ENOMEM;
		}
	}
	return 0;
}

static int from_dataset(pv_snapshot *s, builder *b, const pv_dataset *ds, const char *source,
			pv_err *err)
{
	pv_arena *a = &s->arena;
	s->version = PV_SNAPSHOT_VERSION;
	if (!source)
		source = ds->paths.n_items ? ds->paths.items[0].path : "";
	if (!(s->source = pv_arena_strndup(a, source, strlen(source), err)))
		return err ? err->code : PV_ENOMEM;
	s->n_files = (int64_t)(ds->n_files - ds->n_failed);
	s->n_rows = ds->n_rows;
	s->has_stats = true;
	s->n_columns = ds->n_columns;
	if (!(s->columns = pv_arena_array(a, ds->n_columns ? ds->n_columns : 1, sizeof *s->columns,
					  err)))
		return err ? err->code : PV_ENOMEM;
	for (size_t c = 0; c < ds->n_columns; c++) {
		const pv_dataset_column *col = &ds->columns[c];
		pv_snap_field *f = &s->columns[c];
		if (col->is_partition) {
			/* the name lives in ds, which may be freed before the snapshot */
			f->name = f->path = pv_arena_strndup(a, col->name, strlen(col->name), err);
			if (!f->name)
				return err ? err->code : PV_ENOMEM;
			f->shape = PV_SHAPE_PRIMITIVE;
			f->partition = true;
			f->repetition = PV_REP_OPTIONAL;
			f->type = pv_hive_type_name(col->part_type);
			f->physical_type = -1;
			f->converted_type = -1;
		} else {
			int rc = build_field(b, col->node, col->name, NULL, false, f);
			if (rc)
				return rc;
		}
		f->nullable = col->nullable;
	}
	if (!(s->inputs = pv_arena_array(a, ds->n_files ? ds->n_files : 1, sizeof *s->inputs, err)))
		return err ? err->code : PV_ENOMEM;
	if (!(s->kv = pv_arena_array(a, MAX_KV, sizeof *s->kv, err)))
		return err ? err->code : PV_ENOMEM;
	int rc = index_leaves(b);
	for (size_t i = 0; !rc && i < ds->n_files; i++) {
		s->inputs[s->n_inputs++] = ds->files[i].path;
		const pv_pfile *pf = ds->files[i].pf;
		if (!pf)
			continue;
		rc = fold_file(b, pf);
		if (!rc)
			rc = gather_kv(s, pf->meta, err);
	}
	for (size_t i = 0; !rc && i < b->n_leaves; i++)
		rc = finish_leaf(a, &b->leaves[i], err);
	return rc;
}

int pv_snapshot_from_dataset(const pv_dataset *ds, const char *source, pv_snapshot **out,
			     pv_err *err)
{
	*out = NULL;
	pv_snapshot *s = calloc(1, sizeof *s);
	if (!s)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_arena_init(&s->arena, 0);
	builder b = { .s = s, .err = err };
	int rc = from_dataset(s, &b, ds, source, err);
	free(b.leaves);
	free(b.slots);
	if (rc) {
		pv_snapshot_free(s);
		return rc;
	}
	/* inputs point into ds, which the caller may free first: copy them. */
	for (size_t i = 0; i < s->n_inputs; i++)
		if (!(s->inputs[i] = pv_arena_strndup(&s->arena, s->inputs[i], strlen(s->inputs[i]),
						      err))) {
			pv_snapshot_free(s);
			return err ? err->code : PV_ENOMEM;
		}
	*out = s;
	return 0;
}

/* ---------------------------------------------------------------- writing */

static void json_names(pv_json *j, const char *key, const char *const *names, size_t n)
{
	pv_json_key(j, key);
	pv_json_array_begin(j);
	for (size_t i = 0; i < n; i++)
		pv_json_str(j, names[i]);
	pv_json_array_end(j);
}

static void json_field(pv_json *j, const pv_snap_field *f)
{
	pv_json_object_begin(j);
	pv_json_kstr(j, "name", f->name);
	pv_json_kstr(j, "path", f->path);
	pv_json_kstr(j, "shape", f->partition ? "PARTITION" : pv_shape_name(f->shape));
	pv_json_kstr(j, "type", f->type);
	pv_json_kstr(j, "repetition", rep_name(f->repetition));
	pv_json_kbool(j, "nullable", f->nullable);
	if (f->physical_type >= 0) {
		pv_json_kstr(j, "physical_type", pv_physical_type_name(f->physical_type));
		if (f->type_length)
			pv_json_kint(j, "type_length", f->type_length);
		pv_json_key(j, "logical_type");
		if (f->logical_type)
			pv_json_str(j, f->logical_type);
		else
			pv_json_null(j);
		pv_json_key(j, "converted_type");
		if (f->converted_type >= 0)
			pv_json_str(j, pv_converted_type_name(f->converted_type));
		else
			pv_json_null(j);
		if (f->precision || f->scale) {
			pv_json_kint(j, "precision", f->precision);
			pv_json_kint(j, "scale", f->scale);
		}
		json_names(j, "codecs", f->codecs, f->n_codecs);
		json_names(j, "encodings", f->encodings, f->n_encodings);
		if (f->has_stats) {
			const pv_snap_stats *st = &f->stats;
			pv_json_key(j, "stats");
			pv_json_object_begin(j);
			if (st->has_values)
				pv_json_kint(j, "values", st->n_values);
			if (st->has_nulls)
				pv_json_kint(j, "nulls", st->n_nulls);
			if (st->has_minmax) {
				pv_json_kstr(j, "min", st->min);
				pv_json_kstr(j, "max", st->max);
			}
			pv_json_object_end(j);
		}
	}
	if (!f->partition && f->shape != PV_SHAPE_PRIMITIVE) {
		pv_json_key(j, "children");
		pv_json_array_begin(j);
		for (size_t i = 0; i < f->n_children; i++)
			json_field(j, &f->children[i]);
		pv_json_array_end(j);
	}
	pv_json_object_end(j);
}

static int write_json(const pv_snapshot *s, FILE *fp)
{
	pv_json j;
	pv_json_init_file(&j, fp, true);
	pv_json_object_begin(&j);
	pv_json_kint(&j, "parqview_snapshot", PV_SNAPSHOT_VERSION);
	pv_json_kstr(&j, "source", s->source);
	pv_json_kint(&j, "n_files", s->n_files);
	pv_json_kint(&j, "rows", s->n_rows);
	pv_json_kbool(&j, "has_stats", s->has_stats);
	pv_json_key(&j, "key_value_metadata");
	pv_json_array_begin(&j);
	for (size_t i = 0; i < s->n_kv; i++) {
		const pv_snap_kv *kv = &s->kv[i];
		char hex[17];
		snprintf(hex, sizeof hex, "%016" PRIx64, kv->xxh64);
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "key", kv->key);
		if (kv->has_value) {
			/* a NUL byte would not load back: such values keep the digest */
			if (kv->value && kv->value_len <= KV_VALUE_SAVED &&
			    !memchr(kv->value, '\0', kv->value_len)) {
				pv_json_key(&j, "value");
				pv_json_strn(&j, kv->value, kv->value_len);
			}
			pv_json_kint(&j, "length", (int64_t)kv->value_len);
			pv_json_kstr(&j, "xxh64", hex);
		}
		pv_json_kint(&j, "n_files", kv->n_files);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_key(&j, "columns");
	pv_json_array_begin(&j);
	for (size_t i = 0; i < s->n_columns; i++)
		json_field(&j, &s->columns[i]);
	pv_json_array_end(&j);
	pv_json_object_end(&j);
	return pv_json_finish(&j);
}

int pv_snapshot_save(const pv_snapshot *s, const char *path, pv_err *err)
{
	pv_atomic_file af = { 0 };
	int rc = pv_atomic_open(&af, path, s->inputs, s->n_inputs, err);
	if (rc)
		return rc;
	if (write_json(s, pv_atomic_stream(&af))) {
		pv_atomic_abort(&af);
		return pv_err_set(err, PV_EIO, "%s: write failed", path);
	}
	return pv_atomic_commit(&af, err);
}

/* ---------------------------------------------------------------- loading */

typedef struct loader {
	pv_snapshot *s;
	pv_err *err;
	const char *name;       /* the file, for messages */
	size_t n_fields;
} loader;

static int bad(loader *l, int code, const char *path, const char *what)
{
	return pv_err_set(l->err, code, "%s: %s: %s", l->name, path, what);
}

/* Reads key from obj: a string (required or not). *out NULL when absent. */
static int get_str(loader *l, json_t *obj, const char *jpath, const char *key, bool required,
		   const char **out)
{
	*out = NULL;
	json_t *v = json_object_get(obj, key);
	char p[1200];
	snprintf(p, sizeof p, "%s.%s", jpath, key);
	if (!v || json_is_null(v))
		return required ? bad(l, PV_ECORRUPT, p, "missing") : 0;
	if (!json_is_string(v))
		return bad(l, PV_ECORRUPT, p, "expected a string");
	size_t n = json_string_length(v);
	if (memchr(json_string_value(v), '\0', n))
		return bad(l, PV_ECORRUPT, p, "string holds a NUL byte");
	if (!(*out = pv_arena_strndup(&l->s->arena, json_string_value(v), n, l->err)))
		return l->err ? l->err->code : PV_ENOMEM;
	return 0;
}

static int get_int(loader *l, json_t *obj, const char *jpath, const char *key, bool required,
		   int64_t lo, int64_t hi, int64_t *out, bool *present)
{
	json_t *v = json_object_get(obj, key);
	char p[1200];
	snprintf(p, sizeof p, "%s.%s", jpath, key);
	if (present)
		*present = false;
	if (!v)
		return required ? bad(l, PV_ECORRUPT, p, "missing") : 0;
	if (!json_is_integer(v))
		return bad(l, PV_ECORRUPT, p, "expected an integer");
	json_int_t x = json_integer_value(v);
	if (x < lo || x > hi)
		return bad(l, PV_ECORRUPT, p, "out of range");
	*out = (int64_t)x;
	if (present)
		*present = true;
	return 0;
}

static int get_bool(loader *l, json_t *obj, const char *jpath, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	char p[1200];
	snprintf(p, sizeof p, "%s.%s", jpath, key);
	if (!v)
		return bad(l, PV_ECORRUPT, p, "missing");
	if (!json_is_boolean(v))
		return bad(l, PV_ECORRUPT, p, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

static int get_array(loader *l, json_t *obj, const char *jpath, const char *key, bool required,
		     json_t **out)
{
	*out = json_object_get(obj, key);
	char p[1200];
	snprintf(p, sizeof p, "%s.%s", jpath, key);
	if (!*out)
		return required ? bad(l, PV_ECORRUPT, p, "missing") : 0;
	if (!json_is_array(*out))
		return bad(l, PV_ECORRUPT, p, "expected an array");
	return 0;
}

static int get_names(loader *l, json_t *obj, const char *jpath, const char *key,
		     const char ***out, size_t *out_n)
{
	json_t *arr;
	*out = NULL;
	*out_n = 0;
	int rc = get_array(l, obj, jpath, key, false, &arr);
	if (rc || !arr)
		return rc;
	size_t n = json_array_size(arr);
	char p[1200];
	snprintf(p, sizeof p, "%s.%s", jpath, key);
	if (n > MAX_NAME_LIST)
		return bad(l, PV_ELIMIT, p, "too many names");
	if (!n)
		return 0;
	if (!(*out = pv_arena_array(&l->s->arena, n, sizeof **out, l->err)))
		return l->err ? l->err->code : PV_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		char pi[1300];
		snprintf(pi, sizeof pi, "%s[%zu]", p, i);
		if (!json_is_string(v) || json_string_length(v) > 64 ||
		    memchr(json_string_value(v), '\0', json_string_length(v)))
			return bad(l, PV_ECORRUPT, pi, "expected a name");
		if (!((*out)[i] = pv_arena_strndup(&l->s->arena, json_string_value(v),
						   json_string_length(v), l->err)))
			return l->err ? l->err->code : PV_ENOMEM;
	}
	*out_n = n;
	return 0;
}

static int load_stats(loader *l, json_t *o, const char *jpath, pv_snap_field *f)
{
	json_t *st = json_object_get(o, "stats");
	char p[1200];
	snprintf(p, sizeof p, "%s.stats", jpath);
	if (!st)
		return 0;
	if (!json_is_object(st))
		return bad(l, PV_ECORRUPT, p, "expected an object");
	f->has_stats = true;
	pv_snap_stats *s = &f->stats;
	int rc = get_int(l, st, p, "values", false, 0, INT64_MAX, &s->n_values, &s->has_values);
	if (!rc)
		rc = get_int(l, st, p, "nulls", false, 0, INT64_MAX, &s->n_nulls, &s->has_nulls);
	if (!rc)
		rc = get_str(l, st, p, "min", false, &s->min);
	if (!rc)
		rc = get_str(l, st, p, "max", false, &s->max);
	if (rc)
		return rc;
	if (!s->min != !s->max)
		return bad(l, PV_ECORRUPT, p, "min and max come together");
	s->has_minmax = s->min != NULL;
	return 0;
}

static int load_field(loader *l, json_t *o, const char *jpath, int depth, pv_snap_field *f)
{
	if (depth > PV_SNAPSHOT_MAX_DEPTH)
		return bad(l, PV_ELIMIT, jpath, "nested too deeply");
	if (++l->n_fields > MAX_FIELDS)
		return bad(l, PV_ELIMIT, jpath, "too many fields");
	if (!json_is_object(o))
		return bad(l, PV_ECORRUPT, jpath, "expected an object");
	const char *shape, *rep, *phys, *conv;
	char p[1200];
	int rc = get_str(l, o, jpath, "name", true, &f->name);
	if (!rc)
		rc = get_str(l, o, jpath, "path", true, &f->path);
	if (!rc)
		rc = get_str(l, o, jpath, "shape", true, &shape);
	if (!rc)
		rc = get_str(l, o, jpath, "type", true, &f->type);
	if (!rc)
		rc = get_str(l, o, jpath, "repetition", true, &rep);
	if (!rc)
		rc = get_bool(l, o, jpath, "nullable", &f->nullable);
	if (!rc)
		rc = get_str(l, o, jpath, "physical_type", false, &phys);
	if (rc)
		return rc;
	f->physical_type = -1;
	f->converted_type = -1;
	if (!strcmp(rep, "required"))
		f->repetition = PV_REP_REQUIRED;
	else if (!strcmp(rep, "optional"))
		f->repetition = PV_REP_OPTIONAL;
	else if (!strcmp(rep, "repeated"))
		f->repetition = PV_REP_REPEATED;
	else {
		snprintf(p, sizeof p, "%s.repetition", jpath);
		return bad(l, PV_ECORRUPT, p, "expected required, optional or repeated");
	}
	if (!strcmp(shape, "PARTITION")) {
		f->partition = true;
		f->shape = PV_SHAPE_PRIMITIVE;
		if (depth)
			return bad(l, PV_ECORRUPT, jpath, "a partition column inside a group");
		return 0;
	}
	int sh = name_index(shape, pv_shape_name, PV_SHAPE_MAP + 1);
	if (sh < 0) {
		snprintf(p, sizeof p, "%s.shape", jpath);
		return bad(l, PV_ECORRUPT, p, "expected PRIMITIVE, STRUCT, LIST, MAP or PARTITION");
	}
	f->shape = sh;
	if (sh == PV_SHAPE_PRIMITIVE) {
		snprintf(p, sizeof p, "%s.physical_type", jpath);
		if (!phys)
			return bad(l, PV_ECORRUPT, p, "missing");
		if ((f->physical_type = name_index(phys, pv_physical_type_name, 8)) < 0)
			return bad(l, PV_ECORRUPT, p, "not a parquet physical type");
		int64_t x = 0;
		rc = get_int(l, o, jpath, "type_length", false, 0, INT32_MAX, &x, NULL);
		f->type_length = (int32_t)x;
		if (!rc)
			rc = get_str(l, o, jpath, "logical_type", false, &f->logical_type);
		if (!rc)
			rc = get_str(l, o, jpath, "converted_type", false, &conv);
		if (rc)
			return rc;
		if (f->logical_type && parse_logical(f->logical_type, &f->logical)) {
			snprintf(p, sizeof p, "%s.logical_type", jpath);
			return bad(l, PV_ECORRUPT, p, "not a logical type");
		}
		if (conv && (f->converted_type = name_index(conv, pv_converted_type_name,
							    PV_CONV_INTERVAL + 1)) < 0) {
			snprintf(p, sizeof p, "%s.converted_type", jpath);
			return bad(l, PV_ECORRUPT, p, "not a converted type");
		}
		x = 0;
		rc = get_int(l, o, jpath, "precision", false, 0, 1000, &x, NULL);
		f->precision = (int32_t)x;
		x = 0;
		if (!rc)
			rc = get_int(l, o, jpath, "scale", false, 0, 1000, &x, NULL);
		f->scale = (int32_t)x;
		if (!rc)
			rc = get_names(l, o, jpath, "codecs", &f->codecs, &f->n_codecs);
		if (!rc)
			rc = get_names(l, o, jpath, "encodings", &f->encodings, &f->n_encodings);
		if (!rc)
			rc = load_stats(l, o, jpath, f);
		return rc;
	}
	json_t *kids;
	if ((rc = get_array(l, o, jpath, "children", true, &kids)))
		return rc;
	size_t n = json_array_size(kids);
	snprintf(p, sizeof p, "%s.children", jpath);
	if ((sh == PV_SHAPE_LIST && n != 1) || (sh == PV_SHAPE_MAP && (n < 1 || n > 2)))
		return bad(l, PV_ECORRUPT, p, sh == PV_SHAPE_LIST ? "a list has one child"
								 : "a map has a key and a value");
	if (n > MAX_FIELDS)
		return bad(l, PV_ELIMIT, p, "too many fields");
	f->n_children = n;
	if (n && !(f->children = pv_arena_array(&l->s->arena, n, sizeof *f->children, l->err)))
		return l->err ? l->err->code : PV_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char pi[1300];
		snprintf(pi, sizeof pi, "%s.children[%zu]", jpath, i);
		if ((rc = load_field(l, json_array_get(kids, i), pi, depth + 1, &f->children[i])))
			return rc;
	}
	return 0;
}

static int load_kv(loader *l, json_t *root)
{
	json_t *arr;
	int rc = get_array(l, root, "$", "key_value_metadata", false, &arr);
	if (rc || !arr)
		return rc;
	size_t n = json_array_size(arr);
	if (n > MAX_KV)
		return bad(l, PV_ELIMIT, "$.key_value_metadata", "too many keys");
	pv_snapshot *s = l->s;
	if (n && !(s->kv = pv_arena_array(&s->arena, n, sizeof *s->kv, l->err)))
		return l->err ? l->err->code : PV_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char p[64];
		snprintf(p, sizeof p, "$.key_value_metadata[%zu]", i);
		json_t *o = json_array_get(arr, i);
		if (!json_is_object(o))
			return bad(l, PV_ECORRUPT, p, "expected an object");
		pv_snap_kv *kv = &s->kv[s->n_kv++];
		const char *hex;
		int64_t len = 0;
		bool has_len;
		rc = get_str(l, o, p, "key", true, &kv->key);
		if (!rc)
			rc = get_str(l, o, p, "value", false, &kv->value);
		if (!rc)
			rc = get_int(l, o, p, "length", false, 0, INT64_MAX, &len, &has_len);
		if (!rc)
			rc = get_str(l, o, p, "xxh64", false, &hex);
		if (!rc)
			rc = get_int(l, o, p, "n_files", false, 0, INT64_MAX, &kv->n_files, NULL);
		if (rc)
			return rc;
		kv->has_value = kv->value || has_len;
		if (!kv->has_value)
			continue;
		if (!hex || !has_len) {
			if (!kv->value)
				return bad(l, PV_ECORRUPT, p, "a value needs 'length' and 'xxh64'");
			kv->value_len = strlen(kv->value);
			kv->xxh64 = XXH64(kv->value, kv->value_len, 0);
			continue;
		}
		char *end;
		errno = 0;
		unsigned long long h = strtoull(hex, &end, 16);
		if (errno || *end || strlen(hex) != 16) {
			char pk[80];
			snprintf(pk, sizeof pk, "%s.xxh64", p);
			return bad(l, PV_ECORRUPT, pk, "expected 16 hex digits");
		}
		kv->xxh64 = h;
		kv->value_len = (size_t)len;
	}
	return 0;
}

static int load_root(loader *l, json_t *root)
{
	pv_snapshot *s = l->s;
	if (!json_is_object(root))
		return bad(l, PV_ECORRUPT, "$", "expected an object");
	json_t *ver = json_object_get(root, "parqview_snapshot");
	if (!ver)
		return pv_err_set(l->err, PV_ECORRUPT,
				  "%s: not a parqview snapshot (no 'parqview_snapshot' version)",
				  l->name);
	if (!json_is_integer(ver) || json_integer_value(ver) < 1)
		return bad(l, PV_ECORRUPT, "$.parqview_snapshot", "expected a version number");
	if (json_integer_value(ver) > PV_SNAPSHOT_VERSION)
		return pv_err_set(l->err, PV_EUNSUPPORTED,
				  "%s: snapshot version %" JSON_INTEGER_FORMAT
				  " is newer than this parqview reads (%d)",
				  l->name, json_integer_value(ver), PV_SNAPSHOT_VERSION);
	s->version = (int)json_integer_value(ver);
	const char *src;
	int rc = get_str(l, root, "$", "source", false, &src);
	if (!rc)
		rc = get_int(l, root, "$", "n_files", true, 0, INT64_MAX, &s->n_files, NULL);
	if (!rc)
		rc = get_int(l, root, "$", "rows", true, 0, INT64_MAX, &s->n_rows, NULL);
	if (!rc)
		rc = get_bool(l, root, "$", "has_stats", &s->has_stats);
	if (!rc)
		rc = load_kv(l, root);
	json_t *cols;
	if (!rc)
		rc = get_array(l, root, "$", "columns", true, &cols);
	if (rc)
		return rc;
	size_t n = json_array_size(cols);
	if (n > MAX_FIELDS)
		return bad(l, PV_ELIMIT, "$.columns", "too many columns");
	if (n && !(s->columns = pv_arena_array(&s->arena, n, sizeof *s->columns, l->err)))
		return l->err ? l->err->code : PV_ENOMEM;
	s->n_columns = n;
	for (size_t i = 0; i < n; i++) {
		char p[64];
		snprintf(p, sizeof p, "$.columns[%zu]", i);
		if ((rc = load_field(l, json_array_get(cols, i), p, 0, &s->columns[i])))
			return rc;
		if (strcmp(s->columns[i].path, s->columns[i].name))
			return bad(l, PV_ECORRUPT, p, "a top-level path must be its name");
		for (size_t k = 0; k < i; k++)
			if (!strcmp(s->columns[k].name, s->columns[i].name))
				return bad(l, PV_ECORRUPT, p, "duplicate column name");
	}
	return 0;
}

int pv_snapshot_load_mem(const char *text, size_t n, const char *name, pv_snapshot **out,
			 pv_err *err)
{
	*out = NULL;
	if (n > PV_SNAPSHOT_MAX_BYTES)
		return pv_err_set(err, PV_ELIMIT, "%s: snapshot larger than %zu MiB", name,
				  PV_SNAPSHOT_MAX_BYTES >> 20);
	json_error_t jerr;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return pv_err_set(err, PV_ECORRUPT, "%s: not valid json: line %d, column %d: %s",
				  name, jerr.line, jerr.column, jerr.text);
	pv_snapshot *s = calloc(1, sizeof *s);
	if (!s) {
		json_decref(root);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	pv_arena_init(&s->arena, 0);
	s->loaded = true;
	loader l = { .s = s, .err = err, .name = name };
	int rc = load_root(&l, root);
	json_decref(root);
	if (!rc) {
		s->source = pv_arena_strndup(&s->arena, name, strlen(name), err);
		s->inputs = pv_arena_array(&s->arena, 1, sizeof *s->inputs, err);
		if (!s->source || !s->inputs)
			rc = err ? err->code : PV_ENOMEM;
		else {
			s->inputs[0] = s->source;
			s->n_inputs = 1;
		}
	}
	if (rc) {
		pv_snapshot_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int pv_snapshot_load(const char *path, pv_snapshot **out, pv_err *err)
{
	*out = NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return pv_err_set(err, errno == ENOENT ? PV_ENOTFOUND : PV_EIO, "%s: %s", path,
				  strerror(errno));
	struct stat st;
	if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return pv_err_set(err, PV_EIO, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > PV_SNAPSHOT_MAX_BYTES) {
		fclose(fp);
		return pv_err_set(err, PV_ELIMIT, "%s: snapshot larger than %zu MiB", path,
				  PV_SNAPSHOT_MAX_BYTES >> 20);
	}
	size_t n = (size_t)st.st_size;
	char *text = malloc(n ? n : 1);
	if (!text) {
		fclose(fp);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	size_t got = fread(text, 1, n, fp);
	bool failed = ferror(fp);
	fclose(fp);
	if (failed || got != n) {
		free(text);
		return pv_err_set(err, PV_EIO, "%s: read failed", path);
	}
	int rc = pv_snapshot_load_mem(text, n, path, out, err);
	free(text);
	return rc;
}

bool pv_snapshot_sniff(const char *path)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return false;
	unsigned char buf[256];
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	size_t i = 0;
	if (n >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
		i = 3; /* a UTF-8 byte order mark some editors add */
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return i < n && buf[i] == '{';
}

const pv_snap_field *pv_snapshot_column(const pv_snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->n_columns; i++)
		if (!strcmp(s->columns[i].name, name))
			return &s->columns[i];
	return NULL;
}

void pv_snapshot_free(pv_snapshot *s)
{
	if (!s)
		return;
	pv_arena_release(&s->arena);
	free(s);
}
