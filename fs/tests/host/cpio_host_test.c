/*
 * fs/cpio.c on the host under ASan/UBSan: archives built here (valid ones
 * of every member type and alignment, then each malformation the reader
 * must refuse), every truncation of a valid archive, and the archives the
 * real cpio(1) made in fs/tests/fuzz/corpus/ (CPIO_CORPUS names the
 * directory).  Every buffer handed to the reader is a heap block of its
 * exact length, so a read past its end is an ASan report.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <kernel/cpio.h>

#define K_EINVAL	(-22)	/* kernel/errno.h's, without glibc's clash */
#define N(a)		(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ building */

struct ar {
	unsigned char *buf;
	size_t len, cap;
};

/* One member's header values; namesize and filesize follow name and size. */
struct hdr {
	const char *magic;		/* default "070701" */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	const char *name;
	const void *data;
	size_t size;
	bool raw_check;			/* 070702: use check below, not the sum */
	uint32_t check;
};

static void
ar_put(struct ar *a, const void *p, size_t n)
{
	if (!n)
		return;
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2 + 1024;
		a->buf = realloc(a->buf, a->cap);
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void
ar_zeros(struct ar *a, size_t n)
{
	static const unsigned char z[4096];

	while (n) {
		size_t k = n < sizeof(z) ? n : sizeof(z);

		ar_put(a, z, k);
		n -= k;
	}
}

static void
ar_align4(struct ar *a)
{
	ar_zeros(a, (4 - (a->len & 3)) & 3);
}

/* Appends a member; returns the offset of its header. */
static size_t
ar_add(struct ar *a, const struct hdr *h)
{
	const unsigned char *d = h->data;
	size_t off = a->len, namesize = strlen(h->name) + 1;
	uint32_t sum = 0;
	char hdr[CPIO_HDR_SIZE + 64];

	for (size_t i = 0; i < h->size; i++)
		sum += d[i];
	snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 h->magic ? h->magic : "070701", h->ino, h->mode, h->uid, h->gid, h->nlink,
		 h->mtime, (uint32_t)h->size, h->devmajor, h->devminor, h->rdevmajor,
		 h->rdevminor, (uint32_t)namesize, h->raw_check ? h->check :
			   h->magic && !strcmp(h->magic, "070702") ? sum : 0);
	ar_put(a, hdr, CPIO_HDR_SIZE);
	ar_put(a, h->name, namesize);
	ar_align4(a);
	ar_put(a, h->data, h->size);
	ar_align4(a);
	return off;
}

static size_t
ar_file(struct ar *a, const char *name, const char *text)
{
	return ar_add(a, &(struct hdr){ .ino = 1, .mode = 0100644, .nlink = 1,
					.name = name, .data = text, .size = strlen(text) });
}

static size_t
ar_trailer(struct ar *a)
{
	return ar_add(a, &(struct hdr){ .name = CPIO_TRAILER, .nlink = 1 });
}

/* Overwrites header field i (0 = ino ... 12 = check) of the member at off. */
static void
set_field(struct ar *a, size_t off, int i, uint32_t v)
{
	char s[9];

	snprintf(s, sizeof(s), "%08X", v);
	memcpy(a->buf + off + 6 + 8 * i, s, 8);
}

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
       F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

/* ------------------------------------------------------------ walking */

struct walk {
	int rc;				/* the final cpio_next() result */
	int n;				/* entries returned */
	struct cpio_entry e[64];
	char err[128];
	unsigned int archive[64];	/* r.archive after each entry */
};

/*
 * Walks a copy of buf[0..len) in a heap block of exactly len bytes,
 * checking what any result must satisfy: entries inside the buffer,
 * names NUL-terminated, errors a single line naming the offset.
 */
