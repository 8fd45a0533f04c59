/*
 * Reading cpio "newc" archives (magic 070701, and 070702 with a data
 * checksum) in memory, the format of Linux's initramfs.  The reader only
 * walks and checks the bytes: it allocates nothing and creates nothing;
 * fs/initramfs.c makes files of what it returns.
 */
#ifndef KERNEL_CPIO_H
#define KERNEL_CPIO_H

#include <kernel/types.h>

#define CPIO_HDR_SIZE	110	/* magic and 13 fields of 8 hex digits */
#define CPIO_NAME_MAX	4096	/* namesize (with the NUL) limit: PATH_MAX */
#define CPIO_TRAILER	"TRAILER!!!"

/*
 * One archive member, pointing into the caller's buffer.  The fields are
 * the header's, unchecked beyond the format: the type in mode may be any,
 * a directory or device may carry data (Linux skips such members), a
 * symlink target may be of any length, and hard links are members with
 * the same (devmajor, devminor, ino) and nlink > 1 whose data, if any, is
 * on the last of them.  The name is returned as written ("./a", "/a" and
 * "a" alike); only names with a ".." component are refused here.
 */
struct cpio_entry {
	const char *name;	/* NUL-terminated inside the buffer */
	size_t namelen;		/* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	const void *data;	/* file data or symlink target (not NUL-terminated) */
	size_t size;
};

struct cpio_reader {
	const unsigned char *buf;
	size_t len;
	size_t off;		/* where the next header (or padding) starts */
	size_t entry_off;	/* header offset of the entry last returned */
	unsigned int archive;	/* archives begun: the last entry's is archive-1 */
	unsigned int entries;	/* entries returned so far */
	bool in_archive;	/* inside an archive: its TRAILER!!! is still due */
	int error;		/* sticky: every later call returns it again */
	char err[128];		/* the message when error is set, else "" */
};

void cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len);

/*
 * 1: *e is the next entry.  0: the end of the buffer, after the last
 * archive's TRAILER!!! with only zero padding left (or an empty buffer).
 * -EINVAL: malformed; r->err holds a one-line message naming the offset
 * and what is wrong.  The TRAILER!!! members themselves are not returned;
 * when r->archive changes, a new archive began (hard links never span
 * archives, as in Linux).
 */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e);

#endif
