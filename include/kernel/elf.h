/*
 * ELF executables for execve: the format's structures and numbers (the
 * System V gABI's, as Linux's <uapi/linux/elf.h> has them) and a parser
 * that reads and checks an executable's headers without side effects, so
 * that it runs alike in the kernel, in host tests and under libFuzzer.
 * Mapping the segments and starting the program is the exec code's.
 * docs/exec.md lists every check and where it differs from Linux.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <kernel/types.h>

/* e_ident */
#define EI_NIDENT	16
#define EI_MAG0		0
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFMAG		"\177ELF"
#define SELFMAG		4
#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1

/* e_type */
#define ET_EXEC		2
#define ET_DYN		3

/* e_machine */
#define EM_386		3
#define EM_486		6	/* Linux's i386 elf_check_arch() takes it too */
#define EM_X86_64	62
#define EM_AARCH64	183

/* p_type */
#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_EH_FRAME	0x6474e550
#define PT_GNU_STACK	0x6474e551
#define PT_GNU_RELRO	0x6474e552
#define PT_GNU_PROPERTY	0x6474e553

/* p_flags */
#define PF_X		1
#define PF_W		2
#define PF_R		4

typedef struct {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint32_t e_entry;
	uint32_t e_phoff;
	uint32_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_offset;
	uint32_t p_vaddr;
	uint32_t p_paddr;
	uint32_t p_filesz;
	uint32_t p_memsz;
	uint32_t p_flags;
	uint32_t p_align;
} Elf32_Phdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
} Elf64_Phdr;

/* The ports whose executables the parser knows. */
enum elf_arch {
	ELF_ARCH_AARCH64,	/* ELFCLASS64, EM_AARCH64 */
	ELF_ARCH_X86_64,	/* ELFCLASS64, EM_X86_64 */
	ELF_ARCH_I386,		/* ELFCLASS32, EM_386 (or EM_486) */
};

#if defined(CONFIG_ARCH_AARCH64)
#define ELF_ARCH_NATIVE	ELF_ARCH_AARCH64
#elif defined(CONFIG_ARCH_X86_64)
#define ELF_ARCH_NATIVE	ELF_ARCH_X86_64
#elif defined(CONFIG_ARCH_I386)
#define ELF_ARCH_NATIVE	ELF_ARCH_I386
#endif

/*
 * Linux's limit on the program header table: 64 KiB and one page
 * (ELF_MIN_ALIGN), so 73 Elf64 or 128 Elf32 entries with 4 KiB pages.
 */
#define ELF_PHDRS_MAX_BYTES	65536
/* PT_LOAD segments kept in struct elf_info; an executable with more is refused. */
#define ELF_MAX_LOADS		16
/* Bytes of a PT_INTERP path kept for the refusal message. */
#define ELF_INTERP_SHOWN	64

/* Segment protection, in mmap's PROT_* values. */
#define ELF_PROT_READ	1
#define ELF_PROT_WRITE	2
#define ELF_PROT_EXEC	4

/* What the caller knows about the machine the program will run on. */
struct elf_params {
	enum elf_arch arch;
	uint64_t user_top;	/* first address above user space (USER_TOP) */
	uint64_t page_size;	/* a power of two: ELF_MIN_ALIGN */
	uint64_t max_mapped;	/* page-rounded PT_LOAD bytes allowed; above: -ENOMEM */
};

/*
 * One PT_LOAD segment: file bytes [offset, offset + filesz) at
 * [vaddr, vaddr + filesz), zeros up to vaddr + memsz.  vaddr is the
 * link-time address until elf_relocate() adds the load bias.
 */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint64_t align;		/* p_align, as written (not checked, as in Linux) */
	unsigned int prot;	/* ELF_PROT_* from p_flags */
};

/* PT_GNU_STACK, as Linux's EXSTACK_*: none seen, PF_X clear, PF_X set. */
enum elf_stack {
	ELF_STACK_DEFAULT,
	ELF_STACK_NOEXEC,
	ELF_STACK_EXEC,
};