static struct walk *
walk(const void *buf, size_t len)
{
	static struct walk w;
	static unsigned char *copy;	/* the last walk's, for the caller's checks */
	struct cpio_reader r;
	struct cpio_entry e;

	free(copy);
	copy = malloc(len ? len : 1);
	memcpy(copy, buf, len);
	memset(&w, 0, sizeof(w));
	cpio_reader_init(&r, copy, len);
	while ((w.rc = cpio_next(&r, &e)) == 1) {
		const unsigned char *name = (const unsigned char *)e.name;
		const unsigned char *data = e.data;

		CHECK(name >= copy && name + e.namelen < copy + len);
		CHECK(e.name[e.namelen] == '\0' && strlen(e.name) == e.namelen);
		CHECK(data >= copy && data + e.size <= copy + len);
		CHECK(((data - copy) & 3) == 0 || e.size == 0);
		CHECK(((name - copy - CPIO_HDR_SIZE) & 3) == 0);
		CHECK(r.entry_off == (size_t)(name - copy) - CPIO_HDR_SIZE);
		if (w.n < 64) {
			w.e[w.n] = e;
			w.archive[w.n] = r.archive;
		}
		w.n++;
	}
	CHECK(w.rc == 0 || w.rc == K_EINVAL);
	CHECK(memchr(r.err, '\0', sizeof(r.err)) != NULL);
	if (w.rc == 0) {
		CHECK(r.err[0] == '\0');
	} else {
		CHECK(strncmp(r.err, "offset ", 7) == 0);
		CHECK(strchr(r.err, '\n') == NULL);
		/* Errors stick. */
		CHECK(cpio_next(&r, &e) == K_EINVAL);
	}
	CHECK(r.entries == (unsigned int)w.n);
	strcpy(w.err, r.err);
	return &w;
}

static struct walk *
walk_ar(const struct ar *a)
{
	return walk(a->buf, a->len);
}

/* The walk failed with a message containing what. */
#define CHECK_FAILS(w, what) do {					\
	struct walk *w_ = (w);						\
	CHECK(w_->rc == K_EINVAL);					\
	if (!strstr(w_->err, (what)))					\
		host_test_fail_str(__FILE__, __LINE__, w_->err, (what));	\
} while (0)

static bool
entry_is(const struct cpio_entry *e, const char *name, const char *data)
{
	return e->namelen == strlen(name) && !strcmp(e->name, name) &&
	       e->size == strlen(data) && !memcmp(e->data, data, e->size);
}

/* ------------------------------------------------------------ accepted */

HOST_TEST(empty_and_zero_buffers_are_the_end)
{
	static const unsigned char zeros[1027];

	CHECK(walk("", 0)->rc == 0);
	for (size_t n = 1; n < sizeof(zeros); n += 1 + n / 4) {
		struct walk *w = walk(zeros, n);

		CHECK(w->rc == 0 && w->n == 0);
	}
}

HOST_TEST(one_file_every_field)
{
	struct ar a = { 0 };
	struct walk *w;
	const struct cpio_entry *e;

	ar_add(&a, &(struct hdr){ .ino = 0x1234abcd, .mode = 0100755, .uid = 1000,
				  .gid = 0xfffffffe, .nlink = 1, .mtime = 1700000000,
				  .devmajor = 8, .devminor = 0x12345, .rdevmajor = 0xa,
				  .rdevminor = 0xb, .name = "bin/tool", .data = "hello\n",
				  .size = 6 });
	ar_trailer(&a);
	w = walk_ar(&a);
	CHECK(w->rc == 0 && w->n == 1);
	e = &w->e[0];
	CHECK(entry_is(e, "bin/tool", "hello\n"));
	CHECK(e->ino == 0x1234abcd && e->mode == 0100755 && e->uid == 1000);
	CHECK(e->gid == 0xfffffffe && e->nlink == 1 && e->mtime == 1700000000);
	CHECK(e->devmajor == 8 && e->devminor == 0x12345);
	CHECK(e->rdevmajor == 0xa && e->rdevminor == 0xb);
	CHECK(w->archive[0] == 1);
	free(a.buf);
}

