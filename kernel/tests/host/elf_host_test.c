/*
 * kernel/elf.c on the host under ASan/UBSan: ELF images built here for
 * each port (ELF64 aarch64 and x86_64, ELF32 i386), valid ones and each
 * malformation the parser must refuse with its errno, every truncation
 * of a valid image, and the head buffer / read callback split.  Each
 * image is a heap block of its exact size, so a read past it is an ASan
 * report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <kernel/elf.h>
#include "elf_host.h"

/* kernel/errno.h's numbers, without glibc's clash */
#define K_EIO		5
#define K_ENOEXEC	8
#define K_ENOMEM	12
#define K_EINVAL	22
#define K_EINTR		4

#define N(a)		(sizeof(a) / sizeof((a)[0]))

static const enum elf_arch arches[] = { ELF_ARCH_AARCH64, ELF_ARCH_X86_64, ELF_ARCH_I386 };

#define params elf_test_params

static bool
is64(enum elf_arch a)
{
	return a != ELF_ARCH_I386;
}

static uint16_t
machine(enum elf_arch a)
{
	return a == ELF_ARCH_AARCH64 ? EM_AARCH64 : a == ELF_ARCH_X86_64 ? EM_X86_64 : EM_386;
}

/* ------------------------------------------------------------ building */

struct ph {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

struct spec {
	enum elf_arch arch;
	uint16_t type;
	uint64_t entry;
	uint64_t phoff;		/* 0: right after the ELF header */
	size_t size;		/* file size */
	unsigned int nph;
	struct ph ph[130];
};

struct img {
	unsigned char *buf;
	size_t len;
};

static void
put(unsigned char *b, size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		b[off + i] = (unsigned char)(v >> (8 * i));
}

static size_t
ehsize(enum elf_arch a)
{
	return is64(a) ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
}

static size_t
phsize(enum elf_arch a)
{
	return is64(a) ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
}

static struct img
build(const struct spec *s)
{
	struct img im;
	size_t phoff = s->phoff ? s->phoff : ehsize(s->arch);
	size_t need = phoff + s->nph * phsize(s->arch);
	unsigned char *b = calloc(1, need > s->size ? need : s->size);

	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = is64(s->arch) ? ELFCLASS64 : ELFCLASS32;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	put(b, 16, s->type, 2);
	put(b, 18, machine(s->arch), 2);
	put(b, 20, EV_CURRENT, 4);
	if (is64(s->arch)) {
		put(b, offsetof(Elf64_Ehdr, e_entry), s->entry, 8);
		put(b, offsetof(Elf64_Ehdr, e_phoff), phoff, 8);
		put(b, offsetof(Elf64_Ehdr, e_ehsize), sizeof(Elf64_Ehdr), 2);
		put(b, offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr), 2);
		put(b, offsetof(Elf64_Ehdr, e_phnum), s->nph, 2);
	} else {
		put(b, offsetof(Elf32_Ehdr, e_entry), s->entry, 4);
		put(b, offsetof(Elf32_Ehdr, e_phoff), phoff, 4);
		put(b, offsetof(Elf32_Ehdr, e_ehsize), sizeof(Elf32_Ehdr), 2);
		put(b, offsetof(Elf32_Ehdr, e_phentsize), sizeof(Elf32_Phdr), 2);
		put(b, offsetof(Elf32_Ehdr, e_phnum), s->nph, 2);
	}
	for (unsigned int i = 0; i < s->nph; i++) {
		const struct ph *p = &s->ph[i];
		unsigned char *e = b + phoff + i * phsize(s->arch);

		if (is64(s->arch)) {
			put(e, offsetof(Elf64_Phdr, p_type), p->type, 4);
			put(e, offsetof(Elf64_Phdr, p_flags), p->flags, 4);
			put(e, offsetof(Elf64_Phdr, p_offset), p->offset, 8);
			put(e, offsetof(Elf64_Phdr, p_vaddr), p->vaddr, 8);
			put(e, offsetof(Elf64_Phdr, p_paddr), p->vaddr, 8);
			put(e, offsetof(Elf64_Phdr, p_filesz), p->filesz, 8);
			put(e, offsetof(Elf64_Phdr, p_memsz), p->memsz, 8);
			put(e, offsetof(Elf64_Phdr, p_align), p->align, 8);
		} else {
			put(e, offsetof(Elf32_Phdr, p_type), p->type, 4);
			put(e, offsetof(Elf32_Phdr, p_offset), p->offset, 4);
			put(e, offsetof(Elf32_Phdr, p_vaddr), p->vaddr, 4);
			put(e, offsetof(Elf32_Phdr, p_paddr), p->vaddr, 4);
			put(e, offsetof(Elf32_Phdr, p_filesz), p->filesz, 4);
			put(e, offsetof(Elf32_Phdr, p_memsz), p->memsz, 4);
			put(e, offsetof(Elf32_Phdr, p_flags), p->flags, 4);
			put(e, offsetof(Elf32_Phdr, p_align), p->align, 4);
		}
	}
	/* exactly s->size bytes, so ASan sees any read past the file */
	im.len = s->size;
	im.buf = malloc(im.len ? im.len : 1);
	memcpy(im.buf, b, im.len);
	free(b);
	return im;
}

