/*
 * A static program the host tests build for each port with the cross
 * toolchains (-static and -static-pie) and parse with kernel/elf.c next
 * to readelf.  It has a PT_TLS segment.  Run as "elf_fixture
 * --dump-stack ..." it prints its own initial stack, from the stack
 * pointer execve gave it up to the top, for the exec-stack test to
 * compare with kernel/exec_stack.c's layout.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

__thread int tls_var = 42;

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--dump-stack")) {
		/* argc sits one word below argv[] */
		const unsigned char *sp = (const unsigned char *)argv - sizeof(long);
		const char *execfn = (const char *)getauxval(AT_EXECFN);
		/* one zero word above the execfn string */
		const unsigned char *top = (const unsigned char *)execfn + strlen(execfn) + 1 +
					   sizeof(void *);

		printf("sp %jx\ntop %jx\n", (uintmax_t)(uintptr_t)sp, (uintmax_t)(uintptr_t)top);
		for (const unsigned char *p = sp; p < top; p++)
			printf("%02x", *p);
		printf("\n");
	}
	return tls_var == 42 ? 0 : 1;
}
