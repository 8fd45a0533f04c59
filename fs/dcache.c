/*
 * The dentry cache: names looked up in directories, positive (with their
 * inode) or negative (the name does not exist), found by hashing the
 * parent and the name.  A dentry holds a reference to its parent and to
 * its inode.  Unused dentries stay cached on an LRU list and are freed
 * oldest first beyond DCACHE_MAX_UNUSED, or all at once for an unmount.
 *
 * dcache_lock guards the hash, every dentry's parent, name, inode,
 * flags and the LRU; it is a leaf lock (iput and frees run after it is
 * dropped).  refs is atomic: it moves between 0 and 1 (onto and off the
 * LRU, or freed) only under dcache_lock, and between higher counts
 * without it, so a path walk's dget/dput of busy dentries takes no lock.
 */
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/panic.h>
#include <kernel/slab.h>
#include <kernel/spinlock.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

#define DCACHE_HASH_BITS	10
#define DCACHE_HASH_SIZE	(1u << DCACHE_HASH_BITS)
#define DCACHE_MAX_UNUSED	4096
#define PRUNE_BATCH		32

struct spinlock dcache_lock = SPINLOCK_INIT("dcache");
static struct list_head dcache_hash[DCACHE_HASH_SIZE];	/* dcache_lock */
static LIST_HEAD(dcache_lru);			/* dcache_lock: oldest first */
static unsigned int nr_dentries, nr_unused;	/* dcache_lock */
static bool hash_ready;				/* dcache_lock */

uint32_t
name_hash(const char *name, uint32_t len)
{
	uint32_t h = NAME_HASH_INIT;

	for (uint32_t i = 0; i < len; i++)
		h = name_hash_step(h, name[i]);
	return h;
}

static struct list_head *
bucket(const struct dentry *parent, uint32_t hash)
{
	uint32_t h = hash ^ (uint32_t)((uintptr_t)parent >> 4);

	return &dcache_hash[(h * 0x9e3779b1u) >> (32 - DCACHE_HASH_BITS)];
}

static void
hash_init_locked(void)
{
	if (hash_ready)
		return;
	for (unsigned int i = 0; i < DCACHE_HASH_SIZE; i++)
		list_init(&dcache_hash[i]);
	hash_ready = true;
}

/* Storage for a name: the inline array or a new buffer; NULL without memory. */
static char *
name_storage(struct dentry *d, uint32_t len)
{
	return len < DNAME_INLINE_LEN ? d->inline_name : kmalloc(len + 1);
}

static void
name_release(struct dentry *d, const char *name)
{
	if (name != d->inline_name)
		kfree((void *)name);
}

static void
d_free(struct dentry *d)
{
	name_release(d, d->name.name);
	kfree(d);
}

struct dentry *
d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *d = kzalloc(sizeof(*d));
	char *store;
	unsigned long flags;

	if (!d)
		return NULL;
	store = name_storage(d, name->len);
	if (!store) {
		kfree(d);
		return NULL;
	}
	memcpy(store, name->name, name->len);
	store[name->len] = '\0';
	d->name.name = store;
	d->name.len = name->len;
	d->name.hash = name->hash;
	d->refs = 1;
	d->sb = parent ? parent->sb : NULL;
	list_init(&d->hash_node);
	list_init(&d->lru_node);
	flags = spin_lock_irqsave(&dcache_lock);
	hash_init_locked();
	if (parent) {
		atomic_fetch_add(&parent->refs, 1);	/* a child pins its parent */
		d->parent = parent;
	} else {
		d->parent = d;
	}
	nr_dentries++;
	spin_unlock_irqrestore(&dcache_lock, flags);
	return d;
}

struct dentry *
d_make_root(struct inode *inode)
{
	static const struct qstr slash = { "/", 1, 0 };
	struct dentry *d;

	if (!inode)
		return NULL;
	d = d_alloc(NULL, &slash);
	if (!d) {
		iput(inode);
		return NULL;
	}
	d->sb = inode->sb;
	d->inode = inode;
	return d;
}

struct dentry *
dget(struct dentry *d)
{
	unsigned int refs = READ_ONCE(d->refs);
	unsigned long flags;

	/* Already in use: only 0 -> 1 (off the LRU) needs the lock. */
	while (refs > 0)
		if (atomic_cmpxchg(&d->refs, &refs, refs + 1))
			return d;
	flags = spin_lock_irqsave(&dcache_lock);
	if (atomic_fetch_add(&d->refs, 1) == 0 && (d->flags & DCACHE_LRU)) {
		list_del(&d->lru_node);
		d->flags &= ~DCACHE_LRU;
		nr_unused--;
	}
	spin_unlock_irqrestore(&dcache_lock, flags);
	return d;
}

/*
 * Free an unused, unhashed dentry that nobody can reach any more and
 * return its parent, whose reference the caller now has to drop.
 */
static struct dentry *
d_kill(struct dentry *d, struct inode *inode)
{
	struct dentry *parent = d->parent == d ? NULL : d->parent;

	d_free(d);
	if (inode)
		iput(inode);
	return parent;
}

