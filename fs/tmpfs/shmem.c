/*
 * The kernel's own tmpfs instance (<kernel/shmem.h>), mounted nowhere on
 * first use: unlinked files for shared anonymous memory and memfd_create,
 * found by no lookup and freed with their last reference.  And the seals
 * every tmpfs file carries (a file not made by memfd_create with
 * MFD_ALLOW_SEALING has F_SEAL_SEAL, as on Linux).
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/pagecache.h>
#include <kernel/shmem.h>
#include <kernel/sync.h>
#include <kernel/vfs.h>

#include "../internal.h"
#include "tmpfs.h"

static struct mutex shm_lock = MUTEX_INIT(shm_lock, "shm-mount");
static struct mount *shm_mnt;		/* shm_lock to set; then read-only */

static struct mount *
shm_mount(void)
{
	struct mount *mnt = READ_ONCE(shm_mnt);

	if (mnt)
		return mnt;
	mutex_lock(&shm_lock);
	if (!shm_mnt) {
		/* No size or inode limit: memory is the only bound, as Linux's. */
		mnt = kern_mount("tmpfs", "size=0,nr_inodes=0,mode=1777");
		if (!IS_ERR(mnt))
			WRITE_ONCE(shm_mnt, mnt);
	}
	mnt = shm_mnt ? shm_mnt : mnt;
	mutex_unlock(&shm_lock);
	return mnt;
}

bool
shmem_sb(const struct super_block *sb)
{
	struct mount *mnt = READ_ONCE(shm_mnt);

	return mnt && sb == mnt->sb;
}

struct file *
shmem_file_setup(const char *name, loff_t size)
{
	struct mount *mnt = shm_mount();
	struct inode *inode;
	struct dentry *d;
	struct file *f;
	struct qstr q;

	if (IS_ERR(mnt))
		return ERR_PTR(PTR_ERR(mnt));
	if (size < 0)
		return ERR_PTR(-EINVAL);
	inode = tmpfs_new_inode(mnt->sb, NULL, S_IFREG | 0777, 0);
	if (IS_ERR(inode))
		return ERR_PTR(PTR_ERR(inode));
	inode->nlink = 0;		/* unlinked from the start */
	pagecache_set_size(inode->mapping, size);
	q.name = name;
	q.len = (uint32_t)strlen(name);
	q.hash = name_hash(q.name, q.len);
	d = d_alloc(mnt->root, &q);	/* unhashed: found by no lookup */
	if (!d) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	d_instantiate(d, inode);
	{
		struct path path = { .mnt = mnt, .dentry = d };

		f = alloc_file(&path, O_RDWR | O_LARGEFILE);
	}
	dput(d);			/* the file holds it now */
	return f ? f : ERR_PTR(-ENOMEM);
}

struct file *
shmem_zero_file(loff_t size)
{
	return shmem_file_setup("dev/zero", size);
}

int
shmem_fcntl_seals(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct inode *inode = f->inode;
	struct address_space *m = inode->mapping;
	unsigned int seals = (unsigned int)arg;
	int err = 0;

	if (f->fop != &tmpfs_file_fops || !m)
		return -EINVAL;		/* seals are tmpfs's */
	if (cmd == F_GET_SEALS) {
		mutex_lock(&inode->lock);
		err = (int)m->seals;
		mutex_unlock(&inode->lock);
		return err;
	}
	if (cmd != F_ADD_SEALS)
		return -EINVAL;
	if (!(f->mode & FMODE_WRITE))
		return -EPERM;
	if (seals & ~(unsigned int)F_SEAL_ALL)
		return -EINVAL;
	mutex_lock(&inode->lock);
	mutex_lock(&m->lock);
	if (m->seals & F_SEAL_SEAL)
		err = -EPERM;
	else if ((seals & F_SEAL_WRITE) && !(m->seals & F_SEAL_WRITE) && m->nr_writable)
		err = -EBUSY;		/* a shared mapping may still write */
	else
		m->seals |= seals;
	mutex_unlock(&m->lock);
	mutex_unlock(&inode->lock);
	return err;
}