HOST_TEST(lower_and_upper_case_hex)
{
	struct ar a = { 0 };
	size_t off = ar_file(&a, "f", "x");
	struct walk *w;

	ar_trailer(&a);
	memcpy(a.buf + off + 6 + 8 * F_MODE, "000081a4", 8);
	memcpy(a.buf + off + 6 + 8 * F_MTIME, "DeadBeeF", 8);
	w = walk_ar(&a);
	CHECK(w->rc == 0 && w->n == 1);
	CHECK(w->e[0].mode == 0100644 && w->e[0].mtime == 0xdeadbeef);
	free(a.buf);
}

/* Every name length against every data length: the two paddings. */
HOST_TEST(alignment_of_every_name_and_data_length)
{
	static const char text[] = "0123456789abcdef";
	char name[16];

	for (size_t nl = 1; nl <= 9; nl++) {
		for (size_t dl = 0; dl <= 9; dl++) {
			struct ar a = { 0 };
			struct walk *w;

			memset(name, 'n', nl);
			name[nl] = '\0';
			ar_add(&a, &(struct hdr){ .mode = 0100644, .nlink = 1, .name = name,
						  .data = text, .size = dl });
			ar_add(&a, &(struct hdr){ .mode = 0100600, .nlink = 1, .name = "second",
						  .data = text + 1, .size = dl });
			ar_trailer(&a);
			w = walk_ar(&a);
			CHECK(w->rc == 0 && w->n == 2);
			CHECK(w->e[0].namelen == nl && w->e[0].size == dl);
			CHECK(!memcmp(w->e[0].data, text, dl));
			CHECK(!strcmp(w->e[1].name, "second") && w->e[1].size == dl);
			CHECK(!memcmp(w->e[1].data, text + 1, dl));
			free(a.buf);
		}
	}
}

HOST_TEST(every_member_type)
{
	struct ar a = { 0 };
	struct walk *w;

	ar_add(&a, &(struct hdr){ .ino = 1, .mode = 040755, .nlink = 2, .name = "." });
	ar_add(&a, &(struct hdr){ .ino = 2, .mode = 040700, .nlink = 2, .name = "dir" });
	ar_add(&a, &(struct hdr){ .ino = 3, .mode = 0120777, .nlink = 1, .name = "dir/link",
				  .data = "../target", .size = 9 });
	ar_add(&a, &(struct hdr){ .ino = 4, .mode = 020666, .nlink = 1, .name = "null",
				  .rdevmajor = 1, .rdevminor = 3, .uid = 7, .gid = 8 });
	ar_add(&a, &(struct hdr){ .ino = 5, .mode = 060660, .nlink = 1, .name = "sda1",
				  .rdevmajor = 8, .rdevminor = 1 });
	ar_add(&a, &(struct hdr){ .ino = 6, .mode = 010644, .nlink = 1, .name = "fifo" });
	ar_add(&a, &(struct hdr){ .ino = 7, .mode = 0140755, .nlink = 1, .name = "sock" });
	ar_add(&a, &(struct hdr){ .ino = 8, .mode = 0104755, .nlink = 1, .name = "suid",
				  .data = "#!", .size = 2 });
	ar_trailer(&a);
	w = walk_ar(&a);
	CHECK(w->rc == 0 && w->n == 8);
	CHECK(entry_is(&w->e[0], ".", "") && w->e[0].mode == 040755);
	CHECK(entry_is(&w->e[2], "dir/link", "../target") && w->e[2].mode == 0120777);
	CHECK(w->e[3].mode == 020666 && w->e[3].rdevmajor == 1 && w->e[3].rdevminor == 3);
	CHECK(w->e[3].uid == 7 && w->e[3].gid == 8);
	CHECK(w->e[4].mode == 060660 && w->e[4].rdevmajor == 8 && w->e[4].rdevminor == 1);
	CHECK(w->e[5].mode == 010644 && w->e[6].mode == 0140755);
	CHECK(entry_is(&w->e[7], "suid", "#!") && w->e[7].mode == 0104755);
	free(a.buf);
}

