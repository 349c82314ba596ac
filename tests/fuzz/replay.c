// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replays inputs through one fuzz target without libFuzzer, so that meson
 * test runs the committed corpora (and every crash reproducer in them) with
 * any compiler, and under ASan/UBSan when the build has them.
 *
 *     replay-policy tests/fuzz/corpus/policy [FILE|DIR]...
 *
 * Directories are read one level deep, in name order, skipping dot files.
 * Exit 0 when every input ran, 1 when an input could not be read or no
 * input was found; a bug in the code under test aborts or is reported by
 * the sanitizers.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Inputs beyond this are not fuzz inputs: refuse rather than guess. */
#define REPLAY_MAX_BYTES (64u << 20)

static int read_file(const char *path, uint8_t **ret, size_t *ret_len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_size > REPLAY_MAX_BYTES) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	*ret = buf;
	*ret_len = got;
	return 0;
}

static int replay_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int r = read_file(path, &buf, &len);

	if (r < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(-r));
		return r;
	}
	/* Named first, so that a crash's output says which input it was. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int skip_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Returns the number of inputs run, or -errno. */
static int replay_dir(const char *dir)
{
	struct dirent **names;
	char path[PATH_MAX];
	int n = scandir(dir, &names, skip_dot, alphasort), ran = 0, r = 0;

	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (r == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			r = replay_file(path);
			ran++;
		}
		free(names[i]);
	}
	free(names);
	return r < 0 ? r : ran;
}

int main(int argc, char **argv)
{
	struct stat st;
	int total = 0, r;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			return 1;
		}
		r = S_ISDIR(st.st_mode) ? replay_dir(argv[i])
					: replay_file(argv[i]);
		if (r < 0)
			return 1;
		total += S_ISDIR(st.st_mode) ? r : 1;
	}
	if (total == 0) {
		fprintf(stderr, "replay: no input found\n");
		return 1;
	}
	printf("replay: %d inputs ran\n", total);
	return 0;
}