static void prune_dcache(unsigned int target);

/* dput() of what may be the last reference, and of the parents it frees. */
static __noinline void
dput_slow(struct dentry *d)
{
	while (d) {
		unsigned int refs = READ_ONCE(d->refs);
		unsigned long flags;
		struct inode *inode;
		bool prune;

		/* Not the last reference: no lock (the lockref pattern). */
		while (refs > 1)
			if (atomic_cmpxchg(&d->refs, &refs, refs - 1))
				return;
		flags = spin_lock_irqsave(&dcache_lock);
		if (READ_ONCE(d->refs) == 0)
			panic("dput: dentry \"%s\" has no references", d->name.name);
		if (atomic_sub_return(&d->refs, 1) > 0) {
			spin_unlock_irqrestore(&dcache_lock, flags);
			return;
		}
		if (d->flags & DCACHE_HASHED) {
			/* Keep it for the next lookup of this name. */
			list_add_tail(&d->lru_node, &dcache_lru);
			d->flags |= DCACHE_LRU;
			prune = ++nr_unused > DCACHE_MAX_UNUSED;
			spin_unlock_irqrestore(&dcache_lock, flags);
			if (prune)
				prune_dcache(DCACHE_MAX_UNUSED * 3 / 4);
			return;
		}
		inode = d->inode;
		d->inode = NULL;
		nr_dentries--;
		spin_unlock_irqrestore(&dcache_lock, flags);
		d = d_kill(d, inode);
	}
}

void
dput(struct dentry *d)
{
	unsigned int refs;

	if (!d)
		return;
	refs = READ_ONCE(d->refs);
	while (refs > 1)
		if (atomic_cmpxchg(&d->refs, &refs, refs - 1))
			return;
	dput_slow(d);
}

/*
 * Take up to PRUNE_BATCH unused dentries of sb (any if sb is NULL) off the
 * cache into victims[]; the caller kills them.
 */
static unsigned int
grab_unused(struct super_block *sb, unsigned int max, struct dentry **victims,
	    struct inode **inodes)
{
	struct list_head *pos, *tmp;
	unsigned int n = 0;

	list_for_each_safe(pos, tmp, &dcache_lru) {
		struct dentry *d = list_entry(pos, struct dentry, lru_node);

		if (n == max || n == PRUNE_BATCH)
			break;
		if (sb && d->sb != sb)
			continue;
		list_del(&d->lru_node);
		list_del(&d->hash_node);
		d->flags &= ~(DCACHE_LRU | DCACHE_HASHED);
		nr_unused--;
		nr_dentries--;
		inodes[n] = d->inode;
		d->inode = NULL;
		victims[n++] = d;
	}
	return n;
}

static unsigned int
kill_batch(struct super_block *sb, unsigned int max)
{
	struct dentry *victims[PRUNE_BATCH];
	struct inode *inodes[PRUNE_BATCH];
	unsigned long flags = spin_lock_irqsave(&dcache_lock);
	unsigned int n = grab_unused(sb, max, victims, inodes);

	spin_unlock_irqrestore(&dcache_lock, flags);
	for (unsigned int i = 0; i < n; i++)
		dput(d_kill(victims[i], inodes[i]));
	return n;
}

static void
prune_dcache(unsigned int target)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&dcache_lock);
		unsigned int excess = nr_unused > target ? nr_unused - target : 0;

		spin_unlock_irqrestore(&dcache_lock, flags);
		if (!excess || !kill_batch(NULL, excess))
			return;
	}
}

void
shrink_dcache(struct super_block *sb)
{
	/* Killing a child may make its parent unused: repeat until dry. */
	while (kill_batch(sb, ~0u))
		;
}

void
dcache_counts(unsigned int *total, unsigned int *unused)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);

	*total = nr_dentries;
	*unused = nr_unused;
	spin_unlock_irqrestore(&dcache_lock, flags);
}

static bool
name_matches(const struct dentry *d, const struct dentry *parent, const struct qstr *name)
{
	return d->parent == parent && d->name.hash == name->hash &&
	       d->name.len == name->len && memcmp(d->name.name, name->name, name->len) == 0;
}

struct dentry *
d_lookup(struct dentry *parent, const struct qstr *name)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);
	struct dentry *found = NULL;
	struct list_head *pos;

	if (hash_ready) {
		list_for_each(pos, bucket(parent, name->hash)) {
			struct dentry *d = list_entry(pos, struct dentry, hash_node);

			if (!name_matches(d, parent, name))
				continue;
			if (atomic_fetch_add(&d->refs, 1) == 0 && (d->flags & DCACHE_LRU)) {
				list_del(&d->lru_node);
				d->flags &= ~DCACHE_LRU;
				nr_unused--;
			}
			found = d;
			break;
		}
	}
	spin_unlock_irqrestore(&dcache_lock, flags);
	return found;
}

void
d_rehash(struct dentry *d)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);

	if (!(d->flags & DCACHE_HASHED)) {
		list_add(&d->hash_node, bucket(d->parent, d->name.hash));
		d->flags |= DCACHE_HASHED;
	}
	spin_unlock_irqrestore(&dcache_lock, flags);
}

