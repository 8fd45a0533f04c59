/*
 * The test initramfs that scripts/mkinitramfs_test.py made (the file
 * TEST_INITRAMFS names), read back with fs/cpio.c: two archives, and
 * every member agrees with its line of /initramfs-manifest (type, mode,
 * owner, mtime, size, lib/crc32.c over the data, symlink target, device
 * number), hard links resolved as an unpacker must (the data comes with
 * the last name), no member without a line and no line without a member.
 * It checks the generator, cpio(1) and the reader against one another
 * before the kernel's own test compares the unpacked tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "host_test.h"
#include <kernel/cpio.h>
#include <kernel/crc32.h>

#define MAX_ENTRIES 256

struct member {
	char path[CPIO_NAME_MAX + 1];	/* from '/', as the unpacked tree shows it */
	const char *raw;		/* the name as written */
	struct cpio_entry e;
	size_t raw_size;		/* the size as written */
	unsigned int archive;
	int seen;
};

static struct member m[MAX_ENTRIES];
static int nr;
static unsigned char *image;
static size_t image_len;
static unsigned int archives;

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

/* What an unpacker makes of a name: "./a", "/a" and "a" are all "/a". */
static void
normalise(char *dst, const char *name)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	snprintf(dst, CPIO_NAME_MAX + 1, "/%s", strcmp(name, ".") ? name : "");
}

static struct member *
find(const char *path)
{
	for (int i = 0; i < nr; i++)
		if (!strcmp(m[i].path, path))
			return &m[i];
	return NULL;
}

/* Reads the image once; every test works on the members. */
static bool
load(void)
{
	const char *path = getenv("TEST_INITRAMFS");
	struct cpio_reader r;
	struct cpio_entry e;
	int rc;

	if (image)
		return true;
	if (!path || !(image = read_file(path, &image_len))) {
		host_test_fail(__FILE__, __LINE__, "TEST_INITRAMFS names no readable image");
		return false;
	}
	cpio_reader_init(&r, image, image_len);
	while ((rc = cpio_next(&r, &e)) == 1 && nr < MAX_ENTRIES) {
		m[nr].e = e;
		m[nr].raw = e.name;
		m[nr].raw_size = e.size;
		m[nr].archive = r.archive;
		normalise(m[nr].path, e.name);
		nr++;
	}
	if (rc != 0)
		host_test_fail_str(__FILE__, __LINE__, "cpio_next", r.err);
	archives = r.archive;

	/*
	 * Hard links: the members of one (archive, dev, ino) with nlink > 1;
	 * cpio(1) puts the data on the last and size 0 on the others.
	 */
	for (int i = 0; i < nr; i++) {
		struct cpio_entry *a = &m[i].e;

		if (!S_ISREG(a->mode) || a->nlink < 2 || a->size)
			continue;
		for (int j = 0; j < nr; j++) {
			struct cpio_entry *b = &m[j].e;

			if (j != i && m[j].archive == m[i].archive && b->ino == a->ino &&
			    b->devmajor == a->devmajor && b->devminor == a->devminor &&
			    m[j].raw_size) {
				CHECK(j > i);
				a->data = b->data;
				a->size = b->size;
			}
		}
	}
	return true;
}

HOST_TEST(two_archives_of_each_name_form)
{
	bool dot_slash = false, slash = false, plain = false;

	if (!load())
		return;
	CHECK(archives == 2);
	CHECK(nr > 40 && nr < MAX_ENTRIES);
	for (int i = 0; i < nr; i++) {
		if (strncmp(m[i].path, "/dev-test", 9) == 0 ||
		    !strcmp(m[i].path, "/etc/second-archive.txt")) {
			CHECK(m[i].archive == 2);
			dot_slash |= !strncmp(m[i].raw, "./", 2);
			slash |= m[i].raw[0] == '/';
			plain |= m[i].raw[0] != '.' && m[i].raw[0] != '/';
		} else {
			CHECK(m[i].archive == 1);
		}
	}
	CHECK(dot_slash && slash && plain);
	CHECK(find("/") != NULL);
}

/* Splits a line at spaces into at most max fields. */
static int
split(char *line, char **f, int max)
{
	int n = 0;

	for (char *t = strtok(line, " "); t && n < max; t = strtok(NULL, " "))
		f[n++] = t;
	return n;
}

