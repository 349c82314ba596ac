// SPDX-License-Identifier: GPL-2.0-or-later
/* Finding and entering the container's network namespace, by fd. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "confine.h"
#include "netlink.h"
#include "netns.h"
#include "ruleset.h"

int netns_open(pid_t pid, const char *host_refusal, int *ret_fd,
	       struct fw_error *err)
{
	_cleanup_close_ int fd = -1;
	struct stat theirs, ours;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fw_error_set(err, -errno, "", "cannot open %s: %s%s", path,
				    strerror(errno),
				    errno == ENOENT ? " (the container's process "
						      "is gone)" : "");
	if (fstat(fd, &theirs) < 0 || stat("/proc/self/ns/net", &ours) < 0)
		return fw_error_set(err, -errno, "", "cannot stat %s: %s", path,
				    strerror(errno));
	if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
		return fw_error_class(err, FW_CLASS_UNSAFE,
				      fw_error_set(err, -EPERM, "",
						   "the container shares the "
						   "host's network namespace "
						   "(--network host); %s",
						   host_refusal));
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* fstat follows nothing: the fd is the namespace; stat follows the path's
 * bind mount (/run/netns/X) or magic link (/proc/PID/ns/net) to one. */
int netns_verify_path(int fd, const char *path, struct fw_error *err)
{
	struct stat named, opened;

	if (stat(path, &named) < 0 || fstat(fd, &opened) < 0)
		return fw_error_set(err, -errno, "linux.namespaces",
				    "the network namespace config.json names, "
				    "%s: %s", path, strerror(errno));
	if (named.st_dev != opened.st_dev || named.st_ino != opened.st_ino)
		return fw_error_set(err, -EXDEV, "linux.namespaces",
				    "the container's process is not in the "
				    "network namespace config.json names (%s); "
				    "refusing to load a firewall where the "
				    "container may not be", path);
	return 0;
}

int netns_join(pid_t pid, struct fw_error *err)
{
	_cleanup_close_ int fd = -1;
	int r;

	r = netns_open(pid, "it has no firewall of its own", &fd, err);
	if (r == 0)
		r = confine_stage1(err);
	return r < 0 ? r : netns_enter(fd, err);
}

int netns_enter(int fd, struct fw_error *err)
{
	if (setns(fd, CLONE_NEWNET) < 0)
		return fw_error_set(err, -errno, "",
				    "cannot enter the container's network "
				    "namespace: %s", strerror(errno));
	return 0;
}

int netns_open_firewall(pid_t pid, bool confined, struct mnl_socket **ret_nl,
			char *comment, size_t len, struct fw_error *err)
{
	_cleanup_close_ int fd = -1;
	struct mnl_socket *nl = NULL;
	int r;

	if (confined) {
		r = netns_join(pid, err);
	} else {
		r = netns_open(pid, "it has no firewall of its own", &fd, err);
		if (r == 0)
			r = netns_enter(fd, err);
	}
	if (r == 0)
		r = nl_open(&nl, err);
	if (r == 0)
		r = nl_table_comment(nl, comment, len, err);
	if (r == -ENOENT)
		r = fw_error_set(err, r, "", "the container's network namespace "
				 "holds no table inet " RULESET_TABLE
				 ": it runs without a firewall");
	if (r < 0 && nl)
		mnl_socket_close(nl);
	else if (r == 0)
		*ret_nl = nl;
	return r;
}