static void
d_drop_locked(struct dentry *d)
{
	if (d->flags & DCACHE_HASHED) {
		list_del(&d->hash_node);
		d->flags &= ~DCACHE_HASHED;
	}
}

void
d_drop(struct dentry *d)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);

	d_drop_locked(d);
	spin_unlock_irqrestore(&dcache_lock, flags);
}

void
d_dont_mount(struct dentry *d)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);

	d->flags |= DCACHE_CANT_MOUNT;
	spin_unlock_irqrestore(&dcache_lock, flags);
}

bool
d_cant_mount(const struct dentry *d)
{
	return READ_ONCE(d->flags) & DCACHE_CANT_MOUNT;
}

void
d_instantiate(struct dentry *d, struct inode *inode)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);

	if (d->inode)
		panic("d_instantiate: \"%s\" is positive already", d->name.name);
	d->inode = inode;
	spin_unlock_irqrestore(&dcache_lock, flags);
}

void
d_delete(struct dentry *d)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);
	struct inode *inode = NULL;

	if (READ_ONCE(d->refs) == 1) {
		/* Only the caller uses it: keep the name, as a negative entry. */
		inode = d->inode;
		d->inode = NULL;
		d->flags &= ~DCACHE_CANT_MOUNT;	/* a later create may use the name */
	} else {
		/* Open files and cwds keep the inode; lookups must not find it. */
		d_drop_locked(d);
	}
	spin_unlock_irqrestore(&dcache_lock, flags);
	if (inode)
		iput(inode);
}

/*
 * a takes b's name and b takes a's (dcache_lock held).  Nothing is
 * allocated, so a rename cannot fail here, after the file system made it:
 * a name kept outside the dentry changes hands, an inline one is copied
 * (a name is outside exactly when it is too long to be inline).
 */
static void
swap_names(struct dentry *a, struct dentry *b)
{
	struct qstr qa = a->name, qb = b->name;
	bool a_inline = qa.name == a->inline_name, b_inline = qb.name == b->inline_name;
	char tmp[DNAME_INLINE_LEN];

	if (a_inline)
		memcpy(tmp, a->inline_name, qa.len + 1);
	if (b_inline)
		memcpy(a->inline_name, b->inline_name, qb.len + 1);
	if (a_inline)
		memcpy(b->inline_name, tmp, qa.len + 1);
	a->name.name = b_inline ? a->inline_name : qb.name;
	a->name.len = qb.len;
	a->name.hash = qb.hash;
	b->name.name = a_inline ? b->inline_name : qa.name;
	b->name.len = qa.len;
	b->name.hash = qa.hash;
}

int
d_move(struct dentry *d, struct dentry *target)
{
	struct dentry *old_parent;
	unsigned long flags;

	flags = spin_lock_irqsave(&dcache_lock);
	d_drop_locked(target);
	d_drop_locked(d);
	/* The dropped target keeps d's old name: nothing is freed under readers. */
	swap_names(d, target);
	old_parent = d->parent;
	d->parent = target->parent;
	atomic_fetch_add(&d->parent->refs, 1);
	list_add(&d->hash_node, bucket(d->parent, d->name.hash));
	d->flags |= DCACHE_HASHED;
	spin_unlock_irqrestore(&dcache_lock, flags);
	dput(old_parent);
	return 0;
}

int
d_exchange(struct dentry *a, struct dentry *b)
{
	struct dentry *pa;
	unsigned long flags;

	flags = spin_lock_irqsave(&dcache_lock);
	d_drop_locked(a);
	d_drop_locked(b);
	swap_names(a, b);
	pa = a->parent;
	a->parent = b->parent;
	b->parent = pa;
	list_add(&a->hash_node, bucket(a->parent, a->name.hash));
	list_add(&b->hash_node, bucket(b->parent, b->name.hash));
	a->flags |= DCACHE_HASHED;
	b->flags |= DCACHE_HASHED;
	spin_unlock_irqrestore(&dcache_lock, flags);
	return 0;
}

struct dentry *
dget_parent(struct dentry *d)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);
	struct dentry *parent = d->parent;

	atomic_fetch_add(&parent->refs, 1);	/* it has a child: never on the LRU */
	spin_unlock_irqrestore(&dcache_lock, flags);
	return parent;
}

struct inode *
d_inode_get(struct dentry *d)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);
	struct inode *inode = d->inode ? igrab(d->inode) : NULL;

	spin_unlock_irqrestore(&dcache_lock, flags);
	return inode;
}

bool
d_is_negative(struct dentry *d)
{
	return READ_ONCE(d->inode) == NULL;
}

bool
d_is_ancestor(struct dentry *anc, struct dentry *d)
{
	unsigned long flags = spin_lock_irqsave(&dcache_lock);
	bool found = false;

	for (;;) {
		if (d == anc) {
			found = true;
			break;
		}
		if (d->parent == d)
			break;
		d = d->parent;
	}
	spin_unlock_irqrestore(&dcache_lock, flags);
	return found;
}