HOST_TEST(every_member_matches_the_manifest)
{
	static const char types[] = "fdlcbp";
	static const uint32_t type_bits[] = { S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO };
	struct member *mf;
	char *text, *line, *save, *f[11];
	int lines = 0;

	if (!load())
		return;
	mf = find("/initramfs-manifest");
	CHECK(mf != NULL);
	if (!mf)
		return;
	text = malloc(mf->e.size + 1);
	memcpy(text, mf->e.data, mf->e.size);
	text[mf->e.size] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char extra[64];
		struct member *x;
		const char *type;
		int n;

		if (line[0] == '#')
			continue;
		lines++;
		n = split(line, f, 11);
		CHECK(n == 9 || n == 10);
		if (n < 9)
			continue;
		x = find(f[8]);
		if (!x) {
			host_test_fail_str(__FILE__, __LINE__, f[8], "(no such member)");
			continue;
		}
		x->seen++;
		type = strchr(types, f[0][0]);
		CHECK(type && f[0][1] == '\0');
		if (!type)
			continue;
		CHECK((x->e.mode & S_IFMT) == type_bits[type - types]);
		CHECK(x->e.mode == strtoul(f[1], NULL, 8));
		CHECK(x->e.uid == strtoul(f[2], NULL, 10));
		CHECK(x->e.gid == strtoul(f[3], NULL, 10));
		/* The archive has the build tree's directory link counts, not tmpfs's. */
		if (*type != 'd')
			CHECK(x->e.nlink == strtoul(f[4], NULL, 10));
		if (*type == 'd')
			CHECK(!strcmp(f[5], "-"));
		else
			CHECK(x->e.size == strtoul(f[5], NULL, 10));
		CHECK(x->e.mtime == strtoul(f[6], NULL, 10));
		if (strcmp(f[7], "-") != 0) {
			CHECK(*type == 'f');
			CHECK(crc32(0, x->e.data, x->e.size) == strtoul(f[7], NULL, 16));
		} else {
			CHECK(*type != 'f' || x == mf);	/* only the manifest has none */
		}
		switch (*type) {
		case 'l':
			CHECK(n == 10 && strlen(f[9]) == x->e.size &&
			      !memcmp(f[9], x->e.data, x->e.size));
			break;
		case 'c':
		case 'b':
			snprintf(extra, sizeof(extra), "%u:%u", x->e.rdevmajor, x->e.rdevminor);
			CHECK(n == 10);
			if (n == 10)
				CHECK_STREQ(f[9], extra);
			break;
		default:
			CHECK(n == 9);
		}
	}
	CHECK(lines == nr);
	for (int i = 0; i < nr; i++) {
		if (m[i].seen != 1)
			host_test_fail_str(__FILE__, __LINE__, m[i].path, "(not listed once)");
	}
	free(text);
}

/* What the generator promises beyond the manifest's own consistency. */
HOST_TEST(the_promised_contents)
{
	struct member *x;
	int hard = 0, deep = 0, links = 0;

	if (!load())
		return;
	CHECK((x = find("/data/big.bin")) && x->e.size == 3 * 1024 * 1024 + 123);
	CHECK((x = find("/bin/setuid-test")) && x->e.mode == (S_IFREG | 04755));
	CHECK((x = find("/tmp")) && x->e.mode == (S_IFDIR | 01777));
	CHECK((x = find("/srv")) && x->e.mode == (S_IFDIR | 0751));
	CHECK((x = find("/etc/shadow")) && x->e.mode == (S_IFREG | 0600));
	CHECK((x = find("/empty-file")) && x->e.size == 0);
	CHECK((x = find("/empty-dir")) && S_ISDIR(x->e.mode));
	CHECK((x = find("/dev-test/null")) && x->e.uid && x->e.gid &&
	      x->e.rdevmajor == 1 && x->e.rdevminor == 3);
	for (int i = 0; i < nr; i++) {
		const char *base = strrchr(m[i].path, '/') + 1;

		hard += S_ISREG(m[i].e.mode) && m[i].e.nlink == 3;
		links += S_ISLNK(m[i].e.mode);
		if (strlen(base) == 255)
			CHECK(S_ISREG(m[i].e.mode));
		if (strstr(m[i].path, "/level10/"))
			deep++;
	}
	CHECK(hard == 3 && links >= 6 && deep == 1);
}
