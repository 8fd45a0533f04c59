/*
 * A static-PIE program (ET_DYN, no interpreter, relocating itself) for the
 * exec.static_pie test: exits 42 if its arguments, environment, auxv and
 * relocated data are right where it was loaded, else a code saying what
 * was wrong.
 */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char _start[];
extern const ElfW(Ehdr) __ehdr_start;

static const char *relocated = "relocated";

int main(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[0], "pie") || strcmp(argv[1], "arg1"))
		return 1;
	if (!getenv("PIE"))
		return 2;
	if (getauxval(AT_ENTRY) != (uintptr_t)_start)
		return 3;
	if (getauxval(AT_PHDR) != (uintptr_t)&__ehdr_start + __ehdr_start.e_phoff)
		return 4;
	if (__ehdr_start.e_type != ET_DYN)
		return 5;
	if (strcmp(relocated, "relocated") != 0)
		return 6;
	return 42;
}
