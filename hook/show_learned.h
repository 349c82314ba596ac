/* SPDX-License-Identifier: GPL-2.0-or-later */
/* show: the addresses the DNS learner added, and whether it still runs. */
#ifndef OCI_FW_SHOW_LEARNED_H
#define OCI_FW_SHOW_LEARNED_H

#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>

#include "dns.h"
#include "error.h"

/* Shown at most; the count says how many there are. */
#define SHOW_LEARNED_MAX 4096

struct learned_addr {
	char addr[INET6_ADDRSTRLEN];
	char name[DNS_NAME_MAX + 1]; /* asked by the container */
	char pattern[DNS_NAME_MAX + 1]; /* the policy's, the set's comment */
	uint64_t expires_ms;
};

struct show_learned {
	bool learns;	  /* the firewall has learned sets */
	bool listening;	  /* a learner listens on the netns's queue */
	struct learned_addr *v;
	size_t n, total;
};

/* Whether a process listens on the learner's queue in the netns of
 * process `pid` (the kernel's nfnetlink_queue file, one queue a line,
 * its number first): read before any seccomp filter. */
bool show_learner_listens(pid_t pid);
/* In the container's netns, with the firewall's netlink socket. */
int show_learned_read(struct mnl_socket *nl, bool listening,
		      struct show_learned *ret, struct fw_error *err);
void show_learned_print_text(const struct show_learned *l, FILE *out);
void show_learned_json(const struct show_learned *l, json_object *root);
void show_learned_free(struct show_learned *l);

#endif
