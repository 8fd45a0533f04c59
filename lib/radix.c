/*
 * Radix tree of pointers (<kernel/radix.h>).  Each level resolves six
 * bits of the index; growing adds levels on top, truncating frees
 * subtrees past the cut and drops levels that only lead to slot 0.
 * Every node keeps a bitmap of its used slots, so walks over sparse trees
 * (fork's copy, exit's truncate) visit only what is there.
 */
#include <kernel/errno.h>
#include <kernel/radix.h>
#include <kernel/slab.h>

#define RADIX_BITS	6
#define RADIX_SLOTS	(1u << RADIX_BITS)
#define RADIX_MASK	(RADIX_SLOTS - 1)
#define RADIX_MAX_HEIGHT ((64 + RADIX_BITS - 1) / RADIX_BITS)

struct radix_node {
	void *slots[RADIX_SLOTS];
	uint64_t map;			/* bit i: slots[i] is not NULL */
};

static inline uint64_t
bit(unsigned int i)
{
	return 1ull << i;
}

/* The bits of slots [i, RADIX_SLOTS), i <= RADIX_SLOTS. */
static inline uint64_t
from_slot(unsigned int i)
{
	return i < RADIX_SLOTS ? ~0ull << i : 0;
}

/* Take the lowest set bit of *m: its slot. */
static inline unsigned int
next_bit(uint64_t *m)
{
	unsigned int i = (unsigned int)__builtin_ctzll(*m);

	*m &= *m - 1;
	return i;
}

/*
 * The slots of a leaf (first index base, base <= last) that hold
 * from <= index <= last, as bits.
 */
static inline uint64_t
leaf_mask(uint64_t base, uint64_t from, uint64_t last)
{
	unsigned int i = 0, end = RADIX_SLOTS;

	if (from > base) {
		if (from - base >= RADIX_SLOTS)
			return 0;
		i = (unsigned int)(from - base);
	}
	if (last - base < RADIX_SLOTS - 1)
		end = (unsigned int)(last - base) + 1;
	return from_slot(i) & ~from_slot(end);
}

/* The slot of index in a node at level h. */
static inline unsigned int
slot_of(uint64_t index, unsigned int h)
{
	return (unsigned int)(index >> (RADIX_BITS * (h - 1))) & RADIX_MASK;
}

/* Slots a tree of this height covers: 64^height (all of them at the top). */
static bool
fits(unsigned int height, uint64_t index)
{
	return height >= RADIX_MAX_HEIGHT || (index >> (RADIX_BITS * height)) == 0;
}

/*
 * The first slot of a node at level h > 1 (first index base) that can
 * hold indexes >= from; RADIX_SLOTS when none can.  Walks then start
 * there instead of testing every slot below it.
 */
static unsigned int
first_slot(unsigned int h, uint64_t base, uint64_t from)
{
	uint64_t i;

	if (from <= base)
		return 0;
	i = (from - base) >> (RADIX_BITS * (h - 1));
	return i < RADIX_SLOTS ? (unsigned int)i : RADIX_SLOTS;
}

void *
radix_lookup(const struct radix *r, uint64_t index)
{
	void *p = r->root;

	if (!r->height || !fits(r->height, index))
		return NULL;
	for (unsigned int h = r->height; h > 0 && p; h--) {
		struct radix_node *n = p;

		p = n->slots[(index >> (RADIX_BITS * (h - 1))) & RADIX_MASK];
	}
	return p;
}

/*
 * The leaf node holding index, made (with the nodes above it) if missing;
 * NULL when out of memory.
 */
static struct radix_node *
leaf_node(struct radix *r, uint64_t index)
{
	struct radix_node *n, *parent = NULL;
	void **slot;
	unsigned int i = 0;

	if (!r->height)
		r->height = 1;
	while (!fits(r->height, index)) {
		if (r->root) {
			n = kzalloc(sizeof(*n));
			if (!n)
				return NULL;
			n->slots[0] = r->root;
			n->map = bit(0);
			r->root = n;
		}
		r->height++;
	}
	slot = &r->root;
	for (unsigned int h = r->height; h > 0; h--) {
		if (!*slot) {
			n = kzalloc(sizeof(*n));
			if (!n)
				return NULL;
			*slot = n;
			if (parent)
				parent->map |= bit(i);
		}
		parent = *slot;
		if (h > 1) {
			i = slot_of(index, h);
			slot = &parent->slots[i];
		}
	}
	return parent;
}

/*
 * Copy src's items in [from, last] below node n (level h, first index
 * base) into dst, a leaf at a time.
 */
static int
copy_node(struct radix *dst, const struct radix_node *n, unsigned int h, uint64_t base,
	  uint64_t from, uint64_t last, void (*copied)(void *, void *), void *arg)
{
	unsigned int shift = RADIX_BITS * (h - 1), i;
	struct radix_node *leaf;
	uint64_t m;
	size_t added = 0;
	int err;

	if (h > 1) {
		for (m = n->map & from_slot(first_slot(h, base, from)); m;) {
			uint64_t lo, span_last;

			i = next_bit(&m);
			lo = base + ((uint64_t)i << shift);
			if (lo > last)
				break;
			span_last = lo + (shift >= 64 ? ~0ull : ((1ull << shift) - 1));
			if (span_last >= from) {
				err = copy_node(dst, n->slots[i], h - 1, lo, from, last, copied, arg);
				if (err)
					return err;
			}
			if (shift < 64 && lo > ~0ull - (1ull << shift))
				break;		/* the last slot of the index space */
		}
		return 0;
	}
	/* A leaf: 64 consecutive indexes from base. */
	m = n->map & leaf_mask(base, from, last);
	if (!m)
		return 0;
	leaf = leaf_node(dst, base);
	if (!leaf)
		return -ENOMEM;
	if (leaf->map & m)
		return -EEXIST;
	leaf->map |= m;
	while (m) {
		void *item = n->slots[i = next_bit(&m)];

		leaf->slots[i] = item;
		added++;
		if (copied)
			copied(item, arg);
	}
	dst->count += added;
	return 0;
}

