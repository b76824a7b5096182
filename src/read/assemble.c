/*
 * assemble.c - the Arrow node tree of a schema and Dremel record assembly
 * into Arrow arrays (see assemble.h), plus the self-owning ArrowArray.
 * Includes base, format and read.
 */
#include "read/assemble.h"

#include <stdlib.h>
#include <string.h>

#include "base/checked.h"
#include "base/spare.h"
#include "base/banned.h"

/* ------------------------------------------------------------------ ArrowArray */

typedef struct aarray_priv {
	void *bufs[3];
	size_t caps[3];       /* bytes, when known: such buffers go to the spare cache */
	const void *ptrs[3];
	struct ArrowArray *kids;
	struct ArrowArray **kid_ptrs;
	size_t n_kids;
} aarray_priv;

static void aarray_release(struct ArrowArray *a)
{
	if (!a || !a->release)
		return;
	aarray_priv *p = a->private_data;
	if (p) {
		for (size_t i = 0; i < p->n_kids; i++)
			if (p->kid_ptrs[i] && p->kid_ptrs[i]->release)
				p->kid_ptrs[i]->release(p->kid_ptrs[i]);
		for (int i = 0; i < 3; i++)
			pv_spare_give(p->bufs[i], p->caps[i]);
		free(p->kids);
		free(p->kid_ptrs);
		free(p);
	}
	a->release = NULL;
	a->private_data = NULL;
}

int pv_aarray_init(struct ArrowArray *out, int64_t length, int64_t null_count, int n_buffers,
		   size_t n_children, pv_err *err)
{
	memset(out, 0, sizeof *out);
	aarray_priv *p = calloc(1, sizeof *p);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	if (n_children) {
		p->kids = calloc(n_children, sizeof *p->kids);
		p->kid_ptrs = calloc(n_children, sizeof *p->kid_ptrs);
		if (!p->kids || !p->kid_ptrs) {
			free(p->kids);
			free(p->kid_ptrs);
			free(p);
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < n_children; i++)
			p->kid_ptrs[i] = &p->kids[i];
	}
	p->n_kids = n_children;
	out->length = length;
	out->null_count = null_count;
	out->offset = 0;
	out->n_buffers = n_buffers;
	out->n_children = (int64_t)n_children;
	out->buffers = p->ptrs;
	out->children = n_children ? p->kid_ptrs : NULL;
	out->dictionary = NULL;
	out->release = aarray_release;
	out->private_data = p;
	return 0;
}

void pv_aarray_set_buffer_cap(struct ArrowArray *a, int i, void *buf, size_t cap)
{
	aarray_priv *p = a->private_data;
	pv_spare_give(p->bufs[i], p->caps[i]);
	p->bufs[i] = buf;
	p->caps[i] = cap;
	p->ptrs[i] = buf;
}

void pv_aarray_set_buffer(struct ArrowArray *a, int i, void *buf)
{
	pv_aarray_set_buffer_cap(a, i, buf, 0);
}

/* ------------------------------------------------------------------ the tree */

static pv_anode *new_node(pv_atree *t, pv_anode_kind kind, const char *name, pv_err *err)
{
	pv_anode *a = pv_arena_alloc(&t->arena, sizeof *a, err);
	if (!a)
		return NULL;
	a->kind = kind;
	a->name = name ? name : "";
	a->rep_leaf = SIZE_MAX;
	return a;
}

static bool set_children(pv_atree *t, pv_anode *a, size_t n, pv_err *err)
{
	a->n_children = n;
	if (!n)
		return true;
	a->children = pv_arena_array(&t->arena, n, sizeof *a->children, err);
	return a->children != NULL;
}

static pv_anode *build(pv_atree *t, const pv_schema_node *n, int sdef, int srep, bool consumed,
		       const char *name, pv_err *err);

/* The first child with a leaf below it gives the node's slots. */
static void inherit_rep_leaf(pv_anode *a)
{
	for (size_t i = 0; i < a->n_children && a->rep_leaf == SIZE_MAX; i++)
		a->rep_leaf = a->children[i]->rep_leaf;
}

