/*
 * In-kernel tests of the initramfs: the test image (made by the real
 * cpio from tests/initramfs plus a second archive with device nodes, see
 * scripts/mkinitramfs_test.py) must be unpacked exactly as its manifest
 * says; malformed archives must stop with an error and keep what came
 * before.
 */
#include <kernel/cmdline.h>
#include <kernel/crc32.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

#define MANIFEST_MAX	(256 * 1024)

/* The next space-separated field of *s (NUL-terminated in place). */
static char *
field(char **s)
{
	char *start = *s, *p = start;

	if (!p || !*p)
		return NULL;
	while (*p && *p != ' ')
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return start;
}

static uint32_t
file_crc(const char *path, int *err)
{
	char *buf = kmalloc(65536);
	uint32_t crc = 0;
	ssize_t n;
	int fd;

	*err = 0;
	if (!buf) {
		*err = -ENOMEM;
		return 0;
	}
	fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);
	if (fd < 0) {
		*err = fd;
		kfree(buf);
		return 0;
	}
	while ((n = vfs_read(fd, buf, 65536)) > 0)
		crc = crc32(crc, buf, (size_t)n);
	if (n < 0)
		*err = (int)n;
	vfs_close(fd);
	kfree(buf);
	return crc;
}

/* Check one manifest line; false (with a failure recorded) if it differs. */
static bool
check_entry(char *line)
{
	char *type = field(&line), *mode = field(&line), *uid = field(&line);
	char *gid = field(&line), *nlink = field(&line), *size = field(&line);
	char *mtime = field(&line), *crc = field(&line), *path = field(&line);
	char *extra = field(&line);
	bool root;
	struct kstat st;
	int err;

	if (!path) {
		ktest_fail(__FILE__, __LINE__, "malformed manifest line");
		return false;
	}
	root = strcmp(path, "/") == 0;
	err = vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);
	if (err) {
		ktest_fail(__FILE__, __LINE__, "%s: lstat: %d", path, err);
		return false;
	}
#define CHECK(cond, fmt, ...) do {						\
	if (!(cond)) {								\
		ktest_fail(__FILE__, __LINE__, "%s: " fmt, path, __VA_ARGS__);	\
		return false;							\
	}									\
} while (0)
	CHECK(st.mode == strtoul(mode, NULL, 8), "mode %o, manifest %s", st.mode, mode);
	CHECK(st.uid == strtoul(uid, NULL, 10), "uid %u, manifest %s", st.uid, uid);
	CHECK(st.gid == strtoul(gid, NULL, 10), "gid %u, manifest %s", st.gid, gid);
	/* The kernel adds /dev and /proc (and tests) to the root afterwards. */
	if (!root) {
		CHECK(st.nlink == strtoul(nlink, NULL, 10), "nlink %u, manifest %s", st.nlink,
		      nlink);
		CHECK(st.mtime.tv_sec == (int64_t)strtoull(mtime, NULL, 10),
		      "mtime %lld, manifest %s", (long long)st.mtime.tv_sec, mtime);
	}
	if (strcmp(size, "-") != 0)
		CHECK(st.size == (loff_t)strtoull(size, NULL, 10), "size %lld, manifest %s",
		      (long long)st.size, size);
	if (type[0] == 'f' && strcmp(crc, "-") != 0) {
		uint32_t got = file_crc(path, &err);

		CHECK(!err, "read: %d", err);
		CHECK(got == strtoul(crc, NULL, 16), "crc32 %08x, manifest %s", got, crc);
	}
	if (type[0] == 'l') {
		char target[PATH_MAX];
		ssize_t n = vfs_readlinkat(AT_FDCWD, path, target, sizeof(target) - 1);

		CHECK(n >= 0, "readlink: %ld", (long)n);
		target[n] = '\0';
		CHECK(extra && strcmp(target, extra) == 0, "target \"%s\", manifest \"%s\"", target,
		      extra ? extra : "");
	}
	if (type[0] == 'c' || type[0] == 'b') {
		char *minor = extra ? strchr(extra, ':') : NULL;

		CHECK(minor, "no device number in the manifest%s", "");
		CHECK(st.rdev == MKDEV(strtoul(extra, NULL, 10), strtoul(minor + 1, NULL, 10)),
		      "rdev %u:%u, manifest %s", MAJOR(st.rdev), MINOR(st.rdev), extra);
	}
