/*
 * Radix tree of pointers (<kernel/radix.h>).  Each level resolves six
 * bits of the index; growing adds levels on top, truncating frees
 * subtrees past the cut and drops levels that only lead to slot 0.
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
	unsigned int used;		/* non-NULL slots */
};

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

	if (!r->height)
		r->height = 1;
	while (!fits(r->height, index)) {
		if (r->root) {
			n = kzalloc(sizeof(*n));
			if (!n)
				return NULL;
			n->slots[0] = r->root;
			n->used = 1;
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
				parent->used++;
		}
		parent = *slot;
		if (h > 1)
			slot = &parent->slots[(index >> (RADIX_BITS * (h - 1))) & RADIX_MASK];
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
	unsigned int shift = RADIX_BITS * (h - 1);
	unsigned int i = 0, end = RADIX_SLOTS;
	struct radix_node *leaf;
	int err;

	if (h > 1) {
		unsigned int left = n->used;	/* children not yet met */

		for (i = first_slot(h, base, from); i < RADIX_SLOTS && left; i++) {
			uint64_t lo, span_last;

			if (!n->slots[i])
				continue;
			left--;
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
	if (from > base) {
		if (from - base >= RADIX_SLOTS)
			return 0;
		i = (unsigned int)(from - base);
	}
	if (last - base < RADIX_SLOTS - 1)
		end = (unsigned int)(last - base) + 1;
	while (i < end && !n->slots[i])
		i++;
	if (i == end)
		return 0;
	leaf = leaf_node(dst, base);
	if (!leaf)
		return -ENOMEM;
	err = 0;
	{
		unsigned int added = 0;

		/* Counts kept in registers: copied never touches the trees. */
		for (; i < end; i++) {
			void *item = n->slots[i];

			if (!item)
				continue;
			if (leaf->slots[i]) {
				err = -EEXIST;
				break;
			}
			leaf->slots[i] = item;
			added++;
			if (copied)
				copied(item, arg);
		}
		leaf->used += added;
		dst->count += added;
	}
	return err;
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
	struct radix_node *n, *parent = NULL;
	void **slot;

	if (!item)
		return -EINVAL;
	if (!r->height)
		r->height = 1;
	while (!fits(r->height, index)) {
		if (r->root) {
			n = kzalloc(sizeof(*n));
			if (!n)
				return -ENOMEM;
			n->slots[0] = r->root;
			n->used = 1;
			r->root = n;
		}
		r->height++;
	}
	slot = &r->root;
	for (unsigned int h = r->height; h > 0; h--) {
		if (!*slot) {
			n = kzalloc(sizeof(*n));
			if (!n)
				return -ENOMEM;
			*slot = n;
			if (parent)
				parent->used++;
		}
		parent = *slot;
		slot = &parent->slots[(index >> (RADIX_BITS * (h - 1))) & RADIX_MASK];
	}
	if (*slot)
		return -EEXIST;
	*slot = item;
	parent->used++;
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
	unsigned int shift = RADIX_BITS * (h - 1);

	if (h == 1) {
		/* A leaf: slots [i, end) are in range, one tight loop. */
		unsigned int i = 0, end = RADIX_SLOTS;

		if (from > base) {
			if (from - base >= RADIX_SLOTS)
				goto done;
			i = (unsigned int)(from - base);
		}
		if (last - base < RADIX_SLOTS - 1)
			end = (unsigned int)(last - base) + 1;
		unsigned int used = n->used, removed = 0;

		/* Counts kept in registers: release never touches the tree. */
		for (; i < end && used; i++) {
			void *item = n->slots[i];

			if (!item)
				continue;
			n->slots[i] = NULL;
			used--;
			removed++;
			if (release)
				release(item, arg);
		}
		n->used = used;
		r->count -= removed;
		goto done;
	}
	/* Children not yet met: none left ends the scan (sparse trees have one or two). */
	unsigned int left = n->used;

	for (unsigned int i = first_slot(h, base, from); i < RADIX_SLOTS && left; i++) {
		uint64_t lo, span_last;

		if (!n->slots[i])
			continue;
		left--;
		lo = base + ((uint64_t)i << shift);
		if (lo > last)
			break;
		span_last = lo + (shift >= 64 ? ~0ull : ((1ull << shift) - 1));
		if (span_last < from)
			continue;
		if (truncate_node(r, n->slots[i], h - 1, lo, from, last, release, arg)) {
			n->slots[i] = NULL;
			n->used--;
		}
		if (shift < 64 && lo > ~0ull - (1ull << shift))
			break;			/* the last slot of the index space */
	}
done:
	if (n->used)
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

		if (n->used != 1 || !n->slots[0])
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

	for (unsigned int i = first_slot(h, base, from); i < RADIX_SLOTS; i++) {
		uint64_t lo = base + ((uint64_t)i << shift);
		uint64_t span_last = lo + (shift >= 64 ? ~0ull : ((1ull << shift) - 1));
		void *item;

		if (!n->slots[i] || span_last < from)
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
