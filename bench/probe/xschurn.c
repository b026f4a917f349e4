/*
 * Connection churn through libxenstore, as every xenstore-* command does it: xs_open, one xs_read, xs_close, in a
 * loop for SECS seconds; prints the connections per second. The daemon is found through XENSTORED_PATH, as for
 * any libxenstore client. Built and run by scripts/bench compare with BENCH_XSLOOP=1 (needs libxen-dev and gcc).
 *
 *   xschurn [SECS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xenstore.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3;
	unsigned int len;
	long n = 0;
	double start = now(), end = start + secs;

	while (now() < end) {
		struct xs_handle *h = xs_open(0);
		if (!h) {
			perror("xs_open");
			return 1;
		}
		free(xs_read(h, XBT_NULL, "/", &len));
		xs_close(h);
		n++;
	}
	printf("connections/s=%.0f\n", n / (now() - start));
	return 0;
}