/* As cpio -H newc writes them: data only on the last name. */
HOST_TEST(hard_links_are_returned_as_written)
{
	struct ar a = { 0 };
	struct walk *w;

	ar_add(&a, &(struct hdr){ .ino = 9, .mode = 0100644, .nlink = 3, .name = "a/one" });
	ar_add(&a, &(struct hdr){ .ino = 9, .mode = 0100644, .nlink = 3, .name = "b/two" });
	ar_add(&a, &(struct hdr){ .ino = 9, .mode = 0100644, .nlink = 3, .name = "a/three",
				  .data = "shared", .size = 6 });
	ar_trailer(&a);
	w = walk_ar(&a);
	CHECK(w->rc == 0 && w->n == 3);
	for (int i = 0; i < 3; i++)
		CHECK(w->e[i].ino == 9 && w->e[i].nlink == 3);
	CHECK(w->e[0].size == 0 && w->e[1].size == 0);
	CHECK(entry_is(&w->e[2], "a/three", "shared"));
	free(a.buf);
}

HOST_TEST(names_are_returned_as_written)
{
	static const char *const ok[] = {
		".", "./a", "/a", "//a", "a/./b", "...", "..a", "a..", ".a/..b", "a/.../b",
		"a/", "./", "/", "x/.. y",
	};
	struct ar a = { 0 };
	struct walk *w;

	for (size_t i = 0; i < N(ok); i++)
		ar_add(&a, &(struct hdr){ .mode = 040755, .nlink = 2, .name = ok[i] });
	ar_trailer(&a);
	w = walk_ar(&a);
	CHECK(w->rc == 0 && w->n == (int)N(ok));
	for (size_t i = 0; i < N(ok); i++)
		CHECK_STREQ(w->e[i].name, ok[i]);
	free(a.buf);
}

HOST_TEST(longest_name)
{
	static char name[CPIO_NAME_MAX];
	struct ar a = { 0 };
	struct walk *w;

	memset(name, 'x', sizeof(name) - 1);
	for (size_t i = 100; i < sizeof(name) - 1; i += 100)
		name[i] = '/';
	ar_file(&a, name, "data");
	ar_trailer(&a);
	w = walk_ar(&a);
	CHECK(w->rc == 0 && w->n == 1 && w->e[0].namelen == CPIO_NAME_MAX - 1);
	CHECK(entry_is(&w->e[0], name, "data"));
	free(a.buf);
}

HOST_TEST(concatenated_archives)
{
	/* Zero padding between them: none, 4, a 512 block, a page. */
	static const size_t pads[] = { 0, 4, 8, 512, 4096 };

	for (size_t i = 0; i < N(pads); i++) {
		struct ar a = { 0 };
		struct walk *w;

		ar_file(&a, "one", "first");
		ar_trailer(&a);
		ar_zeros(&a, pads[i]);
		ar_file(&a, "two", "second");
		ar_file(&a, "three", "");
		ar_trailer(&a);
		ar_zeros(&a, pads[i]);
		ar_trailer(&a);				/* an empty archive */
		ar_file(&a, "four", "fourth");
		ar_trailer(&a);
		w = walk_ar(&a);
		CHECK(w->rc == 0 && w->n == 4);
		CHECK(entry_is(&w->e[0], "one", "first") && w->archive[0] == 1);
		CHECK(entry_is(&w->e[1], "two", "second") && w->archive[1] == 2);
		CHECK(entry_is(&w->e[2], "three", "") && w->archive[2] == 2);
		CHECK(entry_is(&w->e[3], "four", "fourth") && w->archive[3] == 4);
		free(a.buf);
	}
}