static pv_anode *build_map(pv_atree *t, pv_anode *a, const pv_schema_node *n, pv_err *err)
{
	const pv_schema_node *r = n->children[0];
	a->kind = PV_AN_MAP;
	a->elem_def = r->max_def;
	a->elem_rep = r->max_rep;
	pv_anode *e = new_node(t, PV_AN_STRUCT, "entries", err);
	if (!e || !set_children(t, a, 1, err) || !set_children(t, e, 2, err))
		return NULL;
	a->children[0] = e;
	e->node = r;
	e->nullable = false;
	e->def = r->max_def;
	e->slot_def = r->max_def;
	e->slot_rep = r->max_rep;
	e->children[0] = build(t, n->map_key, r->max_def, r->max_rep, false, "key", err);
	if (!e->children[0])
		return NULL;
	if (n->map_value) {
		e->children[1] = build(t, n->map_value, r->max_def, r->max_rep, false, "value", err);
	} else {
		pv_anode *v = new_node(t, PV_AN_NULL, "value", err);
		if (v) {
			v->nullable = true;
			v->slot_def = r->max_def;
			v->slot_rep = r->max_rep;
		}
		e->children[1] = v;
	}
	if (!e->children[1])
		return NULL;
	inherit_rep_leaf(e);
	a->rep_leaf = e->rep_leaf;
	return a;
}

static pv_anode *build(pv_atree *t, const pv_schema_node *n, int sdef, int srep, bool consumed,
		       const char *name, pv_err *err)
{
	if (n->repetition == PV_REP_REPEATED && !consumed) {
		/* a repeated field on its own: a required list of its values */
		pv_anode *l = new_node(t, PV_AN_LIST, name, err);
		if (!l || !set_children(t, l, 1, err))
			return NULL;
		l->node = n;
		l->nullable = false;
		l->def = (int16_t)sdef;
		l->slot_def = (int16_t)sdef;
		l->slot_rep = (int16_t)srep;
		l->elem_def = n->max_def;
		l->elem_rep = n->max_rep;
		l->children[0] = build(t, n, n->max_def, n->max_rep, true, name, err);
		if (!l->children[0])
			return NULL;
		l->rep_leaf = l->children[0]->rep_leaf;
		return l;
	}
	pv_anode *a = new_node(t, PV_AN_STRUCT, name, err);
	if (!a)
		return NULL;
	a->node = n;
	a->nullable = n->repetition == PV_REP_OPTIONAL;
	a->def = n->max_def;
	a->slot_def = (int16_t)sdef;
	a->slot_rep = (int16_t)srep;
	if (n->is_leaf) {
		a->kind = PV_AN_LEAF;
		a->leaf = t->n_leaves;
		a->rep_leaf = t->n_leaves;
		t->leaves[t->n_leaves++] = n;
		pv_arrowtype_leaf(n, &a->lt);
		return a;
	}
	if (n->shape == PV_SHAPE_LIST) {
		const pv_schema_node *r = n->children[0];
		const pv_schema_node *e = n->list_element;
		a->kind = PV_AN_LIST;
		a->elem_def = r->max_def;
		a->elem_rep = r->max_rep;
		if (!set_children(t, a, 1, err))
			return NULL;
		a->children[0] = build(t, e, r->max_def, r->max_rep, e == r, e->name, err);
		if (!a->children[0])
			return NULL;
		a->rep_leaf = a->children[0]->rep_leaf;
		return a;
	}
	if (n->shape == PV_SHAPE_MAP)
		return build_map(t, a, n, err);
	a->ext_name = pv_arrowtype_group_ext(n);
	if (!set_children(t, a, n->n_children, err))
		return NULL;
	for (size_t i = 0; i < n->n_children; i++) {
		const pv_schema_node *ch = n->children[i];
		a->children[i] = build(t, ch, sdef, srep, false, ch->name, err);
		if (!a->children[i])
			return NULL;
	}
	inherit_rep_leaf(a);
	return a;
}

