// SPDX-License-Identifier: GPL-2.0-or-later
/* Rootless podman: who the hook really runs for, and whose files to trust. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "userns.h"

/* The home directory comes from the passwd database of the uid the
 * namespace maps, never from $HOME, which the launcher sets. */
int user_policy_dir(uid_t uid, char *home, size_t home_len, char *dir,
		    size_t dir_len)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	int r;

	r = getpwuid_r(uid, &pw, buf, sizeof(buf), &found);
	if (r != 0 || !found)
		return r ? -r : -ENOENT;
	if (pw.pw_dir[0] != '/')
		return -EINVAL;
	snprintf(home, home_len, "%s", pw.pw_dir);
	snprintf(dir, dir_len, "%s/%s", pw.pw_dir, USER_POLICY_SUBDIR);
	return 0;
}

static uid_t read_overflow_uid(void)
{
	FILE *f = fopen("/proc/sys/kernel/overflowuid", "re");
	unsigned int v = 65534;

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 65534;
		fclose(f);
	}
	return (uid_t)v;
}

int userns_detect(struct owners *ret, struct fw_error *err)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	bool mapped = false;
	int r = 0;

	*ret = (struct owners){ 0 };
	if (!f)
		return fw_error_set(err, -errno, "", "cannot read "
				    "/proc/self/uid_map: %s", strerror(errno));
	while (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3) {
		if (inside == 0 && outside == 0 && count == 4294967295UL)
			break; /* the initial namespace: rootful */
		if (inside == 0) {
			ret->rootless = mapped = true;
			break;
		}
	}
	fclose(f);
	if (!mapped)
		return 0;
	ret->overflow = read_overflow_uid();
	r = user_policy_dir((uid_t)outside, ret->home, sizeof(ret->home),
			    ret->user_dir, sizeof(ret->user_dir));
	if (r < 0)
		return fw_error_set(err, r, "", "rootless: uid %lu (mapped to "
				    "root here) is not in the passwd database",
				    outside);
	return 0;
}
