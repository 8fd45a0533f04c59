/* lib/string.c against the host C library, on random and edge inputs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"

void *k_memcpy(void *, const void *, size_t);
void *k_memmove(void *, const void *, size_t);
void *k_memset(void *, int, size_t);
int k_memcmp(const void *, const void *, size_t);
void *k_memchr(const void *, int, size_t);
size_t k_strlen(const char *);
size_t k_strnlen(const char *, size_t);
int k_strcmp(const char *, const char *);
int k_strncmp(const char *, const char *, size_t);
char *k_strchr(const char *, int);
char *k_strrchr(const char *, int);
size_t k_strlcpy(char *, const char *, size_t);
char *k_strstr(const char *, const char *);
unsigned long k_strtoul(const char *, char **, int);
unsigned long long k_strtoull(const char *, char **, int);

static int sign(int x) { return (x > 0) - (x < 0); }

HOST_TEST(memcpy_memset_all_alignments)
{
	unsigned char src[96], a[96], b[96];

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 3);
	for (size_t so = 0; so < 9; so++)
		for (size_t doff = 0; doff < 9; doff++)
			for (size_t n = 0; n < 70; n++) {
				memset(a, 0xee, sizeof(a));
				memset(b, 0xee, sizeof(b));
				k_memcpy(a + doff, src + so, n);
				memcpy(b + doff, src + so, n);
				CHECK(memcmp(a, b, sizeof(a)) == 0);
				k_memset(a + doff, (int)(n + 0x100), n);	/* c is truncated */
				memset(b + doff, (int)(n + 0x100), n);
				CHECK(memcmp(a, b, sizeof(a)) == 0);
			}
}

HOST_TEST(memmove_overlaps)
{
	unsigned char a[64], b[64];

	for (int src = 0; src < 24; src++)
		for (int dst = 0; dst < 24; dst++)
			for (size_t n = 0; n < 40; n++) {
				for (int i = 0; i < 64; i++)
					a[i] = b[i] = (unsigned char)i;
				k_memmove(a + dst, a + src, n);
				memmove(b + dst, b + src, n);
				CHECK(memcmp(a, b, sizeof(a)) == 0);
			}
}

HOST_TEST(compare_functions)
{
	const char *s[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "a\xff" };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		for (size_t j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			CHECK(sign(k_strcmp(s[i], s[j])) == sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 4; n++)
				CHECK(sign(k_strncmp(s[i], s[j], n)) ==
				      sign(strncmp(s[i], s[j], n)));
			CHECK(sign(k_memcmp(s[i], s[j], 1)) == sign(memcmp(s[i], s[j], 1)));
		}
}

HOST_TEST(search_functions)
{
	const char *t = "hello, world";

	CHECK(k_strlen(t) == 12);
	CHECK(k_strnlen(t, 5) == 5);
	CHECK(k_strnlen(t, 50) == 12);
	CHECK(k_strchr(t, 'o') == t + 4);
	CHECK(k_strrchr(t, 'o') == t + 8);
	CHECK(k_strchr(t, '\0') == t + 12);
	CHECK(k_strchr(t, 'z') == NULL);
	CHECK(k_memchr(t, 'w', 12) == t + 7);
	CHECK(k_memchr(t, 'w', 7) == NULL);
	CHECK(k_strstr(t, "world") == t + 7);
	CHECK(k_strstr(t, "") == t);
	CHECK(k_strstr(t, "worlds") == NULL);
}

HOST_TEST(strlcpy_truncates)
{
	char buf[6];

	CHECK(k_strlcpy(buf, "abcdefgh", sizeof(buf)) == 8);
	CHECK_STREQ(buf, "abcde");
	CHECK(k_strlcpy(buf, "ab", sizeof(buf)) == 2);
	CHECK_STREQ(buf, "ab");
	CHECK(k_strlcpy(buf, "xyz", 0) == 3);
	CHECK_STREQ(buf, "ab");
}

HOST_TEST(strtoul_matches_libc)
{
	const char *in[] = { "0", "42", "  -17", "+9", "0x1F", "0X1f", "017", "0x",
			     "zz", "18446744073709551615", "18446744073709551616",
			     "99999999999999999999999", "12abc", "0b101", "-0x10" };
	int bases[] = { 0, 8, 10, 16, 36 };

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
			char *e1, *e2;
			unsigned long long v1 = k_strtoull(in[i], &e1, bases[b]);
			unsigned long long v2 = strtoull(in[i], &e2, bases[b]);

			CHECK(v1 == v2);
			CHECK(e1 - in[i] == e2 - in[i]);
		}
}
