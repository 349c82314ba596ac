/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding and entering the container's network namespace, by fd. */
#ifndef OCI_FW_NETNS_H
#define OCI_FW_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Opens /proc/PID/ns/net once; refuses the hook's own namespace (the
 * container shares the host's network: --network host), ending the error
 * with `host_refusal`. */
int netns_open(pid_t pid, const char *host_refusal, int *ret_fd,
	       struct fw_error *err);
int netns_enter(int fd, struct fw_error *err);
/* Refuses unless `fd` (netns_open()'s) is the namespace at `path`, the one
 * the runtime's config.json names (same device and inode). */
int netns_verify_path(int fd, const char *path, struct fw_error *err);
/* For show and refresh, which read no file: netns_open(), the stage-1
 * seccomp filter (confine.h), netns_enter(). */
int netns_join(pid_t pid, struct fw_error *err);

/* For watch, explain and suggest: enters the network namespace of `pid`
 * (under stage 1 when `confined`: nothing is read from files after), opens
 * an nf_tables socket there and reads the comment of table inet oci_fw;
 * -ENOENT, said as such, when there is none. */
struct mnl_socket;
int netns_open_firewall(pid_t pid, bool confined, struct mnl_socket **ret_nl,
			char *comment, size_t len, struct fw_error *err);

#endif