/* Trailing zeros of any length; the last member's padding may be cut. */
HOST_TEST(end_of_buffer_after_the_trailer)
{
	for (size_t extra = 0; extra < 9; extra++) {
		struct ar a = { 0 };
		size_t toff;

		ar_file(&a, "f", "abc");
		toff = ar_trailer(&a);
		ar_zeros(&a, extra);
		CHECK(walk_ar(&a)->rc == 0);
		/* Cut into the trailer's padding: 110 + 11 is its name's end. */
		a.len = toff + CPIO_HDR_SIZE + sizeof(CPIO_TRAILER) + extra % 3;
		CHECK(walk_ar(&a)->rc == 0);
		free(a.buf);
	}
}

HOST_TEST(crc_format_checksums)
{
	static const unsigned char bin[] = { 0xff, 0xfe, 0x00, 0x80, 0x7f };
	struct ar a = { 0 };
	size_t off;
	struct walk *w;

	ar_add(&a, &(struct hdr){ .magic = "070702", .mode = 0100644, .nlink = 1,
				  .name = "bin", .data = bin, .size = sizeof(bin) });
	ar_add(&a, &(struct hdr){ .magic = "070702", .mode = 0100644, .nlink = 1,
				  .name = "empty" });
	/* Only regular files are summed (cpio -H crc writes 0 for the rest). */
	ar_add(&a, &(struct hdr){ .magic = "070702", .mode = 0120777, .nlink = 1,
				  .name = "link", .data = "bin", .size = 3, .raw_check = true });
	ar_add(&a, &(struct hdr){ .magic = "070701", .mode = 0100644, .nlink = 1,
				  .name = "newc", .data = "x", .size = 1 });
	off = ar_add(&a, &(struct hdr){ .magic = "070702", .mode = 0100644, .nlink = 1,
					.name = "big", .data = "\xff\xff\xff\xff", .size = 4 });
	ar_trailer(&a);
	w = walk_ar(&a);
	CHECK(w->rc == 0 && w->n == 5);
	CHECK(!memcmp(a.buf + off + 6 + 8 * F_CHECK, "000003FC", 8));

	/* One bit off in the sum, or in the data. */
	set_field(&a, off, F_CHECK, 0x3fd);
	CHECK_FAILS(walk_ar(&a), "data checksum 000003fc of \"big\" is not the header's 000003fd");
	set_field(&a, off, F_CHECK, 0x3fc);
	CHECK(walk_ar(&a)->rc == 0);
	a.buf[off + 116 + 2] = 0xfe;		/* "big": its data starts at +116 */
	CHECK_FAILS(walk_ar(&a), "is not the header's 000003fc");
	free(a.buf);

	/* Checksum of an empty regular file must be 0. */
	memset(&a, 0, sizeof(a));
	ar_add(&a, &(struct hdr){ .magic = "070702", .mode = 0100644, .nlink = 1,
				  .name = "e", .raw_check = true, .check = 1 });
	ar_trailer(&a);
	CHECK_FAILS(walk_ar(&a), "offset 0: data checksum 00000000");
	free(a.buf);
}

/* ------------------------------------------------------------ refused */

HOST_TEST(bad_magic)
{
	static const struct {
		const char *magic, *msg;
	} bad[] = {
		{ "070703", "no cpio magic: want 070701 or 070702, found \"070703\"" },
		{ "170701", "found \"170701\"" },
		{ "07070\n", "found \"07070?\"" },
		{ "070707", "old portable cpio (070707): make the archive with -H newc" },
		{ "\x1f\x8b\x08\x00\x00\x00", "gzip-compressed data" },
		{ "\xfd" "7zXZ\x00", "xz-compressed data" },
		{ "\x28\xb5\x2f\xfd\x00\x00", "zstd-compressed data" },
		{ "BZh91A", "bzip2-compressed data" },
	};

	for (size_t i = 0; i < N(bad); i++) {
		struct ar a = { 0 };

		ar_file(&a, "f", "data");
		ar_trailer(&a);
		memcpy(a.buf, bad[i].magic, 6);
		CHECK_FAILS(walk_ar(&a), bad[i].msg);
		CHECK_FAILS(walk_ar(&a), "offset 0: ");
		free(a.buf);
	}
}