/*
 * A static program: text (R X) holding the headers, data (RW) with a
 * bss, PT_TLS inside data, PT_GNU_STACK RW.  The file is 0x2100 bytes.
 */
static struct spec
valid(enum elf_arch a, uint16_t type)
{
	uint64_t base = type == ET_DYN ? 0 : 0x400000;
	struct spec s = {
		.arch = a, .type = type, .entry = base + 0x1000, .size = 0x2100, .nph = 5,
		.ph = {
			{ PT_LOAD, PF_R | PF_X, 0, base, 0x2000, 0x2000, 0x1000 },
			{ PT_LOAD, PF_R | PF_W, 0x2000, base + 0x3000, 0x100, 0x3000, 0x1000 },
			{ PT_TLS, PF_R, 0x2000, base + 0x3000, 0x10, 0x40, 8 },
			{ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16 },
			{ PT_NOTE, PF_R, 0x200, base + 0x200, 0x20, 0x20, 4 },
		},
	};
	return s;
}

/* ------------------------------------------------------------ reading */

struct file {
	const unsigned char *buf;
	size_t len;
	int reads;
	int fail;		/* returned instead of reading, when set */
	bool short_read;	/* one byte fewer than asked */
};

static int
file_read(void *ctx, void *dst, size_t n, loff_t off)
{
	struct file *f = ctx;

	f->reads++;
	if (f->fail)
		return f->fail;
	if (off < 0 || (size_t)off > f->len)
		return 0;
	if (n > f->len - (size_t)off)
		n = f->len - (size_t)off;
	if (f->short_read && n)
		n--;
	memcpy(dst, f->buf + off, n);
	return (int)n;
}

/* Parses im with head bytes given up front (clamped to the file). */
static int
parse_head(const struct elf_params *p, const struct img *im, size_t head,
	   struct file *f, struct elf_info *out)
{
	f->buf = im->buf;
	f->len = im->len;
	if (head > im->len)
		head = im->len;
	return elf_parse(p, im->buf, head, (loff_t)im->len, file_read, f, out);
}

static int
parse(const struct elf_params *p, const struct img *im, struct elf_info *out)
{
	struct file f = { 0 };

	return parse_head(p, im, 256, &f, out);
}

/* Builds s, parses it for its arch, expects err and reason containing what. */
static void
expect(const struct spec *s, int err, const char *what)
{
	struct elf_params p = params(s->arch);
	struct img im = build(s);
	struct elf_info info;
	int r = parse(&p, &im, &info);

	if (r != err || !strstr(info.reason, what)) {
		printf("# arch %d: got %d \"%s\", want %d \"...%s...\"\n", s->arch, r,
		       info.reason, err, what);
		CHECK(r == err);
		CHECK(strstr(info.reason, what) != NULL);
	}
	if (err)
		CHECK(info.reason[0] != '\0' && !strchr(info.reason, '\n'));
	else
		CHECK(info.reason[0] == '\0');
	free(im.buf);
}

/* ------------------------------------------------------------ valid */

