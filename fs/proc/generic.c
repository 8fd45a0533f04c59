/*
 * The tree of static /proc entries: files, directories and symlinks that
 * kernel code creates with proc_create(), proc_mkdir() and
 * proc_symlink(), and the hook for the per-process part.
 */
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <string.h>

#include "internal.h"

struct mutex proc_mutex = MUTEX_INIT(proc_mutex, "proc");
const struct proc_pid_ops *proc_pid_provider;		/* proc_mutex */
static uint32_t next_ino = PROC_DYNAMIC_FIRST;		/* atomic */

struct proc_dir_entry proc_root = {
	.parent = &proc_root,
	.children = LIST_HEAD_INIT(proc_root.children),
	.next_pos = 2,
	.mode = S_IFDIR | 0555,
	.ino = PROC_ROOT_INO,
	.len = 0,
};

struct proc_dir_entry *
proc_find_child(struct proc_dir_entry *dir, const char *name, uint32_t len)
{
	struct list_head *pos;

	list_for_each(pos, &dir->children) {
		struct proc_dir_entry *e = list_entry(pos, struct proc_dir_entry, sibling);

		if (e->len == len && memcmp(e->name, name, len) == 0)
			return e;
	}
	return NULL;
}

/* A new entry name of mode in parent; target for symlinks. */
static struct proc_dir_entry *
proc_add(const char *name, umode_t mode, struct proc_dir_entry *parent, const char *target)
{
	size_t len = strlen(name), tlen = target ? strlen(target) + 1 : 0;
	struct proc_dir_entry *e;

	if (!parent)
		parent = &proc_root;
	if (!len || len > NAME_MAX || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || !S_ISDIR(parent->mode)) {
		pr_err("proc: bad entry name \"%s\"\n", name);
		return NULL;
	}
	e = kzalloc(sizeof(*e) + len + 1 + tlen);
	if (!e)
		return NULL;
	memcpy(e->name, name, len + 1);
	e->len = (uint32_t)len;
	e->mode = mode;
	e->parent = parent;
	list_init(&e->children);
	e->next_pos = 2;
	if (target) {
		memcpy(e->name + len + 1, target, tlen);
		e->target = e->name + len + 1;
	}
	e->ino = atomic_fetch_add(&next_ino, 1);
	mutex_lock(&proc_mutex);
	if (proc_find_child(parent, name, (uint32_t)len)) {
		mutex_unlock(&proc_mutex);
		pr_err("proc: \"%s\" exists\n", name);
		kfree(e);
		return NULL;
	}
	e->pos = parent->next_pos++;
	if (S_ISDIR(mode))
		parent->nsubdirs++;
	list_add_tail(&e->sibling, &parent->children);
	mutex_unlock(&proc_mutex);
	return e;
}

struct proc_dir_entry *
proc_create_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
		 proc_show_t show, void *data)
{
	struct proc_dir_entry *e;

	if (!show)
		return NULL;
	e = proc_add(name, S_IFREG | (mode & 07777 ? mode & 07777 : 0444), parent, NULL);
	if (e) {
		e->show = show;
		e->data = data;
	}
	return e;
}

struct proc_dir_entry *
proc_create_write(const char *name, umode_t mode, struct proc_dir_entry *parent, proc_show_t show,
		  proc_write_t write, void *data)
{
	struct proc_dir_entry *e = proc_create_data(name, mode, parent, show, data);

	if (e)
		e->write = write;
	return e;
}

struct proc_dir_entry *
proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent, proc_show_t show)
{
	return proc_create_data(name, mode, parent, show, NULL);
}

struct proc_dir_entry *
proc_mkdir(const char *name, struct proc_dir_entry *parent)
{
	return proc_add(name, S_IFDIR | 0555, parent, NULL);
}

struct proc_dir_entry *
proc_symlink(const char *name, struct proc_dir_entry *parent, const char *target)
{
	if (!target || !*target)
		return NULL;
	return proc_add(name, S_IFLNK | 0777, parent, target);
}

int
proc_register_pid_dir(const struct proc_pid_ops *ops)
{
	int err = 0;

	if (!ops || !ops->iterate || !ops->lookup)
		return -EINVAL;
	mutex_lock(&proc_mutex);
	if (proc_pid_provider)
		err = -EBUSY;
	else
		proc_pid_provider = ops;
	mutex_unlock(&proc_mutex);
	return err;
}

void
proc_unregister_pid_dir(const struct proc_pid_ops *ops)
{
	mutex_lock(&proc_mutex);
	if (proc_pid_provider == ops)
		proc_pid_provider = NULL;
	mutex_unlock(&proc_mutex);
}

void
proc_builtin_init(void)
{
	static bool done;		/* proc_mutex */
	bool first;

	mutex_lock(&proc_mutex);
	first = !done;
	done = true;
	mutex_unlock(&proc_mutex);
	if (!first)
		return;
	proc_meminfo_init();
	proc_cpu_init();
	proc_interrupts_init();
	proc_misc_init();
	proc_slabinfo_init();
	proc_sysctl_init();
	proc_pid_init();
}
