/*
 * The cpio "newc" reader under the initramfs: walks one buffer holding
 * one or more archives and hands out their members, checking every header
 * so that no later code reads outside the buffer.  It follows Linux's
 * init/initramfs.c (offsets and 4-byte alignment counted from the start
 * of the buffer, zero padding between archives, 070702 data checksums)
 * but is stricter where Linux goes on silently: a bad name, a missing
 * TRAILER!!! or zero bytes inside an archive are errors here, since they
 * mean a broken image, and a boot from a broken image should say so.
 */
#include <stdarg.h>
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/cpio.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/stat.h>

enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	NR_FIELDS
};

static const char *const field_name[NR_FIELDS] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

/* Compressed images: Linux unpacks them, this kernel does not (yet). */
static const struct {
	const char *magic;
	size_t len;
	const char *what;
} compressed[] = {
	{ "\x1f\x8b", 2, "gzip" },
	{ "\xfd" "7zXZ", 5, "xz" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd" },
	{ "BZh", 3, "bzip2" },
	{ "\x02\x21\x4c\x18", 4, "lz4" },
	{ "\x89LZO", 4, "lzo" },
};

void
cpio_reader_init(struct cpio_reader *r, const void *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = len;
}

/*
 * Copies up to n - 1 bytes of untrusted text for a message, with anything
 * but printable ASCII as '?': the message goes to a console.
 */
static const char *
sanitize(char *dst, size_t n, const void *src, size_t len)
{
	const unsigned char *s = src;
	size_t i;

	for (i = 0; i < len && i + 1 < n; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	dst[i] = '\0';
	return dst;
}

static __printf(3, 4) int
fail(struct cpio_reader *r, size_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(r->err, sizeof(r->err), "offset %zu: ", off);
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
	r->error = -EINVAL;
	return r->error;
}

/*
 * Eight hex digits (either case); the index of the first bad one, or -1.
 * (unsigned int, not uint32_t: it is 32 bits on every port, and %u/%x
 * print it everywhere, where uint32_t is unsigned long on ARMv6-M.)
 */
static int
parse_hex8(const unsigned char *p, unsigned int *out)
{
	unsigned int v = 0;

	for (int i = 0; i < 8; i++) {
		unsigned int c = p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return i;
		v = v << 4 | d;
	}
	*out = v;
	return -1;
}

/* Whether a '/'-separated name has a ".." component: it could climb out. */
static bool
has_dotdot(const char *name, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i;

		while (i < len && name[i] != '/')
			i++;
		if (i - start == 2 && name[start] == '.' && name[start + 1] == '.')
			return true;
		i++;
	}
	return false;
}

static size_t
pad4(size_t off)
{
	return (4 - (off & 3)) & 3;
}

/*
 * Checks the magic (as much of it as the buffer holds: a shorter rest is
 * a truncated header); the message says what the bytes are instead.
 */
static int
check_magic(struct cpio_reader *r, size_t off)
{
	const unsigned char *h = r->buf + off;
	size_t rest = r->len - off;
	char shown[8];

	if (memcmp(h, "07070", MIN(rest, (size_t)5)) == 0 &&
	    (rest < 6 || h[5] == '1' || h[5] == '2'))
		return 0;
	if (r->in_archive && h[0] == '\0')
		return fail(r, off, "zero bytes inside archive %u, before its " CPIO_TRAILER,
			    r->archive);
	if (rest >= 6 && memcmp(h, "070707", 6) == 0)
		return fail(r, off, "old portable cpio (070707): make the archive with -H newc");
	for (size_t i = 0; i < ARRAY_SIZE(compressed); i++) {
		if (rest >= compressed[i].len && memcmp(h, compressed[i].magic, compressed[i].len) == 0)
			return fail(r, off, "%s-compressed data: only uncompressed newc cpio is read",
				    compressed[i].what);
	}
	return fail(r, off, "no cpio magic: want 070701 or 070702, found \"%s\"",
		    sanitize(shown, sizeof(shown), h, MIN(rest, (size_t)6)));
}

int
cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	unsigned int f[NR_FIELDS];
	const unsigned char *h;
	const char *name, *nul;
	size_t off, name_off, data_off, end, namelen, rest;
	char shown[52];

	if (r->error)
		return r->error;
	for (;;) {
		off = r->off;
		if (!r->in_archive) {
			/*
			 * Between archives: zero padding of any length, then
			 * the next one on a 4-byte boundary (Linux: "broken
			 * padding" otherwise), or the end of the buffer.
			 */
			while (off < r->len && r->buf[off] == '\0')
				off++;
			r->off = off;
			if (off == r->len)
				return 0;
			if (off & 3)
				return fail(r, off, "archive %u does not start on a 4-byte boundary",
					    r->archive + 1);
		} else if (off == r->len) {
			return fail(r, off, "archive %u ends without its " CPIO_TRAILER " entry",
				    r->archive);
		}

		rest = r->len - off;
		if (check_magic(r, off))
			return r->error;
		if (rest < CPIO_HDR_SIZE)
			return fail(r, off, "header truncated: %zu of %d bytes", rest, CPIO_HDR_SIZE);
		h = r->buf + off;
		for (int i = 0; i < NR_FIELDS; i++) {
			int bad = parse_hex8(h + 6 + 8 * i, &f[i]);

			if (bad >= 0)
				return fail(r, off, "header field %s is not 8 hex digits: \"%s\"",
					    field_name[i], sanitize(shown, 9, h + 6 + 8 * i, 8));
		}

		/* Sizes come from the archive: compare them with what is left. */
		name_off = off + CPIO_HDR_SIZE;
		if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > CPIO_NAME_MAX)
			return fail(r, off, "namesize %u is not in 1..%d", f[F_NAMESIZE],
				    CPIO_NAME_MAX);
		if (f[F_NAMESIZE] > r->len - name_off)
			return fail(r, off, "name truncated: namesize %u, %zu bytes left",
				    f[F_NAMESIZE], r->len - name_off);
		name = (const char *)r->buf + name_off;
		namelen = f[F_NAMESIZE] - 1;
		nul = memchr(name, '\0', f[F_NAMESIZE]);
		if (!nul)
			return fail(r, off, "name \"%s\" does not end in a NUL (namesize %u)",
				    sanitize(shown, 33, name, f[F_NAMESIZE]), f[F_NAMESIZE]);
		if ((size_t)(nul - name) != namelen)
			return fail(r, off, "name \"%s\" has a NUL byte at %zu of namesize %u",
				    sanitize(shown, 33, name, (size_t)(nul - name)),
				    (size_t)(nul - name), f[F_NAMESIZE]);

		/*
		 * Header and name are padded to 4 bytes, then the data is.  A
		 * buffer may end in the padding after the last member.
		 */
		data_off = name_off + f[F_NAMESIZE];
		if (pad4(data_off) <= r->len - data_off)
			data_off += pad4(data_off);
		else if (f[F_FILESIZE] == 0)
			data_off = r->len;
		else
			return fail(r, off, "data truncated: filesize %u, 0 bytes left",
				    f[F_FILESIZE]);
		if (f[F_FILESIZE] > r->len - data_off)
			return fail(r, off, "data truncated: filesize %u, %zu bytes left",
				    f[F_FILESIZE], r->len - data_off);
		end = data_off + f[F_FILESIZE];
		r->off = pad4(end) <= r->len - end ? end + pad4(end) : r->len;

		if (!r->in_archive) {
			r->in_archive = true;
			r->archive++;
		}
		if (namelen == sizeof(CPIO_TRAILER) - 1 && memcmp(name, CPIO_TRAILER, namelen) == 0) {
			r->in_archive = false;
			continue;
		}
		if (namelen == 0)
			return fail(r, off, "empty name (namesize 1)");
		if (has_dotdot(name, namelen))
			return fail(r, off, "name \"%s\" has a \"..\" component",
				    sanitize(shown, sizeof(shown), name, namelen));

		/* 070702: "check" is the 32-bit sum of a regular file's bytes. */
		if (h[5] == '2' && S_ISREG(f[F_MODE])) {
			const unsigned char *p = r->buf + data_off;
			unsigned int sum = 0;

			for (size_t i = 0; i < f[F_FILESIZE]; i++)
				sum += p[i];
			if (sum != f[F_CHECK])
				return fail(r, off, "data checksum %08x of \"%s\" is not the header's %08x",
					    sum, sanitize(shown, 33, name, namelen), f[F_CHECK]);
		}

		e->name = name;
		e->namelen = namelen;
		e->ino = f[F_INO];
		e->mode = f[F_MODE];
		e->uid = f[F_UID];
		e->gid = f[F_GID];
		e->nlink = f[F_NLINK];
		e->mtime = f[F_MTIME];
		e->devmajor = f[F_DEVMAJOR];
		e->devminor = f[F_DEVMINOR];
		e->rdevmajor = f[F_RDEVMAJOR];
		e->rdevminor = f[F_RDEVMINOR];
		e->data = r->buf + data_off;
		e->size = f[F_FILESIZE];
		r->entry_off = off;
		r->entries++;
		return 1;
	}
}
