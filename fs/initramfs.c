/*
 * Unpacking the initramfs, as Linux does: the initrd the boot loader
 * passed is one or more concatenated cpio "newc" archives, unpacked into
 * the root tmpfs with modes, owners, mtimes, hard links, symlinks and
 * device nodes kept; a later entry replaces an earlier one of the same
 * name.  A malformed archive stops unpacking with a message (what was
 * unpacked stays) and the boot goes on.  The initrd's pages go back to
 * the allocator afterwards.
 */
#include <arch/boot.h>
#include <arch/mmu.h>
#include <kernel/cpio.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <string.h>

#include "internal.h"

#define LINK_HASH	64

/* Files with several names: the first name unpacked for each inode. */
struct hardlink {
	struct hardlink *next;
	uint32_t ino, major, minor, mode;
	char name[];
};

/* Directories get their mtimes last: adding entries changes them. */
struct dir_time {
	struct dir_time *next;
	int64_t mtime;
	char name[];
};

struct unpack {
	struct hardlink *links[LINK_HASH];
	struct dir_time *dirs;
	unsigned long entries;
	uint64_t bytes;
	unsigned int failures;
};

/* "./a/b", "/a/b" and "a/b" all name "/a/b"; "." and "./" name "/". */
static const char *
normalise(const char *name, char *buf, size_t size)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (*name == '/')
		name++;
	if (!*name || (name[0] == '.' && !name[1]))
		return "/";
	if (strlen(name) + 2 > size)
		return NULL;
	buf[0] = '/';
	memcpy(buf + 1, name, strlen(name) + 1);
	return buf;
}

static void
set_times(const char *path, int64_t mtime, int flags)
{
	struct timespec64 t[2] = { { mtime, 0 }, { mtime, 0 } };

	vfs_utimensat(AT_FDCWD, path, t, flags);
}

/* What stands in the way of a new entry: files go, directories stay for directories. */
static void
clear_way(const char *path, umode_t mode)
{
	struct kstat st;

	if (vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW))
		return;
	if (S_ISDIR(st.mode) && S_ISDIR(mode))
		return;
	if (S_ISDIR(st.mode))
		vfs_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
	else
		vfs_unlinkat(AT_FDCWD, path, 0);
}

static void
note_failure(struct unpack *u, const char *path, const char *what, int err)
{
	if (u->failures++ < 8)
		pr_warn("initramfs: %s: %s failed (%d)\n", path, what, err);
}

/* The first name of a multiply linked inode, or NULL (and it is noted). */
static const char *
find_link(struct unpack *u, const struct cpio_entry *e, const char *path)
{
	unsigned int h = (e->ino ^ e->devminor ^ (e->devmajor << 8)) % LINK_HASH;
	struct hardlink *l;
	size_t n;

	for (l = u->links[h]; l; l = l->next)
		if (l->ino == e->ino && l->major == e->devmajor && l->minor == e->devminor &&
		    l->mode == e->mode)
			return l->name;
	n = strlen(path) + 1;
	l = kmalloc(sizeof(*l) + n);
	if (l) {
		l->ino = e->ino;
		l->major = e->devmajor;
		l->minor = e->devminor;
		l->mode = e->mode;
		memcpy(l->name, path, n);
		l->next = u->links[h];
		u->links[h] = l;
	}
	return NULL;
}

static void
unpack_file(struct unpack *u, const struct cpio_entry *e, const char *path)
{
	const char *first = e->nlink >= 2 ? find_link(u, e, path) : NULL;
	int flags = O_WRONLY | O_CREAT | O_LARGEFILE;
	struct file *f;
	loff_t pos = 0;
	int err;

	if (first) {
		err = vfs_linkat(AT_FDCWD, first, AT_FDCWD, path, 0);
		if (err) {
			note_failure(u, path, "link", err);
			return;
		}
	} else {
		flags |= O_TRUNC;
	}
	f = file_open(AT_FDCWD, path, flags, e->mode & S_IALLUGO);
	if (IS_ERR(f)) {
		note_failure(u, path, "create", (int)PTR_ERR(f));
		return;
	}
	if (e->size) {
		ssize_t n = file_write(f, e->data, e->size, &pos);

		if (n != (ssize_t)e->size)
			note_failure(u, path, "write", n < 0 ? (int)n : -ENOSPC);
		else
			u->bytes += e->size;
	}
	fput(f);
}