HOST_TEST(static_executable)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		struct img im = build(&s);
		struct elf_info info;

		CHECK(parse(&p, &im, &info) == 0);
		CHECK_STREQ(info.reason, "");
		CHECK(info.type == ET_EXEC);
		CHECK(info.word_size == (is64(a) ? 8u : 4u));
		CHECK(info.machine == machine(a));
		CHECK(info.entry == 0x401000);
		CHECK(info.phoff == ehsize(a));
		CHECK(info.phnum == 5);
		CHECK(info.phentsize == phsize(a));
		CHECK(info.phdr_mapped && info.phdr_addr == 0x400000 + ehsize(a));
		CHECK(info.nr_loads == 2);
		CHECK(info.load[0].vaddr == 0x400000 && info.load[0].memsz == 0x2000);
		CHECK(info.load[0].offset == 0 && info.load[0].filesz == 0x2000);
		CHECK(info.load[0].prot == (ELF_PROT_READ | ELF_PROT_EXEC));
		CHECK(info.load[0].align == 0x1000);
		CHECK(info.load[1].vaddr == 0x403000 && info.load[1].memsz == 0x3000);
		CHECK(info.load[1].offset == 0x2000 && info.load[1].filesz == 0x100);
		CHECK(info.load[1].prot == (ELF_PROT_READ | ELF_PROT_WRITE));
		CHECK(info.start == 0x400000 && info.end == 0x406000);
		CHECK(info.mapped == 0x5000);
		CHECK(info.max_align == 0x1000);
		CHECK(info.stack == ELF_STACK_NOEXEC);
		CHECK(info.has_tls && info.tls_vaddr == 0x403000 && info.tls_memsz == 0x40 &&
		      info.tls_filesz == 0x10 && info.tls_align == 8);
		CHECK(!info.has_interp);
		free(im.buf);
	}
}

/* Whatever the head buffer holds, the result is the same. */
HOST_TEST(head_sizes)
{
	for (size_t i = 0; i < N(arches); i++) {
		struct elf_params p = params(arches[i]);
		struct spec s = valid(arches[i], ET_EXEC);
		struct img im = build(&s);
		struct elf_info ref, info;
		static const size_t heads[] = { 0, 1, 4, 16, 40, 52, 64, 100, 200, 256, 4096 };

		CHECK(parse(&p, &im, &ref) == 0);
		for (size_t h = 0; h < N(heads); h++) {
			struct file f = { 0 };

			memset(&info, 0x5a, sizeof(info));
			CHECK(parse_head(&p, &im, heads[h], &f, &info) == 0);
			CHECK(memcmp(&info, &ref, sizeof(info)) == 0);
			if (heads[h] >= 0x200)
				CHECK(f.reads == 0);
			if (heads[h] < 16)
				CHECK(f.reads > 0);
		}
		/* no callback at all: the head must hold everything */
		CHECK(elf_parse(&p, im.buf, im.len, (loff_t)im.len, NULL, NULL, &info) == 0);
		CHECK(elf_parse(&p, im.buf, 64, (loff_t)im.len, NULL, NULL, &info) == -K_EIO);
		free(im.buf);
	}
}

HOST_TEST(static_pie)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_DYN);
		struct img im;
		struct elf_info info, moved;
		uint64_t bias;

		s.ph[0].align = 0x10000;	/* the bias follows the largest p_align */
		s.ph[1].align = 0x200000 + 1;	/* not a power of two: ignored, as Linux */
		im = build(&s);
		CHECK(parse(&p, &im, &info) == 0);
		CHECK(info.type == ET_DYN);
		CHECK(info.entry == 0x1000 && info.phdr_addr == ehsize(a));
		CHECK(info.start == 0 && info.end == 0x6000);
		CHECK(info.max_align == 0x10000);

		bias = elf_load_bias(&info, 0x12345000);
		CHECK(bias == 0x12350000);
		moved = info;
		CHECK(elf_relocate(&p, &moved, bias) == 0);
		CHECK(moved.entry == 0x12351000);
		CHECK(moved.phdr_addr == 0x12350000 + ehsize(a));
		CHECK(moved.load[0].vaddr == 0x12350000 && moved.load[1].vaddr == 0x12353000);
		CHECK(moved.start == 0x12350000 && moved.end == 0x12356000);
		CHECK(moved.tls_vaddr == 0x12353000);
		CHECK(moved.load[1].offset == 0x2000);

		/* refused: unaligned, past the top; *info untouched */
		moved = info;
		CHECK(elf_relocate(&p, &moved, 0x12345678) == -K_EINVAL);
		CHECK(strstr(moved.reason, "page") != NULL);
		memset(moved.reason, 0, sizeof(moved.reason));
		CHECK(memcmp(&moved, &info, sizeof(info)) == 0);
		CHECK(elf_relocate(&p, &moved, p.user_top - 0x5000) == -K_EINVAL);
		CHECK(elf_relocate(&p, &moved, p.user_top - 0x6000) == 0);
		CHECK(moved.end == p.user_top);
		/* a bias moving the image down is fine while it stays in user space */
		moved = info;
		CHECK(elf_relocate(&p, &moved, 0x100000) == 0);
		CHECK(elf_relocate(&p, &moved, (uint64_t)-0x100000) == 0);
		CHECK(moved.start == 0 && moved.entry == 0x1000);
		CHECK(elf_relocate(&p, &moved, (uint64_t)-0x1000) == -K_EINVAL);
		free(im.buf);
	}
}