int
radix_copy_range(struct radix *dst, const struct radix *src, uint64_t from, uint64_t last,
		 void (*copied)(void *item, void *arg), void *arg)
{
	if (!src->root || from > last)
		return 0;
	return copy_node(dst, src->root, src->height, 0, from, last, copied, arg);
}

int
radix_insert(struct radix *r, uint64_t index, void *item)
{
	struct radix_node *leaf;
	unsigned int i = (unsigned int)index & RADIX_MASK;

	if (!item)
		return -EINVAL;
	leaf = leaf_node(r, index);
	if (!leaf)
		return -ENOMEM;
	if (leaf->map & bit(i))
		return -EEXIST;
	leaf->slots[i] = item;
	leaf->map |= bit(i);
	r->count++;
	return 0;
}

/*
 * Release everything at from <= index <= last below node (level h covers
 * 64^h slots starting at base); true if the node is now empty (freed).
 */
static bool
truncate_node(struct radix *r, struct radix_node *n, unsigned int h, uint64_t base,
	      uint64_t from, uint64_t last, void (*release)(void *, void *), void *arg)
{
	unsigned int shift = RADIX_BITS * (h - 1), i;
	uint64_t m;

	if (h == 1) {
		size_t removed = 0;

		m = n->map & leaf_mask(base, from, last);
		n->map &= ~m;
		while (m) {
			void *item = n->slots[i = next_bit(&m)];

			n->slots[i] = NULL;
			removed++;
			if (release)
				release(item, arg);
		}
		r->count -= removed;
		goto done;
	}
	for (m = n->map & from_slot(first_slot(h, base, from)); m;) {
		uint64_t lo, span_last;

		i = next_bit(&m);
		lo = base + ((uint64_t)i << shift);
		if (lo > last)
			break;
		span_last = lo + (shift >= 64 ? ~0ull : ((1ull << shift) - 1));
		if (span_last < from)
			continue;
		if (truncate_node(r, n->slots[i], h - 1, lo, from, last, release, arg)) {
			n->slots[i] = NULL;
			n->map &= ~bit(i);
		}
		if (shift < 64 && lo > ~0ull - (1ull << shift))
			break;			/* the last slot of the index space */
	}
done:
	if (n->map)
		return false;
	kfree(n);
	return true;
}

void
radix_remove_range(struct radix *r, uint64_t from, uint64_t last,
		   void (*release)(void *item, void *arg), void *arg)
{
	if (!r->root || from > last)
		return;
	if (truncate_node(r, r->root, r->height, 0, from, last, release, arg)) {
		r->root = NULL;
		r->height = 0;
		return;
	}
	/* Drop top levels that only lead to slot 0. */
	while (r->height > 1) {
		struct radix_node *n = r->root;

		if (n->map != bit(0))
			break;
		r->root = n->slots[0];
		kfree(n);
		r->height--;
	}
}

void
radix_truncate(struct radix *r, uint64_t from, void (*release)(void *item, void *arg),
	       void *arg)
{
	radix_remove_range(r, from, ~0ull, release, arg);
}

void *
radix_replace(struct radix *r, uint64_t index, void *item)
{
	void **slot = NULL, *p = r->root;

	if (!item || !r->height || !fits(r->height, index))
		return NULL;
	for (unsigned int h = r->height; h > 0 && p; h--) {
		struct radix_node *n = p;

		slot = &n->slots[(index >> (RADIX_BITS * (h - 1))) & RADIX_MASK];
		p = *slot;
	}
	if (p)
		*slot = item;
	return p;
}

void *
radix_delete(struct radix *r, uint64_t index)
{
	void *item = radix_lookup(r, index);

	if (item)
		radix_remove_range(r, index, index, NULL, NULL);
	return item;
}

/* The first item at index >= from below node, or NULL. */
static void *
next_in(const struct radix_node *n, unsigned int h, uint64_t base, uint64_t from,
	uint64_t *index)
{
	unsigned int shift = RADIX_BITS * (h - 1);

	for (uint64_t m = n->map & from_slot(first_slot(h, base, from)); m;) {
		unsigned int i = next_bit(&m);
		uint64_t lo = base + ((uint64_t)i << shift);
		uint64_t span_last = lo + (shift >= 64 ? ~0ull : ((1ull << shift) - 1));
		void *item;

		if (span_last < from)
			continue;
		if (h == 1) {
			*index = lo;
			return n->slots[i];
		}
		item = next_in(n->slots[i], h - 1, lo, from, index);
		if (item)
			return item;
		if (shift < 64 && lo > ~0ull - (1ull << shift))
			break;
	}
	return NULL;
}

void *
radix_next(const struct radix *r, uint64_t from, uint64_t *index)
{
	if (!r->root || !fits(r->height, from))
		return NULL;
	return next_in(r->root, r->height, 0, from, index);
}
