/*
 * The ELF executable parser behind execve: reads the ELF header and the
 * program header table, checks them as Linux's fs/binfmt_elf.c does
 * before it maps anything, and stricter where Linux would map a broken
 * program and let it fault (file bytes beyond the file, an entry point
 * outside executable memory, overlapping segments), and describes what
 * the loader must map.  No allocation, no global state: the same code
 * runs in the kernel, in host tests and under libFuzzer.
 */
#include <stdarg.h>
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/elf.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

#define PATH_MAX	4096	/* Linux's PT_INTERP length limit */

/* The program header table is read in pieces of this size. */
#define PH_CHUNK	512

struct src {
	const unsigned char *head;
	size_t head_len;
	uint64_t size;
	elf_read_fn read;
	void *ctx;
};

static __printf(2, 3) int
fail(struct elf_info *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
	return 0;
}

#define FAIL(err, ...)	(fail(out, __VA_ARGS__), -(err))

/* Exactly n bytes at off, from the head buffer when it holds them. */
static int
src_read(const struct src *s, void *dst, size_t n, uint64_t off)
{
	int r;

	if (off <= s->head_len && n <= s->head_len - off) {
		memcpy(dst, s->head + off, n);
		return 0;
	}
	if (!s->read)
		return -EIO;
	r = s->read(s->ctx, dst, n, (loff_t)off);
	if (r < 0)
		return r;
	return (size_t)r == n ? 0 : -EIO;
}

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t
get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* One program header, whatever the class, in host order. */
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

/* An address-sized field: 8 bytes in ELFCLASS64, 4 in ELFCLASS32. */
static uint64_t
getw(const unsigned char *p, unsigned int word)
{
	return word == 8 ? get64(p) : get32(p);
}