HOST_TEST(exec_cannot_move)
{
	struct elf_params p = params(ELF_ARCH_X86_64);
	struct spec s = valid(ELF_ARCH_X86_64, ET_EXEC);
	struct img im = build(&s);
	struct elf_info info;

	CHECK(parse(&p, &im, &info) == 0);
	CHECK(elf_load_bias(&info, 0x7000000) == 0);
	CHECK(elf_relocate(&p, &info, 0) == 0);
	CHECK(elf_relocate(&p, &info, 0x1000) == -K_EINVAL);
	CHECK(info.entry == 0x401000);
	free(im.buf);
}

HOST_TEST(stack_flags)
{
	struct spec s = valid(ELF_ARCH_AARCH64, ET_EXEC);
	struct elf_params p = params(ELF_ARCH_AARCH64);
	struct elf_info info;
	struct img im;

	s.ph[3].flags = PF_R | PF_W | PF_X;
	im = build(&s);
	CHECK(parse(&p, &im, &info) == 0 && info.stack == ELF_STACK_EXEC);
	free(im.buf);
	s.ph[3].type = PT_NULL;
	im = build(&s);
	CHECK(parse(&p, &im, &info) == 0 && info.stack == ELF_STACK_DEFAULT);
	free(im.buf);
	/* the last PT_GNU_STACK wins, as in Linux */
	s.ph[3] = (struct ph){ PT_GNU_STACK, PF_X, 0, 0, 0, 0, 0 };
	s.ph[4] = (struct ph){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0 };
	im = build(&s);
	CHECK(parse(&p, &im, &info) == 0 && info.stack == ELF_STACK_NOEXEC);
	free(im.buf);
	/* no PT_TLS */
	s.ph[2].type = PT_NOTE;
	im = build(&s);
	CHECK(parse(&p, &im, &info) == 0 && !info.has_tls);
	free(im.buf);
}

HOST_TEST(i386_em_486)
{
	struct spec s = valid(ELF_ARCH_I386, ET_EXEC);
	struct elf_params p = params(ELF_ARCH_I386);
	struct img im = build(&s);
	struct elf_info info;

	put(im.buf, 18, EM_486, 2);
	CHECK(parse(&p, &im, &info) == 0 && info.machine == EM_486);
	free(im.buf);
}

/* AT_PHDR: the PT_LOAD holding e_phoff, else PT_PHDR, else 0. */
HOST_TEST(phdr_address)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		struct elf_info info;
		struct img im;

		/* headers in the data segment's file bytes */
		s.phoff = 0x2010;
		s.size = 0x2400;
		s.ph[1].filesz = 0x300;
		im = build(&s);
		CHECK(parse(&p, &im, &info) == 0);
		CHECK(info.phdr_mapped && info.phdr_addr == 0x403010);
		free(im.buf);

		/* headers outside every PT_LOAD, PT_PHDR says where they are */
		s.phoff = 0x2300;
		s.size = 0x2600;
		s.ph[1].filesz = 0x100;
		s.ph[4] = (struct ph){ PT_PHDR, PF_R, 0x2300, 0x404000, 0, 0x200, 8 };
		im = build(&s);
		CHECK(parse(&p, &im, &info) == 0);
		CHECK(info.phdr_mapped && info.phdr_addr == 0x404000);
		free(im.buf);

		/* a PT_PHDR pointing outside every PT_LOAD is not believed */
		s.ph[4].vaddr = 0x500000;
		im = build(&s);
		CHECK(parse(&p, &im, &info) == 0);
		CHECK(!info.phdr_mapped && info.phdr_addr == 0);
		free(im.buf);

		/* neither: 0, as Linux passes */
		s.ph[4].type = PT_NOTE;
		im = build(&s);
		CHECK(parse(&p, &im, &info) == 0);
		CHECK(!info.phdr_mapped && info.phdr_addr == 0);
		free(im.buf);
	}
}

