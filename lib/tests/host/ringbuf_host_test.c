/*
 * lib/ringbuf.c, the receive buffer of the serial terminals: order, the
 * wrap of the array and of the counters, dropping and counting what does
 * not fit, against a plain model driven by random put/get sequences.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <kernel/ringbuf.h>

HOST_TEST(put_get_in_order)
{
	unsigned char store[8], out[8];
	struct ringbuf r;

	ringbuf_init(&r, store, sizeof(store));
	CHECK(ringbuf_empty(&r));
	CHECK(ringbuf_get(&r, out, sizeof(out)) == 0);
	CHECK(ringbuf_put(&r, "abc", 3) == 3);
	CHECK(ringbuf_len(&r) == 3 && ringbuf_space(&r) == 5);
	CHECK(ringbuf_get(&r, out, 2) == 2 && memcmp(out, "ab", 2) == 0);
	CHECK(ringbuf_put(&r, "defghij", 7) == 7);	/* wraps the array */
	CHECK(ringbuf_len(&r) == 8 && ringbuf_space(&r) == 0);
	CHECK(ringbuf_get(&r, out, sizeof(out)) == 8 && memcmp(out, "cdefghij", 8) == 0);
	CHECK(ringbuf_empty(&r) && r.dropped == 0);
}

HOST_TEST(full_drops_the_newest_and_counts)
{
	unsigned char store[4], out[4];
	struct ringbuf r;

	ringbuf_init(&r, store, sizeof(store));
	CHECK(ringbuf_put(&r, "123456", 6) == 4);
	CHECK(r.dropped == 2);
	CHECK(ringbuf_put(&r, "7", 1) == 0);
	CHECK(r.dropped == 3);
	CHECK(ringbuf_get(&r, out, 4) == 4 && memcmp(out, "1234", 4) == 0);
	CHECK(ringbuf_put(&r, "89", 2) == 2);
	CHECK(ringbuf_get(&r, out, 4) == 2 && memcmp(out, "89", 2) == 0);
	CHECK(r.dropped == 3);
}

HOST_TEST(reset_empties_without_counting)
{
	unsigned char store[16], out[16];
	struct ringbuf r;

	ringbuf_init(&r, store, sizeof(store));
	ringbuf_put(&r, "hello", 5);
	ringbuf_reset(&r);
	CHECK(ringbuf_empty(&r) && r.dropped == 0);
	CHECK(ringbuf_put(&r, "x", 1) == 1);
	CHECK(ringbuf_get(&r, out, 16) == 1 && out[0] == 'x');
}

/* The counters wrap around SIZE_MAX and the fill level stays right. */
HOST_TEST(counters_wrap)
{
	unsigned char store[16], out[16];
	struct ringbuf r;

	ringbuf_init(&r, store, sizeof(store));
	r.head = r.tail = SIZE_MAX - 5;
	CHECK(ringbuf_put(&r, "0123456789", 10) == 10);
	CHECK(r.head < r.tail);			/* head has wrapped */
	CHECK(ringbuf_len(&r) == 10 && ringbuf_space(&r) == 6);
	CHECK(ringbuf_put(&r, "abcdefgh", 8) == 6 && r.dropped == 2);
	CHECK(ringbuf_get(&r, out, 16) == 16);
	CHECK(memcmp(out, "0123456789abcdef", 16) == 0);
	CHECK(ringbuf_empty(&r));
}

/* Random put/get sequences against a model that never drops by mistake. */
HOST_TEST(random_against_model)
{
	static const size_t sizes[] = { 1, 2, 16, 64, 4096 };

	srand(12345);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t size = sizes[s];
		unsigned char *store = malloc(size), in[300], out[300];
		unsigned char *model = malloc(1 << 20);
		size_t m_head = 0, m_tail = 0;
		unsigned long m_dropped = 0;
		unsigned char next = 0;
		struct ringbuf r;

		ringbuf_init(&r, store, size);
		for (int step = 0; step < 20000; step++) {
			size_t n = (size_t)rand() % (size < 300 ? size * 2 + 1 : 300);

			if (rand() & 1) {
				size_t fit = size - (m_head - m_tail), want;

				for (size_t i = 0; i < n; i++)
					in[i] = next++;
				want = n < fit ? n : fit;
				CHECK(ringbuf_put(&r, in, n) == want);
				if (m_head + want > (1 << 20)) {	/* compact the model */
					memmove(model, model + m_tail, m_head - m_tail);
					m_head -= m_tail;
					m_tail = 0;
				}
				memcpy(model + m_head, in, want);
				m_head += want;
				m_dropped += n - want;
			} else {
				size_t have = m_head - m_tail, want = n < have ? n : have;

				CHECK(ringbuf_get(&r, out, n) == want);
				CHECK(memcmp(out, model + m_tail, want) == 0);
				m_tail += want;
			}
			CHECK(ringbuf_len(&r) == m_head - m_tail);
			CHECK(r.dropped == m_dropped);
		}
		free(store);
		free(model);
	}
}