/* One archive entry into the tree; failures are reported and skipped. */
static void
unpack_entry(struct unpack *u, const struct cpio_entry *e, const char *path)
{
	umode_t mode = e->mode;
	int err = 0;

	if (strcmp(path, "/") != 0)
		clear_way(path, mode);
	switch (mode & S_IFMT) {
	case S_IFREG:
		unpack_file(u, e, path);
		break;
	case S_IFDIR:
		err = vfs_mkdirat(AT_FDCWD, path, mode & S_IALLUGO);
		if (err == -EEXIST)
			err = 0;
		if (!err) {
			struct dir_time *d = kmalloc(sizeof(*d) + strlen(path) + 1);

			if (d) {
				d->mtime = e->mtime;
				memcpy(d->name, path, strlen(path) + 1);
				d->next = u->dirs;
				u->dirs = d;
			}
		}
		break;
	case S_IFLNK: {
		char *target = kmalloc(e->size + 1);

		if (!target) {
			err = -ENOMEM;
			break;
		}
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
		err = strlen(target) != e->size ? -EINVAL : vfs_symlinkat(target, AT_FDCWD, path);
		kfree(target);
		if (!err)
			u->bytes += e->size;
		break;
	}
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = vfs_mknodat(AT_FDCWD, path, mode, MKDEV(e->rdevmajor & 0xfff,
							   e->rdevminor & MINORMASK));
		break;
	default:
		err = -EINVAL;
		break;
	}
	if (err) {
		note_failure(u, path, "create", err);
		return;
	}
	/* Owner, then mode (chown clears set-id bits), then the time. */
	vfs_fchownat(AT_FDCWD, path, e->uid, e->gid, AT_SYMLINK_NOFOLLOW);
	if (!S_ISLNK(mode))
		vfs_fchmodat(AT_FDCWD, path, mode & S_IALLUGO, 0);
	if (!S_ISDIR(mode))
		set_times(path, e->mtime, AT_SYMLINK_NOFOLLOW);
	u->entries++;
}

static void
unpack_cleanup(struct unpack *u)
{
	/* Innermost directories were unpacked last and get their times first. */
	while (u->dirs) {
		struct dir_time *d = u->dirs;

		u->dirs = d->next;
		set_times(d->name, d->mtime, 0);
		kfree(d);
	}
	for (unsigned int i = 0; i < LINK_HASH; i++) {
		while (u->links[i]) {
			struct hardlink *l = u->links[i];

			u->links[i] = l->next;
			kfree(l);
		}
	}
}

/* Unpack buf; returns 0, or -EINVAL when the archive was malformed. */
int
initramfs_unpack_buffer(const void *buf, size_t len, unsigned long *entries, uint64_t *bytes)
{
	struct unpack *u = kzalloc(sizeof(*u));
	struct cpio_reader *r = kzalloc(sizeof(*r));
	char *path = kmalloc(PATH_MAX);
	int ret = 0;

	if (!u || !r || !path) {
		kfree(u);
		kfree(r);
		kfree(path);
		return -ENOMEM;
	}
	cpio_reader_init(r, buf, len);
	for (;;) {
		struct cpio_entry e;
		const char *p;
		int n = cpio_next(r, &e);

		if (n == 0)
			break;
		if (n < 0) {
			pr_err("initramfs: %s; unpacking stopped\n", r->err);
			ret = n;
			break;
		}
		p = normalise(e.name, path, PATH_MAX);
		if (!p) {
			note_failure(u, e.name, "name", -ENAMETOOLONG);
			continue;
		}
		unpack_entry(u, &e, p);
	}
	unpack_cleanup(u);
	*entries = u->entries;
	*bytes = u->bytes;
	kfree(u);
	kfree(r);
	kfree(path);
	return ret;
}

void
initramfs_unpack(void)
{
	const struct boot_info *bi = boot_info;
	unsigned long entries;
	uint64_t bytes;
	size_t freed;
	int err;

	if (!bi || !bi->initrd_size)
		return;
	if (bi->initrd_base + bi->initrd_size > LINEAR_MAP_PHYS_END ||
	    bi->initrd_base + bi->initrd_size < bi->initrd_base) {
		pr_err("initramfs: initrd at %#llx is outside the linear map; not unpacked\n",
		       (unsigned long long)bi->initrd_base);
		return;
	}
	err = initramfs_unpack_buffer(phys_to_virt((paddr_t)bi->initrd_base),
				      (size_t)bi->initrd_size, &entries, &bytes);
	pr_info("initramfs: %lu entries, %llu KiB unpacked\n", entries,
		(unsigned long long)((bytes + 1023) / 1024));
	if (err && !entries) {
		/* Not an initramfs at all: keep it, as Linux keeps an old initrd. */
		pr_info("initramfs: the initrd is not a cpio archive; its memory is kept\n");
		return;
	}
	freed = free_reserved_range(bi, bi->initrd_base, bi->initrd_size);
	pr_info("initramfs: freed %zu KiB of initrd memory\n", freed * (size_t)(PAGE_SIZE / 1024));
}