/* The largest header tables Linux takes (one page), and one entry more. */
HOST_TEST(phnum_limits)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct spec s = valid(a, ET_EXEC);
		unsigned int max = 4096 / phsize(a);

		s.nph = max;		/* PT_NULL fillers after the five */
		s.size = 0x2100;
		expect(&s, 0, "");
		s.nph = max + 1;
		s.size = 0x3000;
		expect(&s, -K_ENOEXEC, "program headers");
	}
}

/* ------------------------------------------------------------ refused */

HOST_TEST(bad_identity)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		struct elf_info info;
		struct img im;
		static const struct {
			size_t off;
			uint64_t val;
			int n;
			const char *why;
		} bad[] = {
			{ 0, 0x7e, 1, "magic" },
			{ 3, 'f', 1, "magic" },
			{ EI_DATA, 2, 1, "little-endian" },
			{ EI_DATA, 0, 1, "little-endian" },
			{ EI_VERSION, 0, 1, "ident version" },
			{ EI_VERSION, 2, 1, "ident version" },
			{ 20, 0, 4, "e_version" },
			{ 20, 2, 4, "e_version" },
			{ 16, 1, 2, "ET_EXEC" },	/* ET_REL */
			{ 16, 4, 2, "ET_EXEC" },	/* ET_CORE */
			{ 16, 0, 2, "ET_EXEC" },
			{ 18, EM_AARCH64 + 1, 2, "machine" },
			{ 18, 40, 2, "machine" },	/* EM_ARM */
		};

		for (size_t k = 0; k < N(bad); k++) {
			im = build(&s);
			put(im.buf, bad[k].off, bad[k].val, bad[k].n);
			CHECK(parse(&p, &im, &info) == -K_ENOEXEC);
			CHECK(strstr(info.reason, bad[k].why) != NULL);
			free(im.buf);
		}
		/* the other class, and another port's machine */
		im = build(&s);
		im.buf[EI_CLASS] = is64(a) ? ELFCLASS32 : ELFCLASS64;
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "class"));
		im.buf[EI_CLASS] = 0;
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "class"));
		free(im.buf);
		for (size_t o = 0; o < N(arches); o++) {
			if (arches[o] == a)
				continue;
			im = build(&s);
			put(im.buf, 18, machine(arches[o]), 2);
			CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "machine"));
			free(im.buf);
		}
		/* another port's file: refused by class or machine */
		for (size_t o = 0; o < N(arches); o++) {
			struct elf_params po = params(arches[o]);

			if (arches[o] == a)
				continue;
			im = build(&s);
			CHECK(parse(&po, &im, &info) == -K_ENOEXEC);
			free(im.buf);
		}
	}
}

HOST_TEST(short_files)
{
	struct elf_params p = params(ELF_ARCH_X86_64);
	struct elf_info info;
	struct file f = { 0 };

	CHECK(elf_parse(&p, "", 0, 0, file_read, &f, &info) == -K_ENOEXEC);
	CHECK(strstr(info.reason, "magic") != NULL);
	CHECK(elf_parse(&p, "\177EL", 3, 3, file_read, &f, &info) == -K_ENOEXEC);
	CHECK(elf_parse(&p, "#!/bin/sh\n", 10, 10, file_read, &f, &info) == -K_ENOEXEC);
	CHECK(strstr(info.reason, "magic") != NULL);
	CHECK(elf_parse(&p, "\177ELF\2\1\1", 7, 7, file_read, &f, &info) == -K_ENOEXEC);
	CHECK(strstr(info.reason, "truncated") != NULL);
	/* a negative size is an empty file */
	CHECK(elf_parse(&p, "\177ELF", 4, -1, file_read, &f, &info) == -K_ENOEXEC);
	/* bad parameters */
	p.page_size = 3000;
	CHECK(elf_parse(&p, "\177ELF", 4, 4, file_read, &f, &info) == -K_EINVAL);
	p = params(ELF_ARCH_X86_64);
	p.arch = (enum elf_arch)7;
	CHECK(elf_parse(&p, "\177ELF", 4, 4, file_read, &f, &info) == -K_EINVAL);
}