#undef CHECK
	return true;
}

KTEST(initramfs, unpacked_as_the_manifest_says)
{
	char *text, *line, *next;
	unsigned int lines = 0, good = 0;
	ssize_t n;
	int fd;

	if (!cmdline_has("ktest.initramfs"))
		KTEST_SKIP("this run passes no test initramfs");
	text = kmalloc(MANIFEST_MAX);
	KASSERT(text);
	fd = vfs_openat(AT_FDCWD, "/initramfs-manifest", O_RDONLY, 0);
	KASSERT(fd >= 0);
	n = vfs_read(fd, text, MANIFEST_MAX - 1);
	vfs_close(fd);
	KASSERT(n > 0 && n < MANIFEST_MAX - 1);
	text[n] = '\0';
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || !*line)
			continue;
		lines++;
		if (check_entry(line))
			good++;
	}
	KEXPECT_OP(lines, >=, 40);
	KEXPECT_EQ(good, lines);
	kfree(text);
}

/* A newc header for name with size bytes of data (the caller appends them). */
static size_t
put_entry(char *buf, const char *name, unsigned int mode, const char *data)
{
	size_t namesize = strlen(name) + 1, size = data ? strlen(data) : 0, off;

	off = (size_t)snprintf(buf, 111, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08zx%08x",
			       1u, mode, 0u, 0u, 1u, 0u, (unsigned int)size, 0u, 0u, 0u, 0u,
			       namesize, 0u);
	memcpy(buf + off, name, namesize);
	off += namesize;
	while (off % 4)
		buf[off++] = '\0';
	if (size) {
		memcpy(buf + off, data, size);
		off += size;
		while (off % 4)
			buf[off++] = '\0';
	}
	return off;
}

KTEST(initramfs, malformed_archives_stop_cleanly)
{
	char *buf = kzalloc(4096);
	unsigned long entries;
	uint64_t bytes;
	size_t len, good;
	struct kstat st;

	KASSERT(buf);
	/* A good entry, then a header with a bad magic. */
	len = put_entry(buf, "ktest-initramfs-a", S_IFREG | 0644, "first");
	good = len;
	len += put_entry(buf + len, "ktest-initramfs-b", S_IFREG | 0644, "second");
	memcpy(buf + good, "070799", 6);
	KEXPECT_EQ(initramfs_unpack_buffer(buf, len, &entries, &bytes), -EINVAL);
	KEXPECT_EQ(entries, 1);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/ktest-initramfs-a", &st, 0), 0);
	KEXPECT_EQ(st.size, 5);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/ktest-initramfs-b", &st, 0), -ENOENT);

	/* A ".." component must not escape (or be unpacked at all). */
	memset(buf, 0, 4096);
	len = put_entry(buf, "x/../../ktest-escape", S_IFREG | 0644, "no");
	KEXPECT_EQ(initramfs_unpack_buffer(buf, len, &entries, &bytes), -EINVAL);
	KEXPECT_EQ(entries, 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/ktest-escape", &st, 0), -ENOENT);

	/* Truncated in the middle of the data. */
	memset(buf, 0, 4096);
	len = put_entry(buf, "ktest-initramfs-c", S_IFREG | 0644, "0123456789");
	KEXPECT_EQ(initramfs_unpack_buffer(buf, len - 8, &entries, &bytes), -EINVAL);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/ktest-initramfs-c", &st, 0), -ENOENT);

	/* Complete with a trailer: accepted; a later archive replaces a file. */
	memset(buf, 0, 4096);
	len = put_entry(buf, "ktest-initramfs-a", S_IFREG | 0600, "replaced!");
	len += put_entry(buf + len, "TRAILER!!!", 0, NULL);
	KEXPECT_EQ(initramfs_unpack_buffer(buf, len, &entries, &bytes), 0);
	KEXPECT_EQ(entries, 1);
	KEXPECT_EQ(bytes, 9);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/ktest-initramfs-a", &st, 0), 0);
	KEXPECT_EQ(st.size, 9);
	KEXPECT_EQ(st.mode, S_IFREG | 0600);
	kfree(buf);
}
