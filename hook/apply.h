/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hook mode: from the OCI state on stdin to a firewall in the container. */
#ifndef OCI_FW_APPLY_H
#define OCI_FW_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"
#include "record.h"
#include "resolve.h"
#include "ruleset.h"

struct apply_options {
	const char *const *dirs; /* --policy-dir, in order; none: defaults */
	size_t ndirs;
	bool allow_path; /* fw.policy may be an absolute path */
	/* Admin controls, for nodes where the annotation's author is not
	 * trusted (CRI-O on Kubernetes). */
	const char *default_policy; /* for containers without fw.policy */
	const char *allowed;	    /* "a,b,c": the only names fw.policy may hold */
	bool allow_unsafe;	    /* honour fw.unsafe despite the above */
	bool refuse_host_network;   /* even unannotated, under a default */
	const struct record *rec;   /* where the DNS learner records */
	/* reload: the container's resolv.conf and hosts as the firewall it
	 * runs under knew them (its "dns" and "host" sets), not the files,
	 * which its processes may have rewritten since they started */
	const struct resolve_input *files;
};

#define APPLY_MAX_WARNINGS 8

/* What happened, for the lines main.c may print. */
struct apply_result {
	char id[65];	   /* the container's, as far as it fits */
	bool applied;	   /* a firewall is in place: loaded, or kept */
	bool kept;	   /* it was there already: the same, or a chosen one */
	bool replaced;	   /* the netns held another version, or a default */
	bool unfirewalled; /* host network under a default policy */
	struct table_comment table;    /* what the table says (names.h) */
	size_t nrules, nelems;	       /* nft rules and set elements loaded */
	char old[COMMENT_MAX + 1];
	struct fw_warning warnings[APPLY_MAX_WARNINGS]; /* empty symbols */
	size_t nwarnings;
	/* podman 5 (late.h): the symbols wait for the runtime's files */
	bool late;	   /* their sets went in empty; a companion fills them */
	bool companion;	   /* this process is that companion */
	bool required;	   /* a late symbol says "resolve": "required" */
	bool stopped;	   /* companion: it could not fill one: killed */
	struct timespec files_written; /* companion: when it saw them */
	bool learner;	   /* this process is the DNS learner (learn.h) */
};

int apply_run(int state_fd, const struct apply_options *o,
	      struct apply_result *res, struct fw_error *err);

#endif