/* Every prefix of a valid file is refused cleanly (ENOEXEC), never read past. */
HOST_TEST(truncations)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		struct img full = build(&s);
		struct elf_info info;

		for (size_t len = 0; len < full.len; len++) {
			struct img im = { malloc(len ? len : 1), len };
			int r;

			memcpy(im.buf, full.buf, len);
			r = parse(&p, &im, &info);
			CHECK(r == -K_ENOEXEC);
			CHECK(info.reason[0] != '\0');
			free(im.buf);
		}
		free(full.buf);
	}
}

HOST_TEST(bad_header_table)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		size_t phent_off = is64(a) ? offsetof(Elf64_Ehdr, e_phentsize) :
					     offsetof(Elf32_Ehdr, e_phentsize);
		size_t phnum_off = is64(a) ? offsetof(Elf64_Ehdr, e_phnum) :
					     offsetof(Elf32_Ehdr, e_phnum);
		size_t phoff_off = is64(a) ? offsetof(Elf64_Ehdr, e_phoff) :
					     offsetof(Elf32_Ehdr, e_phoff);
		struct elf_info info;
		struct img im;

		im = build(&s);
		put(im.buf, phent_off, phsize(a) + 8, 2);
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "e_phentsize"));
		put(im.buf, phent_off, 0, 2);
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "e_phentsize"));
		put(im.buf, phent_off, phsize(a), 2);
		put(im.buf, phnum_off, 0, 2);
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "e_phnum 0"));
		put(im.buf, phnum_off, 0xffff, 2);
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "more than"));
		put(im.buf, phnum_off, 5, 2);
		/* the table past the end of the file, or wrapping */
		put(im.buf, phoff_off, im.len - 10, is64(a) ? 8 : 4);
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "beyond the file"));
		put(im.buf, phoff_off, is64(a) ? UINT64_MAX - 8 : UINT32_MAX - 8, is64(a) ? 8 : 4);
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC && strstr(info.reason, "beyond the file"));
		free(im.buf);
	}
}

/* Errors of the read callback pass through; a short read is EIO. */
HOST_TEST(read_errors)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		struct elf_info info;
		struct img im;
		struct file f = { 0 };

		/* the table out of the head buffer's reach */
		s.phoff = 0x1800;
		im = build(&s);
		f.fail = -K_EIO;
		CHECK(parse_head(&p, &im, 256, &f, &info) == -K_EIO && f.reads == 1);
		CHECK(strstr(info.reason, "program headers") != NULL);
		f = (struct file){ .fail = -K_EINTR };
		CHECK(parse_head(&p, &im, 256, &f, &info) == -K_EINTR);
		f = (struct file){ .short_read = true };
		CHECK(parse_head(&p, &im, 256, &f, &info) == -K_EIO);
		f = (struct file){ 0 };
		CHECK(parse_head(&p, &im, 256, &f, &info) == 0 && f.reads == 1);
		/* the ELF header itself through the callback */
		f = (struct file){ .fail = -K_EIO };
		CHECK(parse_head(&p, &im, 0, &f, &info) == -K_EIO);
		free(im.buf);
	}
}

/* Many program headers: read in pieces, each entry seen once. */
HOST_TEST(long_tables)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		unsigned int max = 4096 / phsize(a);
		struct elf_info info;
		struct file f = { 0 };
		struct img im;

		/* spread ELF_MAX_LOADS PT_LOADs over the table, PT_NULLs between */
		s.size = 0x20000;
		s.phoff = 0x18000;
		s.nph = max;
		memset(s.ph, 0, sizeof(s.ph));
		for (unsigned int k = 0; k < ELF_MAX_LOADS; k++) {
			unsigned int at = k * (max / ELF_MAX_LOADS);

			s.ph[at] = (struct ph){ PT_LOAD, PF_R | (k ? 0 : PF_X), k * 0x1000,
						0x400000 + k * 0x1000, 0x1000, 0x1000, 0x1000 };
		}
		s.ph[max - 1] = (struct ph){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0 };
		s.entry = 0x400000;
		im = build(&s);
		CHECK(parse_head(&p, &im, 256, &f, &info) == 0);
		CHECK(info.nr_loads == ELF_MAX_LOADS);
		CHECK(info.load[ELF_MAX_LOADS - 1].vaddr == 0x400000 + (ELF_MAX_LOADS - 1) * 0x1000);
		CHECK(info.stack == ELF_STACK_NOEXEC);
		CHECK(f.reads == (int)((max + 512 / phsize(a) - 1) / (512 / phsize(a))));
		CHECK(!info.phdr_mapped);
		free(im.buf);

		/* one PT_LOAD more than kept */
		s.ph[max - 2] = (struct ph){ PT_LOAD, PF_R, 0, 0x500000, 0x1000, 0x1000, 0x1000 };
		expect(&s, -K_ENOEXEC, "more than 16 PT_LOAD");
	}
}

