/*
 * What the file calls cost on tmpfs: a cached lookup of a 4-component
 * path, open+close, a 4 KiB read and write, and listing a 1000-entry
 * directory with getdents64.
 */
#include <kernel/bench.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/slab.h>

static bool ready;

/* /bench-vfs/a/b/c/file (4 KiB) and /bench-vfs/big with 1000 entries. */
static bool
setup(void)
{
	static char page[4096];
	int fd;

	if (ready)
		return true;
	vfs_mkdirat(AT_FDCWD, "/bench-vfs", 0755);
	vfs_mkdirat(AT_FDCWD, "/bench-vfs/a", 0755);
	vfs_mkdirat(AT_FDCWD, "/bench-vfs/a/b", 0755);
	vfs_mkdirat(AT_FDCWD, "/bench-vfs/a/b/c", 0755);
	fd = vfs_openat(AT_FDCWD, "/bench-vfs/a/b/c/file", O_RDWR | O_CREAT, 0644);
	if (fd < 0 || vfs_write(fd, page, sizeof(page)) != sizeof(page))
		return false;
	vfs_close(fd);
	vfs_mkdirat(AT_FDCWD, "/bench-vfs/big", 0755);
	for (int i = 0; i < 1000; i++) {
		char name[40];

		snprintf(name, sizeof(name), "/bench-vfs/big/entry-%04d", i);
		fd = vfs_openat(AT_FDCWD, name, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return false;
		vfs_close(fd);
	}
	ready = true;
	return true;
}

#define SETUP() do { if (!setup()) { bench_skip("no file system"); return 0; } } while (0)

BENCH(vfs, lookup_4_components_cached)
{
	struct kstat st;

	SETUP();
	for (size_t i = 0; i < n; i++)
		if (vfs_fstatat(AT_FDCWD, "/bench-vfs/a/b/c/file", &st, 0))
			return i;
	return n;
}

BENCH(vfs, open_close)
{
	SETUP();
	for (size_t i = 0; i < n; i++) {
		int fd = vfs_openat(AT_FDCWD, "/bench-vfs/a/b/c/file", O_RDONLY, 0);

		if (fd < 0)
			return i;
		vfs_close(fd);
	}
	return n;
}

static size_t
rw_4k(size_t n, bool write)
{
	static char buf[4096];
	int fd;

	SETUP();
	fd = vfs_openat(AT_FDCWD, "/bench-vfs/a/b/c/file", O_RDWR, 0);
	if (fd < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		ssize_t r = write ? vfs_pwrite(fd, buf, sizeof(buf), 0) :
				    vfs_pread(fd, buf, sizeof(buf), 0);

		if (r != (ssize_t)sizeof(buf)) {
			vfs_close(fd);
			return i;
		}
	}
	vfs_close(fd);
	return n;
}

BENCH(vfs, read_4k)
{
	return rw_4k(n, false);
}

BENCH(vfs, write_4k)
{
	return rw_4k(n, true);
}

BENCH(vfs, getdents_1000_entries)
{
	char *buf = kmalloc(32768);
	int fd;

	SETUP();
	if (!buf)
		return 0;
	fd = vfs_openat(AT_FDCWD, "/bench-vfs/big", O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		kfree(buf);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		vfs_lseek(fd, 0, SEEK_SET);
		while (vfs_getdents64(fd, buf, 32768) > 0)
			;
	}
	vfs_close(fd);
	kfree(buf);
	return n;
}
