/*
 * The kernel's one list: circular, doubly linked, embedded in the
 * objects it links (find the object with list_entry()).
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static __always_inline void
list_init(struct list_head *h)
{
	h->next = h->prev = h;
}

static __always_inline bool
list_empty(const struct list_head *h)
{
	return h->next == h;
}

static __always_inline void
list_insert_between(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

/* Insert at the front (stack order). */
static __always_inline void
list_add(struct list_head *n, struct list_head *h)
{
	list_insert_between(n, h, h->next);
}

/* Insert at the back (queue order). */
static __always_inline void
list_add_tail(struct list_head *n, struct list_head *h)
{
	list_insert_between(n, h->prev, h);
}

/*
 * Out of its list, its own links left stale: for hot paths whose owner
 * records elsewhere whether the node is linked (a thread's run_node: its
 * queued flag and wq).  It must not be tested or unlinked again before it
 * is linked anew.
 */
static __always_inline void
list_unlink(struct list_head *n)
{
	/* Both loaded first: the first store could alias n->prev, so no reload. */
	struct list_head *prev = n->prev, *next = n->next;

	prev->next = next;
	next->prev = prev;
}

/*
 * list_unlink() of n, known to be h's first node: its prev is h, one
 * load fewer for hot paths that take the head.
 */
static __always_inline void
list_unlink_first(struct list_head *n, struct list_head *h)
{
	struct list_head *next = n->next;	/* once: the store could alias it */

	h->next = next;
	next->prev = h;
}

/* Out of its list, left an empty list of its own (list_empty() is true). */
static __always_inline void
list_del(struct list_head *n)
{
	list_unlink(n);
	n->next = n->prev = n;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)

#define list_for_each(pos, h) \
	for (pos = (h)->next; pos != (h); pos = pos->next)
#define list_for_each_safe(pos, tmp, h) \
	for (pos = (h)->next, tmp = pos->next; pos != (h); pos = tmp, tmp = pos->next)

/* Over the objects themselves (pos is a pointer to the containing type). */
#define list_for_each_entry(pos, h, member)					\
	for (pos = list_entry((h)->next, __typeof__(*pos), member);		\
	     &pos->member != (h);						\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_reverse(pos, h, member)				\
	for (pos = list_entry((h)->prev, __typeof__(*pos), member);		\
	     &pos->member != (h);						\
	     pos = list_entry(pos->member.prev, __typeof__(*pos), member))
/* The same, pos may be unlinked in the body. */
#define list_for_each_entry_safe(pos, tmp, h, member)				\
	for (pos = list_entry((h)->next, __typeof__(*pos), member),		\
	     tmp = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (h);						\
	     pos = tmp, tmp = list_entry(tmp->member.next, __typeof__(*pos), member))

#endif
