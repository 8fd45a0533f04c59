/*
 * execve's parsers in the kernel, on the port's own word size and page
 * size (the host tests run them on x86_64 only): an ELF image for
 * ELF_ARCH_NATIVE, a "#!" line and an initial stack.
 */
#include <string.h>
#include <arch/mmu.h>
#include <kernel/binfmts.h>
#include <kernel/elf.h>
#include <kernel/errno.h>
#include <kernel/exec_stack.h>
#include <kernel/ktest.h>

#if UINTPTR_MAX > 0xffffffffu
typedef Elf64_Ehdr ehdr_t;
typedef Elf64_Phdr phdr_t;
#define CLASS	ELFCLASS64
#else
typedef Elf32_Ehdr ehdr_t;
typedef Elf32_Phdr phdr_t;
#define CLASS	ELFCLASS32
#endif

static unsigned char image[4096] __aligned(8);

static void
make_image(uint16_t machine, uintptr_t entry)
{
	ehdr_t *e = (ehdr_t *)image;
	phdr_t *ph = (phdr_t *)(image + sizeof(*e));

	memset(image, 0, sizeof(image));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = CLASS;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = machine;
	e->e_version = EV_CURRENT;
	e->e_entry = entry;
	e->e_phoff = sizeof(*e);
	e->e_ehsize = sizeof(*e);
	e->e_phentsize = sizeof(*ph);
	e->e_phnum = 2;
	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_X;
	ph[0].p_vaddr = 0x400000;
	ph[0].p_filesz = ph[0].p_memsz = sizeof(image);
	ph[0].p_align = PAGE_SIZE;
	ph[1].p_type = PT_GNU_STACK;
	ph[1].p_flags = PF_R | PF_W;
}

static int
image_read(void *ctx, void *buf, size_t n, loff_t off)
{
	if (off < 0 || (uint64_t)off >= sizeof(image))
		return 0;
	n = MIN(n, sizeof(image) - (size_t)off);
	memcpy(buf, image + off, n);
	return (int)n;
}

static const uint16_t native_machine =
	ELF_ARCH_NATIVE == ELF_ARCH_AARCH64 ? EM_AARCH64 :
	ELF_ARCH_NATIVE == ELF_ARCH_X86_64 ? EM_X86_64 : EM_386;

KTEST(exec, elf_native)
{
	struct elf_params p = { ELF_ARCH_NATIVE, USER_TOP, PAGE_SIZE, 1 << 20 };
	static struct elf_info info;

	make_image(native_machine, 0x400100);
	KEXPECT_EQ(elf_parse(&p, image, BINPRM_BUF_SIZE, sizeof(image), image_read, NULL, &info), 0);
	KEXPECT_STREQ(info.reason, "");
	KEXPECT_EQ(info.word_size, sizeof(void *));
	KEXPECT_EQ(info.nr_loads, 1u);
	KEXPECT(info.entry == 0x400100);
	KEXPECT(info.phdr_addr == 0x400000 + sizeof(ehdr_t));
	KEXPECT(info.stack == ELF_STACK_NOEXEC);
	KEXPECT(info.start == 0x400000 && info.end == 0x401000);

	make_image(native_machine, 0x401000);
	KEXPECT_EQ(elf_parse(&p, image, BINPRM_BUF_SIZE, sizeof(image), image_read, NULL, &info),
		   -ENOEXEC);
	make_image(native_machine == EM_386 ? EM_X86_64 : EM_386, 0x400100);
	KEXPECT_EQ(elf_parse(&p, image, BINPRM_BUF_SIZE, sizeof(image), image_read, NULL, &info),
		   -ENOEXEC);
}

KTEST(exec, script_line)
{
	static struct script_info s;

	KEXPECT_EQ(script_parse("#! /bin/sh -e \n", 15, &s), 0);
	KEXPECT_STREQ(s.interp, "/bin/sh");
	KEXPECT_STREQ(s.arg, "-e");
	KEXPECT_EQ(script_parse("#!\n", 3, &s), -ENOEXEC);
}

KTEST(exec, initial_stack)
{
	static const char *const argv[] = { "init", "-s" };
	static const char *const envp[] = { "HOME=/", "TERM=linux" };
	static unsigned char buf[1024];
	struct exec_stack_args a = {
		.word_size = sizeof(long), .stack_top = USER_TOP - PAGE_SIZE,
		.rlimit_stack = 8 << 20, .argv = argv, .argc = 2, .envp = envp, .envc = 2,
		.execfn = "/init", .platform = "kite",
		.auxv = { .pagesz = PAGE_SIZE, .clktck = 100, .entry = 0x400100 },
	};
	struct exec_stack_layout l;
	const unsigned long *w;

	KASSERT(exec_stack_build(&a, NULL, 0, &l) == 0);
	KASSERT(l.size <= sizeof(buf));
	KEXPECT_EQ(exec_stack_build(&a, buf, sizeof(buf), &l), 0);
	KEXPECT(l.sp % 16 == 0);
	w = (const unsigned long *)(buf + sizeof(buf) - l.size);
	KEXPECT_EQ(w[0], 2ul);
	KEXPECT(w[1] == l.arg_start && w[3] == 0 && w[6] == 0);
	KEXPECT_STREQ((const char *)buf + sizeof(buf) - (a.stack_top - w[2]), "-s");
	KEXPECT_STREQ((const char *)buf + sizeof(buf) - (a.stack_top - w[5]), "TERM=linux");
	KEXPECT(l.env_end == l.execfn && l.execfn == a.stack_top - sizeof(long) - 6);
}
