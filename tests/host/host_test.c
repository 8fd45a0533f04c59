/* Runs the registered host tests in name order and prints TAP 13. */
#include <stdio.h>
#include <stdlib.h>
#include "host_test.h"

static struct host_test *tests;
static int failed;

void
host_test_register(struct host_test *t)
{
	struct host_test **p = &tests;

	while (*p && strcmp((*p)->name, t->name) < 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

void
host_test_fail(const char *file, int line, const char *msg)
{
	printf("# %s:%d: %s\n", file, line, msg);
	failed = 1;
}

void
host_test_fail_str(const char *file, int line, const char *a, const char *b)
{
	printf("# %s:%d: \"%s\" != \"%s\"\n", file, line, a, b);
	failed = 1;
}

int
main(void)
{
	int n = 0, i = 0, bad = 0;

	/* Line by line: the results so far survive a test that aborts. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct host_test *t = tests; t; t = t->next)
		n++;
	printf("TAP version 13\n1..%d\n", n);
	for (struct host_test *t = tests; t; t = t->next) {
		failed = 0;
		t->fn();
		printf("%sok %d %s\n", failed ? "not " : "", ++i, t->name);
		bad += failed;
	}
	return bad ? 1 : 0;
}
