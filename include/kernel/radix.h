/*
 * A radix tree mapping 64-bit indexes to pointers, for sparse arrays such
 * as a file's pages: 64-way nodes, as tall as the largest index needs.
 * Not locked: the owner's lock guards it.
 */
#ifndef KERNEL_RADIX_H
#define KERNEL_RADIX_H

#include <kernel/types.h>

struct radix {
	void *root;
	unsigned int height;		/* 0: empty; else covers 64^height slots */
	size_t count;			/* items stored */
};

#define RADIX_INIT	{ NULL, 0, 0 }

void *radix_lookup(const struct radix *r, uint64_t index);
/* 0, -EEXIST when the slot is taken, -ENOMEM. */
int radix_insert(struct radix *r, uint64_t index, void *item);
/* Remove every item at index >= from, handing each to release (which must not use r). */
void radix_truncate(struct radix *r, uint64_t from, void (*release)(void *item, void *arg),
		    void *arg);
/* The same for from <= index <= last (release may be NULL). */
void radix_remove_range(struct radix *r, uint64_t from, uint64_t last,
			void (*release)(void *item, void *arg), void *arg);
/*
 * Copy src's items at from <= index <= last into dst (empty there), a
 * leaf node at a time; copied (may be NULL, must not use either tree) sees
 * each item copied.  On -ENOMEM or -EEXIST the items copied so far stay
 * in dst.
 */
int radix_copy_range(struct radix *dst, const struct radix *src, uint64_t from, uint64_t last,
		     void (*copied)(void *item, void *arg), void *arg);
/*
 * Put item (not NULL) in the place of the item at index and return the
 * old one; NULL, changing nothing, when the slot is empty.  Never allocates.
 */
void *radix_replace(struct radix *r, uint64_t index, void *item);
/* Remove the item at index and return it (NULL if there was none). */
void *radix_delete(struct radix *r, uint64_t index);
/* The first item at an index >= from, its index in *index; NULL if none. */
void *radix_next(const struct radix *r, uint64_t from, uint64_t *index);

#endif