struct elf_info {
	unsigned int type;	/* ET_EXEC or ET_DYN (static PIE) */
	unsigned int word_size;	/* 4 (ELFCLASS32) or 8 (ELFCLASS64) */
	uint16_t machine;
	uint64_t entry;		/* e_entry (+ bias once relocated) */
	uint64_t phoff;		/* e_phoff */
	uint16_t phnum;		/* e_phnum: AT_PHNUM */
	uint16_t phentsize;	/* e_phentsize: AT_PHENT */
	/*
	 * AT_PHDR: where the program headers are in memory.  As Linux 6.1:
	 * the PT_LOAD whose file bytes hold e_phoff, else PT_PHDR's p_vaddr,
	 * else 0 (Linux passes 0 too, and glibc then fails).
	 */
	uint64_t phdr_addr;
	bool phdr_mapped;	/* phdr_addr found (not the 0 fallback) */
	unsigned int nr_loads;
	struct elf_segment load[ELF_MAX_LOADS];	/* ascending, disjoint */
	/* [start, end): every PT_LOAD, widened to whole pages. */
	uint64_t start, end;
	/* Bias alignment for ET_DYN: largest power-of-two p_align, >= a page. */
	uint64_t max_align;
	uint64_t mapped;	/* page-rounded bytes of all PT_LOADs */
	enum elf_stack stack;
	bool has_tls;		/* PT_TLS present (the first one is described) */
	uint64_t tls_vaddr, tls_memsz, tls_filesz, tls_align;
	bool has_interp;	/* PT_INTERP: a dynamic program, refused */
	char interp[ELF_INTERP_SHOWN];	/* its path (cut, unprintables as '?'), for the message */
	/* On failure: why, one line for the kernel log; "" on success. */
	char reason[128];
};

/*
 * Reads n bytes at offset off of the file: returns the bytes read (fewer
 * only at the end of the file) or a negative errno.
 */
typedef int (*elf_read_fn)(void *ctx, void *buf, size_t n, loff_t off);

/*
 * Parses and checks the executable whose first head_len bytes are at head
 * (what exec read first: Linux's 256-byte BINPRM_BUF_SIZE, or more); what
 * lies beyond is read through read(ctx, ...), at most once per 512-byte
 * piece of the program header table and once for a PT_INTERP path.
 * file_size is the file's size.  Fills *out and returns 0, or returns a
 * negative errno with out->reason saying why:
 *  -ENOEXEC  not an executable for p->arch (magic, class, byte order,
 *            version, type, machine), a bad program header table (entry
 *            size, count, outside the file), no PT_LOAD, more than
 *            ELF_MAX_LOADS of them, file bytes beyond the file, an entry
 *            point outside every executable PT_LOAD, or PT_INTERP (only
 *            static programs are supported);
 *  -EINVAL   a PT_LOAD Linux refuses to map: p_filesz > p_memsz, the
 *            range wrapping or beyond p->user_top, p_offset and p_vaddr
 *            not congruent modulo the page size, segments overlapping or
 *            out of ascending p_vaddr order;
 *  -ENOMEM   more than p->max_mapped bytes of segments;
 *  -EIO      a read returned fewer bytes than the file size promised;
 *  another   as read() returned it.
 * ET_EXEC addresses are final; an ET_DYN's are relative until
 * elf_relocate().
 */
int elf_parse(const struct elf_params *p, const void *head, size_t head_len,
	      loff_t file_size, elf_read_fn read, void *ctx, struct elf_info *out);

/*
 * ET_DYN: the load bias that puts the image's first page at base rounded
 * up to info->max_align (the caller picks base: Linux loads a static PIE
 * where mmap would put it, a PIE with an interpreter at ELF_ET_DYN_BASE).
 * 0 for ET_EXEC.  The caller must check the result with elf_relocate().
 */
uint64_t elf_load_bias(const struct elf_info *info, uint64_t base);

/*
 * Adds bias to every address in *info (entry, phdr_addr, segments, span,
 * PT_TLS).  -EINVAL, *info unchanged and info->reason set, when an ET_EXEC
 * gets a bias other than 0, the bias is not page-aligned, or the image
 * would wrap or reach past p->user_top; 0 otherwise.
 */
int elf_relocate(const struct elf_params *p, struct elf_info *info, uint64_t bias);

#endif