HOST_TEST(bad_magic_in_second_member_names_its_offset)
{
	struct ar a = { 0 };
	size_t off;

	ar_file(&a, "f", "data");
	off = ar_file(&a, "g", "data");
	ar_trailer(&a);
	a.buf[off + 3] = 'x';
	CHECK(off == 116);
	CHECK_FAILS(walk_ar(&a), "offset 116: no cpio magic");
	CHECK(walk_ar(&a)->n == 1);
	free(a.buf);
}

/* A character that is no hex digit, at each position of each field. */
HOST_TEST(non_hex_digit_in_every_field)
{
	static const char *const names[] = {
		"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
		"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
	};
	static const char junk[] = { 'g', 'G', ' ', 'x', '\0', '-', '+', '\xff' };
	char want[64];

	for (int field = 0; field < 13; field++) {
		for (int pos = 0; pos < 8; pos++) {
			struct ar a = { 0 };

			ar_file(&a, "f", "data");
			ar_trailer(&a);
			a.buf[6 + 8 * field + pos] = junk[(field + pos) % sizeof(junk)];
			snprintf(want, sizeof(want), "offset 0: header field %s is not 8 hex digits",
				 names[field]);
			CHECK_FAILS(walk_ar(&a), want);
			free(a.buf);
		}
	}
}

/* Every prefix of a valid archive: an error, or the end once the trailer's name is in. */
HOST_TEST(every_truncation)
{
	struct ar a = { 0 };
	size_t toff, len;

	ar_add(&a, &(struct hdr){ .mode = 040755, .nlink = 2, .name = "d" });
	ar_file(&a, "d/file", "0123456789");
	ar_add(&a, &(struct hdr){ .mode = 0120777, .nlink = 1, .name = "d/l",
				  .data = "file", .size = 4 });
	toff = ar_trailer(&a);
	len = a.len;
	for (size_t n = 1; n < len; n++) {
		struct walk *w = walk(a.buf, n);

		if (n >= toff + CPIO_HDR_SIZE + sizeof(CPIO_TRAILER)) {
			CHECK(w->rc == 0 && w->n == 3);
		} else {
			CHECK(w->rc == K_EINVAL);
			CHECK(strstr(w->err, "truncated") || strstr(w->err, "ends without"));
		}
	}
	/* The messages for each part. */
	CHECK_FAILS(walk(a.buf, 50), "offset 0: header truncated: 50 of 110 bytes");
	CHECK_FAILS(walk(a.buf, 111), "offset 0: name truncated: namesize 2, 1 bytes left");
	/* "d" at 0, "d/file" at 112 (data at 232), "d/l" at 244, the trailer at 364. */
	CHECK(toff == 364);
	CHECK_FAILS(walk(a.buf, 112 + 111), "offset 112: name truncated: namesize 7, 1 bytes left");
	CHECK_FAILS(walk(a.buf, 232 + 3), "offset 112: data truncated: filesize 10, 3 bytes left");
	CHECK_FAILS(walk(a.buf, 230), "offset 112: data truncated: filesize 10, 0 bytes left");
	CHECK_FAILS(walk(a.buf, 232), "offset 112: data truncated: filesize 10, 0 bytes left");
	CHECK_FAILS(walk(a.buf, 112), "offset 112: archive 1 ends without its TRAILER!!! entry");
	CHECK_FAILS(walk(a.buf, 243), "offset 243: archive 1 ends without its TRAILER!!! entry");
	CHECK_FAILS(walk(a.buf, 112 + 3), "offset 112: header truncated: 3 of 110");
	free(a.buf);
}