int pv_atree_build(pv_atree *t, const pv_schema *s, const size_t *fields, size_t n_fields,
		   pv_err *err)
{
	memset(t, 0, sizeof *t);
	pv_arena_init(&t->arena, 0);
	const pv_schema_node *root = s->root;
	if (!fields)
		n_fields = root->n_children;
	for (size_t i = 0; fields && i < n_fields; i++)
		if (fields[i] >= root->n_children)
			return pv_err_set(err, PV_EINVAL, "field %zu out of range (the schema has %zu)",
					  fields[i], root->n_children);
	/* a field may be selected twice: count leaves per selection */
	size_t n_leaves = 0;
	for (size_t i = 0; i < n_fields; i++) {
		const pv_schema_node *f = root->children[fields ? fields[i] : i];
		for (size_t k = 0; k < s->n_leaves; k++) {
			const pv_schema_node *x = s->leaves[k];
			while (x && x != f)
				x = x->parent;
			n_leaves += x != NULL;
		}
	}
	t->leaves = pv_arena_array(&t->arena, n_leaves ? n_leaves : 1, sizeof *t->leaves, err);
	t->fields = pv_arena_array(&t->arena, n_fields ? n_fields : 1, sizeof *t->fields, err);
	if (!t->leaves || !t->fields)
		return err ? err->code : PV_ENOMEM;
	for (size_t i = 0; i < n_fields; i++) {
		const pv_schema_node *f = root->children[fields ? fields[i] : i];
		t->fields[i] = build(t, f, 0, 0, false, f->name, err);
		if (!t->fields[i])
			return err ? err->code : PV_ENOMEM;
	}
	t->n_fields = n_fields;
	return 0;
}

