/*
 * File-system types and superblocks: the registry of types (built-in ones
 * from the .filesystems table, modules later through register_filesystem),
 * making a superblock for a mount and destroying it after the last one.
 */
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/spinlock.h>
#include <kernel/stat.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

static struct spinlock fs_types_lock = SPINLOCK_INIT("fs-types");
static LIST_HEAD(fs_types);			/* fs_types_lock */
static struct spinlock sb_list_lock = SPINLOCK_INIT("sb-list");
static LIST_HEAD(super_blocks);			/* sb_list_lock */
static unsigned int next_anon_minor;		/* sb_list_lock */

extern struct file_system_type *const __filesystems_start[], *const __filesystems_end[];

static struct file_system_type *
find_locked(const char *name)
{
	struct list_head *pos;

	list_for_each(pos, &fs_types) {
		struct file_system_type *t = list_entry(pos, struct file_system_type, node);

		if (strcmp(t->name, name) == 0)
			return t;
	}
	return NULL;
}

int
register_filesystem(struct file_system_type *type)
{
	unsigned long flags = spin_lock_irqsave(&fs_types_lock);
	int err = 0;

	if (find_locked(type->name))
		err = -EBUSY;
	else
		list_add_tail(&type->node, &fs_types);
	spin_unlock_irqrestore(&fs_types_lock, flags);
	return err;
}

int
unregister_filesystem(struct file_system_type *type)
{
	unsigned long flags = spin_lock_irqsave(&sb_list_lock);
	struct list_head *pos;

	list_for_each(pos, &super_blocks) {
		if (list_entry(pos, struct super_block, node)->type == type) {
			spin_unlock_irqrestore(&sb_list_lock, flags);
			return -EBUSY;
		}
	}
	spin_unlock_irqrestore(&sb_list_lock, flags);
	flags = spin_lock_irqsave(&fs_types_lock);
	list_del(&type->node);
	spin_unlock_irqrestore(&fs_types_lock, flags);
	return 0;
}

struct file_system_type *
find_filesystem(const char *name)
{
	unsigned long flags = spin_lock_irqsave(&fs_types_lock);
	struct file_system_type *t = find_locked(name);

	spin_unlock_irqrestore(&fs_types_lock, flags);
	return t;
}

void
filesystems_show(struct seqbuf *out)
{
	unsigned long flags = spin_lock_irqsave(&fs_types_lock);
	struct list_head *pos;

	list_for_each(pos, &fs_types) {
		struct file_system_type *t = list_entry(pos, struct file_system_type, node);

		if (t->flags & FS_INTERNAL)
			continue;
		seqbuf_printf(out, "%s\t%s\n", t->flags & FS_REQUIRES_DEV ? "" : "nodev",
			      t->name);
	}
	spin_unlock_irqrestore(&fs_types_lock, flags);
}

void
register_builtin_filesystems(void)
{
	for (struct file_system_type *const *t = __filesystems_start; t < __filesystems_end; t++)
		if (register_filesystem(*t))
			pr_err("vfs: file system type %s registered twice\n", (*t)->name);
}

/* A superblock of type, filled from source and data; ERR_PTR on failure. */
struct super_block *
sget(struct file_system_type *type, const char *source, const char *data,
     unsigned long ms_flags)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	unsigned long flags;
	int err;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->type = type;
	sb->flags = ms_flags & MS_RDONLY;
	sb->block_size = 4096;
	spin_init(&sb->lock, "sb");
	list_init(&sb->inodes);
	/* Anonymous device numbers, as Linux gives memory file systems (major 0). */
	flags = spin_lock_irqsave(&sb_list_lock);
	sb->dev = MKDEV(0, ++next_anon_minor);
	spin_unlock_irqrestore(&sb_list_lock, flags);
	err = type->fill_super(sb, source, data);
	if (err) {
		if (sb->root)
			dput(sb->root);
		kfree(sb);
		return ERR_PTR(err);
	}
	if (!sb->root)
		panic("vfs: %s's fill_super made no root", type->name);
	flags = spin_lock_irqsave(&sb_list_lock);
	list_add_tail(&sb->node, &super_blocks);
	spin_unlock_irqrestore(&sb_list_lock, flags);
	return sb;
}

/* The last mount of sb is gone (namespace_mutex held). */
void
kill_super(struct super_block *sb)
{
	unsigned long flags;

	if (sb->type->single == sb)
		sb->type->single = NULL;
	shrink_dcache(sb);
	/* The file system lets go of its tree first; the root dentry last. */
	if (sb->ops && sb->ops->put_super)
		sb->ops->put_super(sb);
	dput(sb->root);
	shrink_dcache(sb);
	flags = spin_lock_irqsave(&sb_list_lock);
	list_del(&sb->node);
	spin_unlock_irqrestore(&sb_list_lock, flags);
	flags = spin_lock_irqsave(&sb->lock);
	if (!list_empty(&sb->inodes)) {
		/* A leak: keep sb, which those inodes point to. */
		spin_unlock_irqrestore(&sb->lock, flags);
		pr_warn("vfs: %s unmounted with inodes still in use\n", sb->type->name);
		return;
	}
	spin_unlock_irqrestore(&sb->lock, flags);
	if (sb->ops && sb->ops->destroy)
		sb->ops->destroy(sb);
	kfree(sb);
}

int
simple_statfs(struct super_block *sb, struct kstatfs *st)
{
	memset(st, 0, sizeof(*st));
	st->type = sb->magic;
	st->bsize = sb->block_size;
	st->frsize = sb->block_size;
	st->namelen = NAME_MAX;
	return 0;
}