HOST_TEST(bad_namesize)
{
	static const uint32_t sizes[] = { 0, CPIO_NAME_MAX + 1, 0x7fffffff, 0xffffffff };
	char want[64];

	for (size_t i = 0; i < N(sizes); i++) {
		struct ar a = { 0 };

		ar_file(&a, "f", "data");
		ar_trailer(&a);
		set_field(&a, 0, F_NAMESIZE, sizes[i]);
		snprintf(want, sizeof(want), "offset 0: namesize %u is not in 1..4096", sizes[i]);
		CHECK_FAILS(walk_ar(&a), want);
		free(a.buf);
	}
}

HOST_TEST(name_without_its_nul)
{
	struct ar a = { 0 };

	ar_file(&a, "abc", "data");
	ar_trailer(&a);
	set_field(&a, 0, F_NAMESIZE, 3);	/* "ab" + 'c' where the NUL belongs */
	CHECK_FAILS(walk_ar(&a), "offset 0: name \"abc\" does not end in a NUL (namesize 3)");
	set_field(&a, 0, F_NAMESIZE, 5);	/* NUL at 3, then padding */
	CHECK_FAILS(walk_ar(&a), "offset 0: name \"abc\" has a NUL byte at 3 of namesize 5");
	free(a.buf);

	memset(&a, 0, sizeof(a));
	ar_file(&a, "a\1b", "data");
	ar_trailer(&a);
	a.buf[CPIO_HDR_SIZE + 1] = '\0';		/* "a\0b\0" */
	CHECK_FAILS(walk_ar(&a), "offset 0: name \"a\" has a NUL byte at 1 of namesize 4");
	free(a.buf);

	memset(&a, 0, sizeof(a));
	ar_file(&a, "", "data");
	ar_trailer(&a);
	CHECK_FAILS(walk_ar(&a), "offset 0: empty name (namesize 1)");
	free(a.buf);
}

HOST_TEST(dotdot_components)
{
	static const char *const bad[] = {
		"..", "../a", "a/..", "a/../b", "/..", "./../x", "a//../b", "../../../../etc/passwd",
		"a/b/c/..",
	};

	for (size_t i = 0; i < N(bad); i++) {
		struct ar a = { 0 };

		ar_file(&a, "fine", "x");
		ar_file(&a, bad[i], "data");
		ar_trailer(&a);
		CHECK_FAILS(walk_ar(&a), "has a \"..\" component");
		CHECK_FAILS(walk_ar(&a), "offset 120: name \"");	/* "fine" ends at 120 */
		CHECK(walk_ar(&a)->n == 1);
		free(a.buf);
	}
}

HOST_TEST(names_in_messages_are_sanitized)
{
	struct ar a = { 0 };

	ar_file(&a, "\x1b[2J/../\x7f", "x");
	ar_trailer(&a);
	CHECK_FAILS(walk_ar(&a), "name \"?[2J/../?\" has");
	free(a.buf);
}

HOST_TEST(filesize_beyond_the_buffer)
{
	static const uint32_t sizes[] = { 9, 129, 0x7fffffff, 0xfffffffc, 0xffffffff };

	for (size_t i = 0; i < N(sizes); i++) {
		struct ar a = { 0 };

		ar_file(&a, "f", "data");
		ar_trailer(&a);
		set_field(&a, 0, F_FILESIZE, sizes[i]);
		if (sizes[i] == 9) {
			/* Inside the buffer, but the trailer's header is then data. */
			CHECK_FAILS(walk_ar(&a), "offset 124: no cpio magic");
		} else {
			CHECK_FAILS(walk_ar(&a), "offset 0: data truncated: filesize");
		}
		free(a.buf);
	}
}