HOST_TEST(bad_segments)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		uint64_t wmax = is64(a) ? UINT64_MAX : UINT32_MAX;
		struct spec s;

		/* p_filesz > p_memsz */
		s = valid(a, ET_EXEC);
		s.ph[1].filesz = 0x3001;
		s.size = 0x6000;
		expect(&s, -K_EINVAL, "p_filesz 0x3001 > p_memsz 0x3000");

		/* file bytes beyond the file, by one */
		s = valid(a, ET_EXEC);
		s.ph[1].filesz = 0x101;
		expect(&s, -K_ENOEXEC, "beyond the file");
		s.ph[1].filesz = 0x100;
		s.ph[1].offset = 0x3000;
		s.ph[1].vaddr = 0x404000;
		expect(&s, -K_ENOEXEC, "beyond the file");

		/* p_offset + p_filesz wrapping */
		s = valid(a, ET_EXEC);
		s.ph[1].offset = (wmax & ~(uint64_t)0xfff);
		s.ph[1].filesz = 0x2000;
		s.ph[1].memsz = 0x3000;
		expect(&s, is64(a) ? -K_EINVAL : -K_ENOEXEC, is64(a) ? "wraps" : "beyond the file");

		/* p_vaddr and p_offset not congruent modulo the page */
		s = valid(a, ET_EXEC);
		s.ph[1].vaddr = 0x403800;
		expect(&s, -K_EINVAL, "differ within a page");
		/* ... which does not matter without file bytes */
		s.ph[1].filesz = 0;
		s.ph[2].filesz = 0;
		expect(&s, 0, "");

		/* the end reaching past the user limit, wrapping, or just fitting */
		s = valid(a, ET_EXEC);
		s.ph[1].vaddr = p.user_top - 0x1000;
		s.ph[1].memsz = 0x1000;
		expect(&s, 0, "");
		s.ph[1].memsz = 0x1001;
		expect(&s, -K_EINVAL, "user limit");
		s.ph[1].vaddr = p.user_top;
		s.ph[1].memsz = 0x1000;
		expect(&s, -K_EINVAL, "user limit");
		s.ph[1].vaddr = wmax & ~(uint64_t)0xfff;
		s.ph[1].memsz = 0x2000;
		expect(&s, -K_EINVAL, "user limit");

		/* overlapping, out of order */
		s = valid(a, ET_EXEC);
		s.ph[1].vaddr = 0x401000;
		expect(&s, -K_EINVAL, "overlaps");
		s = valid(a, ET_EXEC);
		s.ph[1].vaddr = 0x1ff000;
		expect(&s, -K_EINVAL, "below the previous");
		/* adjacent is fine */
		s = valid(a, ET_EXEC);
		s.ph[1].vaddr = 0x402000;
		expect(&s, 0, "");

		/* no PT_LOAD */
		s = valid(a, ET_EXEC);
		s.ph[0].type = PT_NULL;
		s.ph[1].type = PT_NOTE;
		expect(&s, -K_ENOEXEC, "no PT_LOAD");

		/* entry in the data segment, past the text, in no segment */
		s = valid(a, ET_EXEC);
		s.entry = 0x403000;
		expect(&s, -K_ENOEXEC, "entry point 0x403000");
		s.entry = 0x402000;
		expect(&s, -K_ENOEXEC, "entry point");
		s.entry = 0x3fffff;
		expect(&s, -K_ENOEXEC, "entry point");
		s.entry = 0x401fff;
		expect(&s, 0, "");
		s.entry = 0x400000;
		expect(&s, 0, "");
	}
}