void pv_atree_release(pv_atree *t)
{
	if (!t)
		return;
	pv_arena_release(&t->arena);
	memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ schema */

static int node_schema(const pv_anode *a, struct ArrowSchema *out, pv_err *err)
{
	int64_t flags = a->nullable ? ARROW_FLAG_NULLABLE : 0;
	int rc;
	switch (a->kind) {
	case PV_AN_LEAF:
		return pv_aschema_leaf(out, &a->lt, a->name, a->nullable, err);
	case PV_AN_NULL:
		return pv_aschema_init(out, "n", a->name, NULL, 0, ARROW_FLAG_NULLABLE, 0, err);
	case PV_AN_LIST:
		rc = pv_aschema_init(out, "+l", a->name, NULL, 0, flags, 1, err);
		break;
	case PV_AN_MAP:
		rc = pv_aschema_init(out, "+m", a->name, NULL, 0, flags, 1, err);
		break;
	case PV_AN_STRUCT:
	default: {
		size_t mlen = 0;
		char *meta = NULL;
		if (a->ext_name) {
			const char *kv[2] = { "ARROW:extension:name", a->ext_name };
			if (!(meta = pv_arrow_metadata_encode(kv, 1, &mlen, err))) {
				memset(out, 0, sizeof *out);
				return PV_ENOMEM;
			}
		}
		rc = pv_aschema_init(out, "+s", a->name, meta, mlen, flags, a->n_children, err);
		free(meta);
		break;
	}
	}
	if (rc)
		return rc;
	for (size_t i = 0; i < a->n_children; i++) {
		if ((rc = node_schema(a->children[i], out->children[i], err))) {
			out->release(out);
			return rc;
		}
	}
	return 0;
}

int pv_atree_schema(const pv_atree *t, struct ArrowSchema *out, pv_err *err)
{
	int rc = pv_aschema_init(out, "+s", "", NULL, 0, 0, t->n_fields, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < t->n_fields; i++) {
		if ((rc = node_schema(t->fields[i], out->children[i], err))) {
			out->release(out);
			return rc;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ assembly */

typedef struct asm_ctx {
	const pv_atree *t;
	pv_colbuf *cols;
} asm_ctx;

static int no_mem(pv_err *err)
{
	return pv_err_set(err, PV_ENOMEM, "out of memory");
}

static uint8_t *new_bitmap(int64_t n)
{
	return calloc((size_t)(n + 7) / 8 + 1, 1);
}

static inline void bit_set(uint8_t *b, int64_t i)
{
	b[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static const char *node_path(const pv_anode *a)
{
	return a->node && a->node->path ? a->node->path : a->name;
}

static int length_mismatch(const pv_anode *a, int64_t got, int64_t expect, pv_err *err)
{
	return pv_err_set(err, PV_ECORRUPT,
			  "field '%s': %lld entries where %lld are expected (columns of different lengths)",
			  node_path(a), (long long)got, (long long)expect);
}

static int asm_node(const asm_ctx *x, const pv_anode *a, size_t rep_leaf, int64_t expect,
		    struct ArrowArray *out, pv_err *err);

/* The slots of a (with validity when nullable) from leaf column col. */
typedef struct slots {
	int64_t n;
	int64_t nulls;
	uint8_t *valid; /* NULL when no slot is null */
} slots;

static int count_slots(const pv_anode *a, const pv_colbuf *col, slots *s, pv_err *err)
{
	memset(s, 0, sizeof *s);
	const int16_t *d = col->def, *r = col->rep;
	size_t n = col->n_levels;
	int16_t sd = a->slot_def, sr = a->slot_rep, vd = a->def;
	int64_t k = 0, nulls = 0;
	if (!r) {
		/* no list above: every level is a slot */
		k = (int64_t)n;
		if (d)
			for (size_t i = 0; i < n; i++)
				nulls += d[i] < vd;
	} else {
		for (size_t i = 0; i < n; i++) {
			if (d[i] >= sd && r[i] <= sr) {
				k++;
				nulls += d[i] < vd;
			}
		}
	}
	s->n = k;
	if (!a->nullable || nulls == 0)
		return 0;
	s->nulls = nulls;
	if (!(s->valid = new_bitmap(k)))
		return no_mem(err);
	int64_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (!r || (d[i] >= sd && r[i] <= sr)) {
			if (d[i] >= vd)
				bit_set(s->valid, j);
			j++;
		}
	}
	return 0;
}

/* Hands the column's decoded values buffer to buffer i of an Arrow array
 * (the column forgets it; the array gives it back to the spare cache); a
 * column without values gets a 1-byte buffer, since Arrow wants a
 * non-NULL data buffer. -1 only when that malloc fails. */
static int take_values(pv_colbuf *col, struct ArrowArray *out, int i)
{
	uint8_t *data = col->values;
	size_t cap = col->values_cap;
	if (!data && !(data = malloc(1)))
		return -1;
	col->values = NULL;
	col->values_cap = col->values_len = 0;
	pv_aarray_set_buffer_cap(out, i, data, cap);
	return 0;
}

/* The same for the offsets of a column whose every slot holds a value. */
static void take_offsets(pv_colbuf *col, struct ArrowArray *out)
{
	pv_aarray_set_buffer_cap(out, 1, col->offsets, col->offsets_cap * sizeof *col->offsets);
	col->offsets = NULL;
	col->offsets_cap = 0;
}

/* Buffer 1 of out for n fixed-width slots of w bytes: the column's own
 * values when every slot holds one (*out_vals NULL: nothing to fill),
 * else a new buffer for the caller to fill, null slots included (zeroed
 * by the caller rather than by calloc: a cached buffer needs no fresh
 * pages). -1 when memory runs out. */
static int fixed_values(pv_colbuf *col, bool dense, int64_t n, size_t w, struct ArrowArray *out,
			uint8_t **out_vals)
{
	*out_vals = NULL;
	if (dense && col->values)
		return take_values(col, out, 1);
	size_t bytes, cap;
	uint8_t *vals;
	if (!pv_mul_size((size_t)n, w, &bytes) || !(vals = pv_spare_alloc(bytes, &cap)))
		return -1;
	pv_aarray_set_buffer_cap(out, 1, vals, cap);
	*out_vals = vals;
	return 0;
}

/* A leaf where every level is a slot (no repeated ancestor, top-level
 * slots): slot i is level i, so no slot condition is evaluated. */
static int asm_leaf_flat(pv_colbuf *col, const pv_anode *a, struct ArrowArray *out, pv_err *err)
{
	const int16_t *d = col->def;
	int64_t n = (int64_t)col->n_levels;
	int16_t md = a->node->max_def;
	bool dense = col->n_values == (size_t)n;
	int64_t nulls = a->nullable ? n - (int64_t)col->n_values : 0;
	const pv_leaftype *lt = &a->lt;
	int rc = pv_aarray_init(out, n, nulls, lt->conv == PV_ACONV_BINARY ? 3 : 2, 0, err);
	if (rc)
		return rc;
	if (nulls > 0) {
		uint8_t *valid = new_bitmap(n);
		if (!valid)
			goto nomem;
		for (int64_t i = 0; i < n; i += 8) {
			uint8_t byte = 0;
			int64_t m = n - i < 8 ? n - i : 8;
			for (int64_t k = 0; k < m; k++)
				byte |= (uint8_t)((d[i + k] == md) << k);
			valid[i >> 3] = byte;
		}
		pv_aarray_set_buffer(out, 0, valid);
	}
	if (lt->conv == PV_ACONV_BOOL) {
		uint8_t *bits = new_bitmap(n);
		if (!bits)
			goto nomem;
		const uint8_t *v = col->values;
		size_t k = 0;
		for (int64_t i = 0; i < n; i++)
			if (!d || d[i] == md)
				bits[i >> 3] |= (uint8_t)((v[k++] != 0) << (i & 7));
		pv_aarray_set_buffer(out, 1, bits);
		return 0;
	}
	if (lt->conv == PV_ACONV_BINARY) {
		if (dense && col->offsets) {
			take_offsets(col, out);
		} else {
			size_t cap;
			int32_t *offs = pv_spare_alloc(((size_t)n + 1) * sizeof *offs, &cap);
			if (!offs)
				goto nomem;
			pv_aarray_set_buffer_cap(out, 1, offs, cap);
			const int32_t *src = col->offsets;
			int32_t o = 0;
			size_t k = 0;
			offs[0] = 0;
			for (int64_t i = 0; i < n; i++) {
				if (d[i] == md)
					o = src[++k];
				offs[i + 1] = o;
			}
		}
		if (take_values(col, out, 2))
			goto nomem;
		return 0;
	}
	size_t w = lt->width;
	uint8_t *vals;
	if (fixed_values(col, dense, n, w, out, &vals))
		goto nomem;
	if (!vals)
		return 0;
	const uint8_t *src = col->values;
	size_t k = 0;
	for (int64_t i = 0; i < n; i++) {
		if (d[i] == md)
			memcpy(vals + (size_t)i * w, src + (k++) * w, w);
		else
			memset(vals + (size_t)i * w, 0, w);
	}
	return 0;
nomem:
	out->release(out);
	return no_mem(err);
}

static int asm_leaf(const asm_ctx *x, const pv_anode *a, int64_t expect, struct ArrowArray *out,
		    pv_err *err)
{
	pv_colbuf *col = &x->cols[a->leaf];
	const int16_t *d = col->def, *r = col->rep;
	size_t nl = col->n_levels;
	int16_t sd = a->slot_def, sr = a->slot_rep, md = a->node->max_def;
	if (!r && sd == 0) {
		if ((int64_t)nl != expect)
			return length_mismatch(a, (int64_t)nl, expect, err);
		return asm_leaf_flat(col, a, out, err);
	}
	/* below a list: a repeated ancestor means both level kinds exist */
	if (!r || !d)
		return pv_err_set(err, PV_EINTERNAL, "field '%s': nested without levels", node_path(a));
	/* slots, and which of them hold a value */
	int64_t n = 0, present = 0;
	for (size_t i = 0; i < nl; i++) {
		int16_t dv = d[i], rv = r[i];
		if (dv >= sd && rv <= sr) {
			n++;
			present += dv == md;
		}
	}
	if (n != expect)
		return length_mismatch(a, n, expect, err);
	if ((size_t)present != col->n_values)
		return pv_err_set(err, PV_EINTERNAL, "field '%s': %lld values for %lld present slots",
				  node_path(a), (long long)col->n_values, (long long)present);
	bool dense = present == n; /* every slot holds a value: the buffers fit as they are */
	int64_t nulls = a->nullable ? n - present : 0;
	const pv_leaftype *lt = &a->lt;
	int n_buffers = lt->conv == PV_ACONV_BINARY ? 3 : 2;
	int rc = pv_aarray_init(out, n, nulls, n_buffers, 0, err);
	if (rc)
		return rc;
	uint8_t *valid = NULL;
	/* the slot index of each present value, walked in step below */
	if (nulls > 0) {
		if (!(valid = new_bitmap(n)))
			goto nomem;
		int64_t j = 0;
		for (size_t i = 0; i < nl; i++) {
			int16_t dv = d[i], rv = r[i];
			if (dv >= sd && rv <= sr) {
				if (dv == md)
					bit_set(valid, j);
				j++;
			}
		}
		pv_aarray_set_buffer(out, 0, valid);
	}
	if (lt->conv == PV_ACONV_BOOL) {
		uint8_t *bits = new_bitmap(n);
		if (!bits)
			goto nomem;
		const uint8_t *v = col->values;
		int64_t j = 0, k = 0;
		for (size_t i = 0; i < nl; i++) {
			int16_t dv = d[i], rv = r[i];
			if (dv >= sd && rv <= sr) {
				if (dv == md && v[k++])
					bit_set(bits, j);
				j++;
			}
		}
		pv_aarray_set_buffer(out, 1, bits);
		return 0;
	}
	if (lt->conv == PV_ACONV_BINARY) {
		if (dense && col->offsets) {
			take_offsets(col, out);
		} else {
			size_t cap;
			int32_t *offs = pv_spare_alloc(((size_t)n + 1) * sizeof *offs, &cap);
			if (!offs)
				goto nomem;
			pv_aarray_set_buffer_cap(out, 1, offs, cap);
			offs[0] = 0;
			const int32_t *src = col->offsets;
			int64_t j = 0, k = 0;
			for (size_t i = 0; i < nl; i++) {
				int16_t dv = d[i], rv = r[i];
				if (dv >= sd && rv <= sr) {
					if (dv == md)
						k++;
					offs[j + 1] = k ? src[k] : 0;
					j++;
				}
			}
		}
		if (take_values(col, out, 2))
			goto nomem;
		return 0;
	}
	size_t w = lt->width;
	uint8_t *vals;
	if (fixed_values(col, dense, n, w, out, &vals))
		goto nomem;
	if (!vals)
		return 0;
	const uint8_t *src = col->values;
	int64_t j = 0, k = 0;
	for (size_t i = 0; i < nl; i++) {
		int16_t dv = d[i], rv = r[i];
		if (dv >= sd && rv <= sr) {
			if (dv == md) {
				memcpy(vals + (size_t)j * w, src + (size_t)k * w, w);
				k++;
			} else {
				memset(vals + (size_t)j * w, 0, w);
			}
			j++;
		}
	}
	return 0;
nomem:
	out->release(out);
	return no_mem(err);
}

static int asm_struct(const asm_ctx *x, const pv_anode *a, size_t rep_leaf, int64_t expect,
		      struct ArrowArray *out, pv_err *err)
{
	slots s = { 0 };
	if (rep_leaf != SIZE_MAX) {
		int rc = count_slots(a, &x->cols[rep_leaf], &s, err);
		if (rc)
			return rc;
		if (s.n != expect) {
			free(s.valid);
			return length_mismatch(a, s.n, expect, err);
		}
	} else {
		s.n = expect;
	}
	int rc = pv_aarray_init(out, s.n, s.nulls, 1, a->n_children, err);
	if (rc) {
		free(s.valid);
		return rc;
	}
	pv_aarray_set_buffer(out, 0, s.valid);
	for (size_t i = 0; i < a->n_children; i++) {
		const pv_anode *ch = a->children[i];
		size_t rl = ch->rep_leaf != SIZE_MAX ? ch->rep_leaf : rep_leaf;
		if ((rc = asm_node(x, ch, rl, s.n, out->children[i], err))) {
			out->release(out);
			return rc;
		}
	}
	return 0;
}

static int asm_list(const asm_ctx *x, const pv_anode *a, size_t rep_leaf, int64_t expect,
		    struct ArrowArray *out, pv_err *err)
{
	const pv_colbuf *col = &x->cols[rep_leaf];
	const int16_t *d = col->def, *r = col->rep;
	size_t nl = col->n_levels;
	int16_t sd = a->slot_def, sr = a->slot_rep, vd = a->def;
	int16_t ed = a->elem_def, er = a->elem_rep;
	if (!r || !d)
		return pv_err_set(err, PV_EINTERNAL, "field '%s': a list without levels", node_path(a));
	int64_t n = 0, nulls = 0;
	for (size_t i = 0; i < nl; i++) {
		int16_t dv = d[i], rv = r[i];
		if (dv >= sd && rv <= sr) {
			n++;
			nulls += dv < vd;
		}
	}
	if (n != expect)
		return length_mismatch(a, n, expect, err);
	if (!a->nullable)
		nulls = 0;
	int rc = pv_aarray_init(out, n, nulls, 2, 1, err);
	if (rc)
		return rc;
	uint8_t *valid = NULL;
	if (nulls > 0 && !(valid = new_bitmap(n)))
		goto nomem;
	pv_aarray_set_buffer(out, 0, valid);
	int32_t *offs = malloc(((size_t)n + 1) * sizeof *offs);
	if (!offs)
		goto nomem;
	pv_aarray_set_buffer(out, 1, offs);
	int64_t j = 0, count = 0;
	offs[0] = 0;
	for (size_t i = 0; i < nl; i++) {
		int16_t dv = d[i], rv = r[i];
		if (dv >= sd && rv <= sr) {
			if (j > 0)
				offs[j] = (int32_t)count;
			if (valid && dv >= vd)
				bit_set(valid, j);
			j++;
		}
		if (dv >= ed && rv <= er && j > 0) {
			if (count == INT32_MAX) {
				out->release(out);
				return pv_err_set(err, PV_ELIMIT,
						  "field '%s': more than %d list entries in one batch: read fewer rows",
						  node_path(a), INT32_MAX);
			}
			count++;
		}
	}
	offs[n] = (int32_t)count;
	const pv_anode *ch = a->children[0];
	size_t rl = ch->rep_leaf != SIZE_MAX ? ch->rep_leaf : rep_leaf;
	if ((rc = asm_node(x, ch, rl, count, out->children[0], err))) {
		out->release(out);
		return rc;
	}
	return 0;
nomem:
	out->release(out);
	return no_mem(err);
}

static int asm_node(const asm_ctx *x, const pv_anode *a, size_t rep_leaf, int64_t expect,
		    struct ArrowArray *out, pv_err *err)
{
	switch (a->kind) {
	case PV_AN_LEAF:
		return asm_leaf(x, a, expect, out, err);
	case PV_AN_NULL:
		return pv_aarray_init(out, expect, expect, 0, 0, err);
	case PV_AN_LIST:
	case PV_AN_MAP:
		if (rep_leaf == SIZE_MAX) {
			/* a list with no leaf below it cannot be: the schema has one */
			return pv_err_set(err, PV_EINTERNAL, "field '%s' has no leaf", node_path(a));
		}
		return asm_list(x, a, rep_leaf, expect, out, err);
	case PV_AN_STRUCT:
	default:
		return asm_struct(x, a, rep_leaf, expect, out, err);
	}
}

int pv_assemble(const pv_atree *t, pv_colbuf *cols, int64_t n_rows, struct ArrowArray *out,
		pv_err *err)
{
	asm_ctx x = { t, cols };
	int rc = pv_aarray_init(out, n_rows, 0, 1, t->n_fields, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < t->n_fields; i++) {
		const pv_anode *f = t->fields[i];
		if ((rc = asm_node(&x, f, f->rep_leaf, n_rows, out->children[i], err))) {
			out->release(out);
			return rc;
		}
	}
	return 0;
}
