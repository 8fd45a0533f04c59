/*
 * What the ELF parser's host tests and fuzzer share: each port's
 * parameters (its USER_TOP, 4 KiB pages, a 1 GiB mapping limit) and a
 * read callback over a file held in memory.
 */
#ifndef ELF_HOST_H
#define ELF_HOST_H

#include <string.h>
#include <kernel/elf.h>

static inline struct elf_params
elf_test_params(enum elf_arch a)
{
	struct elf_params p = {
		.arch = a,
		.user_top = a == ELF_ARCH_I386 ? 0xc0000000ull :
			    a == ELF_ARCH_X86_64 ? 0x800000000000ull : 1ull << 48,
		.page_size = 4096,
		.max_mapped = 1ull << 30,
	};
	return p;
}

struct mem_file {
	const unsigned char *buf;
	size_t len;
};

/* An elf_read_fn: short only at the end of the file. */
static inline int
mem_file_read(void *ctx, void *dst, size_t n, loff_t off)
{
	const struct mem_file *f = ctx;

	if (off < 0 || (size_t)off >= f->len)
		return 0;
	if (n > f->len - (size_t)off)
		n = f->len - (size_t)off;
	memcpy(dst, f->buf + off, n);
	return (int)n;
}

#endif