HOST_TEST(too_big)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct elf_params p = params(a);
		struct spec s = valid(a, ET_EXEC);
		struct img im = build(&s);
		struct elf_info info;

		p.max_mapped = 0x5000;
		CHECK(parse(&p, &im, &info) == 0);
		p.max_mapped = 0x4fff;
		CHECK(parse(&p, &im, &info) == -K_ENOMEM);
		CHECK(strstr(info.reason, "20480 bytes") != NULL);
		free(im.buf);

		/* a huge bss */
		p = params(a);
		s.ph[1].memsz = 0x80000000;
		im = build(&s);
		CHECK(parse(&p, &im, &info) == -K_ENOMEM);
		free(im.buf);
	}
}

HOST_TEST(dynamic_programs)
{
	for (size_t i = 0; i < N(arches); i++) {
		enum elf_arch a = arches[i];
		struct spec s = valid(a, ET_DYN);
		struct elf_params p = params(a);
		struct elf_info info;
		struct img im;
		static const char path[] = "/lib/ld-linux-aarch64.so.1";

		s.ph[4] = (struct ph){ PT_INTERP, PF_R, 0x300, 0x300, sizeof(path), sizeof(path), 1 };
		im = build(&s);
		memcpy(im.buf + 0x300, path, sizeof(path));
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC);
		CHECK(info.has_interp);
		CHECK_STREQ(info.interp, path);
		CHECK(strstr(info.reason, "dynamically linked") && strstr(info.reason, path));
		free(im.buf);

		/* Linux's own PT_INTERP checks: size 2..PATH_MAX, inside the file */
		s.ph[4].filesz = 1;
		expect(&s, -K_ENOEXEC, "PT_INTERP 4: bad size");
		s.ph[4].filesz = 4097;
		expect(&s, -K_ENOEXEC, "PT_INTERP 4: bad size");
		s.ph[4].filesz = 0x100;
		s.ph[4].offset = 0x2080;
		expect(&s, -K_ENOEXEC, "PT_INTERP 4: beyond");
		/* a long path is cut in the message */
		s.ph[4].offset = 0x300;
		s.ph[4].filesz = 200;
		im = build(&s);
		memset(im.buf + 0x300, 'x', 199);
		CHECK(parse(&p, &im, &info) == -K_ENOEXEC);
		CHECK(strlen(info.interp) == ELF_INTERP_SHOWN - 1);
		free(im.buf);
	}
}

/*
 * The seed corpus (EXEC_CORPUS, made by tests/fuzz/make_corpus.sh): each
 * port's static and static-PIE programs are accepted for their port only,
 * its dynamic one refused for naming an interpreter.
 */
HOST_TEST(corpus)
{
	const char *dir = getenv("EXEC_CORPUS");
	static const char *const names[] = { "aarch64", "x86_64", "i386" };
	int seen = 0;

	CHECK(dir != NULL);
	for (size_t i = 0; dir && i < N(arches); i++) {
		for (size_t k = 0; k < 3; k++) {
			static const char *const kinds[] = { "static", "static-pie", "dynamic" };
			char path[1024];
			struct elf_info info;
			struct img im;
			FILE *f;

			snprintf(path, sizeof(path), "%s/%s-%s.elf", dir, names[i], kinds[k]);
			f = fopen(path, "rb");
			CHECK(f != NULL);
			if (!f)
				continue;
			fseek(f, 0, SEEK_END);
			im.len = (size_t)ftell(f);
			fseek(f, 0, SEEK_SET);
			im.buf = malloc(im.len);
			CHECK(fread(im.buf, 1, im.len, f) == im.len);
			fclose(f);
			for (size_t o = 0; o < N(arches); o++) {
				struct elf_params p = params(arches[o]);
				int r = parse(&p, &im, &info);

				if (o != i)
					CHECK(r == -K_ENOEXEC && (strstr(info.reason, "class") ||
								  strstr(info.reason, "machine")));
				else if (k == 2)
					CHECK(r == -K_ENOEXEC && info.has_interp &&
					      strstr(info.reason, "dynamically linked") &&
					      strstr(info.interp, "/lib"));
				else
					CHECK(r == 0 && info.type == (k ? ET_DYN : ET_EXEC));
			}
			free(im.buf);
			seen++;
		}
	}
	CHECK(seen == 9);
}