/* A field's offset in the class's structure. */
#define OFF(word, type, field) \
	((word) == 8 ? offsetof(Elf64_##type, field) : offsetof(Elf32_##type, field))

static void
decode_phdr(const unsigned char *b, unsigned int word, struct phdr *ph)
{
	ph->type = get32(b + OFF(word, Phdr, p_type));
	ph->flags = get32(b + OFF(word, Phdr, p_flags));
	ph->offset = getw(b + OFF(word, Phdr, p_offset), word);
	ph->vaddr = getw(b + OFF(word, Phdr, p_vaddr), word);
	ph->filesz = getw(b + OFF(word, Phdr, p_filesz), word);
	ph->memsz = getw(b + OFF(word, Phdr, p_memsz), word);
	ph->align = getw(b + OFF(word, Phdr, p_align), word);
}

static const struct {
	unsigned char class;
	uint16_t machine, machine2;
	const char *name;
} arch_id[] = {
	[ELF_ARCH_AARCH64] = { ELFCLASS64, EM_AARCH64, EM_AARCH64, "aarch64" },
	[ELF_ARCH_X86_64] = { ELFCLASS64, EM_X86_64, EM_X86_64, "x86_64" },
	[ELF_ARCH_I386] = { ELFCLASS32, EM_386, EM_486, "i386" },
};

/* The ELF header: identity and the program header table's place. */
static int
check_ehdr(const struct elf_params *p, const unsigned char *e, unsigned int word,
	   uint64_t file_size, struct elf_info *out)
{
	uint64_t phbytes, max;

	out->type = get16(e + offsetof(Elf64_Ehdr, e_type));
	out->machine = get16(e + offsetof(Elf64_Ehdr, e_machine));
	if (get32(e + offsetof(Elf64_Ehdr, e_version)) != EV_CURRENT)
		return FAIL(ENOEXEC, "ELF e_version %u, not EV_CURRENT",
			    get32(e + offsetof(Elf64_Ehdr, e_version)));
	if (out->type != ET_EXEC && out->type != ET_DYN)
		return FAIL(ENOEXEC, "ELF type %u is neither ET_EXEC nor ET_DYN", out->type);
	if (out->machine != arch_id[p->arch].machine &&
	    out->machine != arch_id[p->arch].machine2)
		return FAIL(ENOEXEC, "ELF machine %u is not %s", out->machine,
			    arch_id[p->arch].name);
	out->entry = getw(e + OFF(word, Ehdr, e_entry), word);
	out->phoff = getw(e + OFF(word, Ehdr, e_phoff), word);
	out->phentsize = get16(e + OFF(word, Ehdr, e_phentsize));
	out->phnum = get16(e + OFF(word, Ehdr, e_phnum));
	if (out->phentsize != (word == 8 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return FAIL(ENOEXEC, "e_phentsize %u, not %zu", out->phentsize,
			    word == 8 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
	phbytes = (uint64_t)out->phnum * out->phentsize;
	max = MIN((uint64_t)ELF_PHDRS_MAX_BYTES, p->page_size);
	if (phbytes == 0)
		return FAIL(ENOEXEC, "no program headers (e_phnum 0)");
	if (phbytes > max)
		return FAIL(ENOEXEC, "%u program headers: more than %llu bytes",
			    out->phnum, (unsigned long long)max);
	if (out->phoff > file_size || phbytes > file_size - out->phoff)
		return FAIL(ENOEXEC, "program headers at 0x%llx..0x%llx beyond the file's %llu bytes",
			    (unsigned long long)out->phoff,
			    (unsigned long long)(out->phoff + phbytes),
			    (unsigned long long)file_size);
	return 0;
}

/* One PT_LOAD, appended to out->load[] after the checks. */
static int
add_load(const struct elf_params *p, unsigned int i, const struct phdr *ph,
	 uint64_t file_size, struct elf_info *out)
{
	uint64_t mask = p->page_size - 1;
	uint64_t limit = MIN(p->user_top, out->word_size == 4 ? (uint64_t)1 << 32 : ~(uint64_t)0);
	struct elf_segment *s;

	if (ph->filesz > ph->memsz)
		return FAIL(EINVAL, "PT_LOAD %u: p_filesz 0x%llx > p_memsz 0x%llx", i,
			    (unsigned long long)ph->filesz, (unsigned long long)ph->memsz);
	if (ph->vaddr >= limit || ph->memsz > limit - ph->vaddr)
		return FAIL(EINVAL, "PT_LOAD %u: 0x%llx + 0x%llx reaches past the user limit 0x%llx",
			    i, (unsigned long long)ph->vaddr, (unsigned long long)ph->memsz,
			    (unsigned long long)limit);
	if (ph->filesz) {
		/* Linux's mmap() refuses the offset, so the exec fails. */
		if (ph->offset + ph->filesz < ph->offset)
			return FAIL(EINVAL, "PT_LOAD %u: p_offset 0x%llx + p_filesz 0x%llx wraps",
				    i, (unsigned long long)ph->offset,
				    (unsigned long long)ph->filesz);
		if ((ph->offset & mask) != (ph->vaddr & mask))
			return FAIL(EINVAL, "PT_LOAD %u: p_offset 0x%llx and p_vaddr 0x%llx differ within a page",
				    i, (unsigned long long)ph->offset,
				    (unsigned long long)ph->vaddr);
		/* Linux maps it and the program gets SIGBUS there. */
		if (ph->offset > file_size || ph->filesz > file_size - ph->offset)
			return FAIL(ENOEXEC, "PT_LOAD %u: file bytes 0x%llx..0x%llx beyond the file's %llu",
				    i, (unsigned long long)ph->offset,
				    (unsigned long long)(ph->offset + ph->filesz),
				    (unsigned long long)file_size);
	}
	if (out->nr_loads) {
		const struct elf_segment *prev = &out->load[out->nr_loads - 1];

		if (ph->vaddr < prev->vaddr)
			return FAIL(EINVAL, "PT_LOAD %u at 0x%llx below the previous one at 0x%llx",
				    i, (unsigned long long)ph->vaddr,
				    (unsigned long long)prev->vaddr);
		if (ph->vaddr < prev->vaddr + prev->memsz)
			return FAIL(EINVAL, "PT_LOAD %u at 0x%llx overlaps the previous one (0x%llx..0x%llx)",
				    i, (unsigned long long)ph->vaddr,
				    (unsigned long long)prev->vaddr,
				    (unsigned long long)(prev->vaddr + prev->memsz));
	}
	if (out->nr_loads == ELF_MAX_LOADS)
		return FAIL(ENOEXEC, "more than %d PT_LOAD segments", ELF_MAX_LOADS);
	s = &out->load[out->nr_loads++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->align = ph->align;
	s->prot = (ph->flags & PF_R ? ELF_PROT_READ : 0) |
		  (ph->flags & PF_W ? ELF_PROT_WRITE : 0) |
		  (ph->flags & PF_X ? ELF_PROT_EXEC : 0);
	return 0;
}

/* PT_INTERP: kept for the message; Linux's own checks come first. */
static int
note_interp(const struct src *src, unsigned int i, const struct phdr *ph,
	    struct elf_info *out)
{
	size_t n;
	int r;

	if (out->has_interp)
		return 0;		/* Linux uses the first */
	out->has_interp = true;
	if (ph->filesz > PATH_MAX || ph->filesz < 2)
		return FAIL(ENOEXEC, "PT_INTERP %u: bad size %llu", i,
			    (unsigned long long)ph->filesz);
	if (ph->offset > src->size || ph->filesz > src->size - ph->offset)
		return FAIL(ENOEXEC, "PT_INTERP %u: beyond the end of the file", i);
	n = MIN((size_t)ph->filesz, sizeof(out->interp) - 1);
	r = src_read(src, out->interp, n, ph->offset);
	if (r < 0) {
		out->interp[0] = '\0';
		return FAIL(-r, "PT_INTERP %u: read error %d", i, r);
	}
	out->interp[n] = '\0';
	/* the message is one line of text, whatever the file holds */
	for (size_t k = 0; out->interp[k]; k++)
		if (out->interp[k] < ' ' || out->interp[k] > '~')
			out->interp[k] = '?';
	return 0;
}

/* Walks the program header table; fills the segment list and the flags. */
static int
scan_phdrs(const struct elf_params *p, const struct src *src, struct elf_info *out,
	   uint64_t *phdr_vaddr, bool *have_phdr)
{
	unsigned char buf[PH_CHUNK];
	unsigned int ent = out->phentsize, per = PH_CHUNK / ent;
	unsigned int i = 0;
	int r;

	while (i < out->phnum) {
		unsigned int n = MIN(per, (unsigned int)out->phnum - i);

		r = src_read(src, buf, (size_t)n * ent, out->phoff + (uint64_t)i * ent);
		if (r < 0)
			return FAIL(-r, "reading the program headers at 0x%llx: error %d",
				    (unsigned long long)(out->phoff + (uint64_t)i * ent), r);
		for (unsigned int k = 0; k < n; k++, i++) {
			struct phdr ph;

			decode_phdr(buf + k * ent, out->word_size, &ph);
			switch (ph.type) {
			case PT_LOAD:
				r = add_load(p, i, &ph, src->size, out);
				break;
			case PT_INTERP:
				r = note_interp(src, i, &ph, out);
				break;
			case PT_GNU_STACK:
				out->stack = ph.flags & PF_X ? ELF_STACK_EXEC : ELF_STACK_NOEXEC;
				r = 0;
				break;
			case PT_TLS:
				if (!out->has_tls) {
					out->has_tls = true;
					out->tls_vaddr = ph.vaddr;
					out->tls_memsz = ph.memsz;
					out->tls_filesz = ph.filesz;
					out->tls_align = ph.align;
				}
				r = 0;
				break;
			case PT_PHDR:
				if (!*have_phdr) {
					*have_phdr = true;
					*phdr_vaddr = ph.vaddr;
				}
				r = 0;
				break;
			default:
				r = 0;
				break;
			}
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* The checks and sums over the whole segment list. */
static int
finish(const struct elf_params *p, struct elf_info *out, uint64_t phdr_vaddr, bool have_phdr)
{
	uint64_t mask = p->page_size - 1;
	uint64_t phbytes = (uint64_t)out->phnum * out->phentsize;
	bool entry_ok = false;

	if (!out->nr_loads)
		return FAIL(ENOEXEC, "no PT_LOAD segment");
	out->start = out->load[0].vaddr & ~mask;
	out->end = 0;
	out->mapped = 0;
	out->max_align = 0;
	for (unsigned int i = 0; i < out->nr_loads; i++) {
		const struct elf_segment *s = &out->load[i];
		/* vaddr + memsz <= user_top, so neither sum wraps. */
		uint64_t end = (s->vaddr + s->memsz + mask) & ~mask;

		out->end = MAX(out->end, end);
		out->mapped += end - (s->vaddr & ~mask);
		if (s->align && !(s->align & (s->align - 1)))
			out->max_align = MAX(out->max_align, s->align);
		if ((s->prot & ELF_PROT_EXEC) && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->memsz)
			entry_ok = true;
		/* As Linux 6.1: the PT_LOAD whose file bytes hold e_phoff (the last such). */
		if (s->offset <= out->phoff && out->phoff - s->offset < s->filesz) {
			out->phdr_addr = out->phoff - s->offset + s->vaddr;
			out->phdr_mapped = true;
		}
	}
	out->max_align = (MAX(out->max_align, p->page_size) + mask) & ~mask;
	if (!out->phdr_mapped && have_phdr) {
		for (unsigned int i = 0; i < out->nr_loads; i++) {
			const struct elf_segment *s = &out->load[i];

			if (phdr_vaddr >= s->vaddr && phdr_vaddr - s->vaddr < s->memsz &&
			    phbytes <= s->memsz - (phdr_vaddr - s->vaddr)) {
				out->phdr_addr = phdr_vaddr;
				out->phdr_mapped = true;
			}
		}
	}
	if (out->has_interp)
		return FAIL(ENOEXEC, "dynamically linked (PT_INTERP %s): only static programs are supported",
			    out->interp);
	/* Linux maps the program and it faults at its first instruction. */
	if (!entry_ok)
		return FAIL(ENOEXEC, "entry point 0x%llx is outside every executable PT_LOAD",
			    (unsigned long long)out->entry);
	if (out->mapped > p->max_mapped)
		return FAIL(ENOMEM, "segments need %llu bytes, more than %llu",
			    (unsigned long long)out->mapped, (unsigned long long)p->max_mapped);
	return 0;
}

int
elf_parse(const struct elf_params *p, const void *head, size_t head_len,
	  loff_t file_size, elf_read_fn read, void *ctx, struct elf_info *out)
{
	unsigned char ehdr[sizeof(Elf64_Ehdr)];
	struct src src = { head, head_len, file_size < 0 ? 0 : (uint64_t)file_size, read, ctx };
	uint64_t phdr_vaddr = 0;
	bool have_phdr = false;
	size_t ehsize;
	int r;

	memset(out, 0, sizeof(*out));
	if ((unsigned int)p->arch >= ARRAY_SIZE(arch_id) || !p->page_size ||
	    (p->page_size & (p->page_size - 1)))
		return FAIL(EINVAL, "bad parser parameters");
	r = src_read(&src, ehdr, (size_t)MIN(src.size, (uint64_t)EI_NIDENT), 0);
	if (r < 0)
		return FAIL(-r, "reading the ELF header: error %d", r);
	if (src.size < SELFMAG || memcmp(ehdr, ELFMAG, SELFMAG))
		return FAIL(ENOEXEC, "not an ELF file (bad magic)");
	if (src.size < EI_NIDENT)
		return FAIL(ENOEXEC, "ELF file of %llu bytes: truncated header",
			    (unsigned long long)src.size);
	if (ehdr[EI_CLASS] != arch_id[p->arch].class)
		return FAIL(ENOEXEC, "ELF class %u, not ELFCLASS%s", ehdr[EI_CLASS],
			    arch_id[p->arch].class == ELFCLASS64 ? "64" : "32");
	if (ehdr[EI_DATA] != ELFDATA2LSB)
		return FAIL(ENOEXEC, "ELF data encoding %u, not little-endian", ehdr[EI_DATA]);
	if (ehdr[EI_VERSION] != EV_CURRENT)
		return FAIL(ENOEXEC, "ELF ident version %u, not EV_CURRENT", ehdr[EI_VERSION]);
	out->word_size = ehdr[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	ehsize = out->word_size == 8 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (src.size < ehsize)
		return FAIL(ENOEXEC, "ELF file of %llu bytes: truncated header",
			    (unsigned long long)src.size);
	r = src_read(&src, ehdr, ehsize, 0);
	if (r < 0)
		return FAIL(-r, "reading the ELF header: error %d", r);
	r = check_ehdr(p, ehdr, out->word_size, src.size, out);
	if (r < 0)
		return r;
	r = scan_phdrs(p, &src, out, &phdr_vaddr, &have_phdr);
	if (r < 0)
		return r;
	return finish(p, out, phdr_vaddr, have_phdr);
}

uint64_t
elf_load_bias(const struct elf_info *info, uint64_t base)
{
	uint64_t a = info->max_align;

	if (info->type != ET_DYN || !a)
		return 0;
	return ((base + a - 1) & ~(a - 1)) - info->start;
}

int
elf_relocate(const struct elf_params *p, struct elf_info *out, uint64_t bias)
{
	uint64_t limit = MIN(p->user_top, out->word_size == 4 ? (uint64_t)1 << 32 : ~(uint64_t)0);
	uint64_t size, start;

	if (!bias)
		return 0;
	if (out->type != ET_DYN)
		return FAIL(EINVAL, "an ET_EXEC cannot be moved (bias 0x%llx)",
			    (unsigned long long)bias);
	if (bias & (p->page_size - 1))
		return FAIL(EINVAL, "load bias 0x%llx is not page-aligned",
			    (unsigned long long)bias);
	/* Modulo 2^64: a bias may move the image down. */
	size = out->end - out->start;
	start = out->start + bias;
	if (start > limit || size > limit - start)
		return FAIL(EINVAL, "image 0x%llx..0x%llx + bias 0x%llx is outside user space (0..0x%llx)",
			    (unsigned long long)out->start, (unsigned long long)out->end,
			    (unsigned long long)bias, (unsigned long long)limit);
	out->entry += bias;
	if (out->phdr_mapped)
		out->phdr_addr += bias;
	for (unsigned int i = 0; i < out->nr_loads; i++)
		out->load[i].vaddr += bias;
	out->start += bias;
	out->end += bias;
	if (out->has_tls)
		out->tls_vaddr += bias;
	return 0;
}