HOST_TEST(zero_bytes_inside_an_archive)
{
	struct ar a = { 0 };

	ar_file(&a, "f", "data");
	ar_zeros(&a, 4);
	ar_trailer(&a);
	CHECK_FAILS(walk_ar(&a), "offset 116: zero bytes inside archive 1, before its TRAILER!!!");
	free(a.buf);
}

HOST_TEST(missing_trailer)
{
	struct ar a = { 0 };

	ar_file(&a, "f", "data");
	CHECK_FAILS(walk_ar(&a), "offset 116: archive 1 ends without its TRAILER!!! entry");
	CHECK(walk_ar(&a)->n == 1);
	/* The second archive's end counts the same. */
	ar_trailer(&a);
	ar_file(&a, "g", "data");
	CHECK_FAILS(walk_ar(&a), "archive 2 ends without");
	free(a.buf);
}

HOST_TEST(misaligned_second_archive)
{
	for (size_t z = 1; z < 4; z++) {
		struct ar a = { 0 };

		ar_file(&a, "f", "data");
		ar_trailer(&a);
		ar_zeros(&a, z);
		ar_file(&a, "g", "data");
		ar_trailer(&a);
		CHECK_FAILS(walk_ar(&a), "archive 2 does not start on a 4-byte boundary");
		free(a.buf);
	}
}

HOST_TEST(junk_after_the_trailer)
{
	struct ar a = { 0 };

	ar_file(&a, "f", "data");
	ar_trailer(&a);
	ar_put(&a, "junk", 4);
	CHECK_FAILS(walk_ar(&a), "offset 240: no cpio magic: want 070701 or 070702, found \"junk\"");
	free(a.buf);
}

/* Random bytes and bit flips of a valid archive: nothing read out of bounds. */
HOST_TEST(random_corruption)
{
	struct ar a = { 0 };
	unsigned char *copy;

	ar_add(&a, &(struct hdr){ .mode = 040755, .nlink = 2, .name = "d" });
	ar_add(&a, &(struct hdr){ .magic = "070702", .mode = 0100644, .nlink = 1,
				  .name = "d/f", .data = "0123456789", .size = 10 });
	ar_trailer(&a);
	copy = malloc(a.len);
	srand(7);
	for (int i = 0; i < 20000; i++) {
		memcpy(copy, a.buf, a.len);
		for (int k = rand() % 4; k >= 0; k--)
			copy[rand() % a.len] = (unsigned char)(rand() % 3 ? '0' + rand() % 16 : rand());
		walk(copy, (size_t)rand() % (a.len + 1));
	}
	free(copy);
	free(a.buf);
}

/* ------------------------------------------------------------ real cpio(1) */

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (*len == cap)
			buf = realloc(buf, cap = cap * 2 + 4096);
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n);
	fclose(f);
	return buf;
}

/* The seed corpus: archives cpio -o -H newc / -H crc made (see its README). */
HOST_TEST(archives_made_by_cpio)
{
	const char *dir = getenv("CPIO_CORPUS");
	char path[4096];
	struct dirent *d;
	DIR *dp;
	int files = 0;

	CHECK(dir != NULL);
	if (!dir || !(dp = opendir(dir))) {
		CHECK(!"CPIO_CORPUS is no directory");
		return;
	}
	while ((d = readdir(dp))) {
		unsigned char *buf;
		size_t len;
		struct walk *w;
		bool has_link = false;

		if (!strstr(d->d_name, ".cpio"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		buf = read_file(path, &len);
		CHECK(buf != NULL);
		w = walk(buf, len);
		if (w->rc != 0)
			host_test_fail_str(__FILE__, __LINE__, d->d_name, w->err);
		CHECK(w->n >= 5);
		/* Each holds the tree in the README: the symlink to "file". */
		for (int i = 0; i < w->n && i < 64; i++)
			has_link |= entry_is(&w->e[i], "dir/link", "file");
		CHECK(has_link);
		free(buf);
		files++;
	}
	closedir(dp);
	CHECK(files >= 3);
}
