/*
 * anon_inodefs: the one inode behind every eventfd, timerfd, signalfd and
 * epoll file (<kernel/anon_inode.h>).  Each file gets an unhashed dentry
 * of its own, named as Linux names it ("[eventfd]"), so /proc/<pid>/fd
 * can show "anon_inode:[eventfd]"; the dentry and the file go with the
 * file's last fput, the inode never does.
 *
 * The file system is the kernel's only (FS_INTERNAL): Linux never
 * registers it either, so it is in no /proc/filesystems line and
 * mount(2) answers ENODEV for it.
 */
#include <kernel/anon_inode.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/stat.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

static struct mount *anon_mnt;		/* set once at boot */
static struct inode *anon_inode;	/* the shared inode; the root dentry's sibling */

static const struct super_operations anon_sops = {
	.statfs = simple_statfs,
};

static int
anon_fill_super(struct super_block *sb, const char *source, const char *data)
{
	struct inode *root;

	sb->magic = ANON_INODE_FS_MAGIC;
	sb->ops = &anon_sops;
	root = new_inode(sb, S_IFDIR | 0700);
	if (!root)
		return -ENOMEM;
	root->ino = sb_next_ino(sb);
	sb->root = d_make_root(root);
	return sb->root ? 0 : -ENOMEM;
}

FILESYSTEM(anon_inode_type) = {
	.name = "anon_inodefs",
	.flags = FS_INTERNAL,
	.fill_super = anon_fill_super,
};

void
anon_inode_init(void)
{
	struct mount *mnt = kern_mount("anon_inodefs", NULL);
	struct inode *inode;

	if (IS_ERR(mnt))
		panic("anon_inode: cannot make anon_inodefs: %ld", PTR_ERR(mnt));
	/* Linux's alloc_anon_inode(): rw for the owner, no file type. */
	inode = new_inode(mnt->sb, S_IRUSR | S_IWUSR);
	if (!inode)
		panic("anon_inode: no memory for the inode");
	inode->ino = sb_next_ino(mnt->sb);
	anon_inode = inode;		/* its first reference is ours for good */
	WRITE_ONCE(anon_mnt, mnt);
}

struct file *
anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
		   int flags)
{
	struct qstr q = { .name = name, .len = (uint32_t)strlen(name) };
	struct path path;
	struct dentry *d;
	struct file *f;

	q.hash = name_hash(q.name, q.len);
	/* Unhashed: found by no lookup, freed with the file. */
	d = d_alloc(anon_mnt->root, &q);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d_instantiate(d, igrab(anon_inode));
	path.mnt = anon_mnt;
	path.dentry = d;
	f = alloc_file(&path, flags & (O_ACCMODE | O_NONBLOCK));
	dput(d);			/* the file holds it now */
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->fop = fops;
	f->priv = priv;
	f->flags &= ~O_LARGEFILE;	/* Linux's pseudo files: F_GETFL shows mode and O_NONBLOCK */
	return f;
}

int
anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		 int flags)
{
	int fd = fd_reserve(flags & O_CLOEXEC);
	struct file *f;

	if (fd < 0)
		return fd;
	f = anon_inode_getfile(name, fops, priv, flags);
	if (IS_ERR(f)) {
		fd_install_reserved(fd, NULL);
		return (int)PTR_ERR(f);
	}
	fd_install_reserved(fd, f);
	fput(f);			/* the descriptor holds it */
	return fd;
}

bool
is_anon_inode_file(const struct file *f)
{
	return anon_mnt && f->path.mnt == anon_mnt;
}
