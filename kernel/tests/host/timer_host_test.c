/*
 * kernel/timer.c on the host: deadline order, FIFO among equal deadlines,
 * re-arming moves a timer, cancel, callbacks that re-arm themselves.
 */
#include <stdint.h>
#include <string.h>
#include "host_test.h"

#include <kernel/timer.h>

static char fired[32];
static size_t nfired;

static void
note(struct timer *t)
{
	fired[nfired++] = (char)('a' + (t->deadline_ns % 100) / 10);
	fired[nfired] = '\0';
}

HOST_TEST(order_and_fifo)
{
	struct timer t[5];
	const uint64_t when[5] = { 30, 10, 20, 10, 40 };	/* 'd','b','c','b','e' */

	nfired = 0;
	for (int i = 0; i < 5; i++) {
		timer_init(&t[i], note);
		timer_arm(&t[i], when[i] + 0);
	}
	timers_run(9);
	CHECK(nfired == 0);
	timers_run(25);
	CHECK_STREQ(fired, "bbc");		/* both 10s, in arming order, then 20 */
	timers_run(1000);
	CHECK_STREQ(fired, "bbcde");
}

HOST_TEST(rearm_and_cancel)
{
	struct timer a, b;

	nfired = 0;
	timer_init(&a, note);
	timer_init(&b, note);
	timer_arm(&a, 10);
	timer_arm(&b, 20);
	timer_arm(&a, 30);			/* moves, does not duplicate */
	CHECK(timer_cancel(&b));
	CHECK(!timer_cancel(&b));		/* already out */
	timers_run(100);
	CHECK_STREQ(fired, "d");
	CHECK(!timer_armed(&a));
}

static int rearms;

static void
periodic(struct timer *t)
{
	if (++rearms < 3)
		timer_arm(t, t->deadline_ns + 10);
}

HOST_TEST(callback_rearms)
{
	struct timer p;

	rearms = 0;
	timer_init(&p, periodic);
	timer_arm(&p, 10);
	timers_run(15);
	CHECK(rearms == 1);
	timers_run(100);			/* 20 and 30 are both due now */
	CHECK(rearms == 3);
	CHECK(!timer_armed(&p));
}
