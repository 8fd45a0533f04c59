/*
 * libFuzzer harness for fs/cpio.c (clang -fsanitize=fuzzer,address,
 * undefined; see fs/meson.build).  Walks the input as an initramfs until
 * the end or an error, reads every byte of every name and data the
 * reader returns, so that ASan sees any pointer outside the input, and
 * traps when a returned entry breaks the reader's promises.
 *
 * meson test runs it briefly with a fixed seed and run count; longer, by
 * hand, from the build directory (new inputs go to the first directory):
 *   mkdir -p /tmp/cpio-corpus
 *   fs/cpio_fuzz /tmp/cpio-corpus ../../fs/tests/fuzz/corpus -max_total_time=3600 -jobs=2
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <kernel/cpio.h>

#define REQUIRE(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

/* Where the bytes read go, so that the reads are not optimised away. */
volatile unsigned int cpio_fuzz_sink;

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	struct cpio_reader r;
	struct cpio_entry e;
	unsigned int sink = 0;
	unsigned int n = 0;
	int rc;

	cpio_reader_init(&r, buf, len);
	while ((rc = cpio_next(&r, &e)) == 1) {
		const uint8_t *name = (const uint8_t *)e.name, *data = e.data;

		REQUIRE(name >= buf && name + e.namelen < buf + len);
		REQUIRE(data >= buf && e.size <= len && data <= buf + len - e.size);
		REQUIRE(e.namelen > 0 && e.namelen < CPIO_NAME_MAX);
		REQUIRE(name[e.namelen] == '\0' && strlen(e.name) == e.namelen);
		REQUIRE(strcmp(e.name, "..") && !strstr(e.name, "/../") &&
			strncmp(e.name, "../", 3) &&
			!(e.namelen >= 3 && !strcmp(e.name + e.namelen - 3, "/..")));
		for (size_t i = 0; i <= e.namelen; i++)
			sink += name[i];
		for (size_t i = 0; i < e.size; i++)
			sink += data[i];
		n++;
	}
	cpio_fuzz_sink += sink;
	REQUIRE(rc == 0 || rc == -22);
	REQUIRE(memchr(r.err, '\0', sizeof(r.err)) != NULL);
	REQUIRE(rc == 0 ? r.err[0] == '\0' : strncmp(r.err, "offset ", 7) == 0);
	REQUIRE(!strchr(r.err, '\n'));
	REQUIRE(r.entries == n);
	if (rc < 0)
		REQUIRE(cpio_next(&r, &e) == rc);
	return 0;
}
