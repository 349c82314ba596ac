// SPDX-License-Identifier: GPL-2.0-or-later
/* Hook mode: from the OCI state on stdin to a firewall in the container. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apply.h"
#include "batch.h"
#include "cleanup.h"
#include "compose.h"
#include "confine.h"
#include "container.h"
#include "hostaddr.h"
#include "late.h"
#include "learn.h"
#include "list.h"
#include "netlink.h"
#include "neighbours.h"
#include "netns.h"
#include "policy_file.h"
#include "readall.h"
#include "resolve.h"
#include "state.h"
#include "userns.h"

#define FIRST_SEQ 16 /* after the table query's */

struct apply {
	const struct apply_options *o;
	const char *policy; /* fw.policy, or the default policy */
	bool is_default;
	bool unsafe_honoured; /* fw.unsafe counts on this node */
	struct owners owners; /* rootless: whose files to trust */
	const char *dirs[POLICY_DIRS_DEFAULT_MAX];
	struct policy_lookup lookup;
	struct oci_state st;
	struct container c;
	uint64_t accepted; /* risks fw.unsafe accepts */
	char *resolv_conf, *hosts; /* the container's, for symbols */
	struct interval_list host_v4, host_v6; /* the runtime's addresses */
	struct resolve_input in;   /* points into them */
	struct late late; /* podman 5: the files come after create */
	struct learn learn; /* allow rules' names: the DNS learner */
	int netns_fd;
	struct mnl_socket *nl;
	struct apply_result *res;
	struct fw_error *err;
};

static int read_state(struct apply *a, int fd)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	fw_error_set_file(a->err, "state");
	r = read_all(fd, STATE_MAX_BYTES, &buf, &len);
	if (r < 0)
		fw_error_set(a->err, r, "", "reading stdin: %s",
			     r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
	else
		r = state_parse(buf, len, &a->st, a->err);
	return fw_error_class(a->err, FW_CLASS_STATE, r);
}

/*
 * Rootless, the hook runs with the user's own rights: a path in fw.policy
 * can read nothing the user could not, so it needs no --allow-path, and the
 * user's own policy directory comes first.  Only a container with a policy
 * asks: the path every container takes reads nothing it does not need.
 */
static int find_policies(struct apply *a)
{
	struct policy_lookup *l = &a->lookup;
	int r;

	r = userns_detect(&a->owners, a->err);
	if (r < 0)
		return fw_error_class(a->err, FW_CLASS_INTERNAL, r);
	l->owners = &a->owners;
	l->allow_path = a->o->allow_path || a->owners.rootless;
	l->dirs = a->o->ndirs ? a->o->dirs : a->dirs;
	l->ndirs = a->o->ndirs ? a->o->ndirs
			       : policy_dirs_default(a->owners.user_dir,
						     a->dirs);
	return 0;
}

/* The runtime wrote config.json into the bundle: what the container may do
 * decides whether it may have a firewall at all. */
static int read_config(struct apply *a)
{
	int r;

	r = container_load(a->st.bundle,
			   a->st.policy || a->st.unsafe || a->o->default_policy,
			   &a->c, a->err);
	if (r < 0)
		return fw_error_class(a->err, FW_CLASS_STATE, r);
	fw_error_set_file(a->err, "");
	r = a->st.unsafe ? unsafe_parse(a->st.unsafe, &a->accepted, a->err) : 0;
	return fw_error_class(a->err, FW_CLASS_ANNOTATION, r);
}

static bool in_list(const char *list, const char *name)
{
	size_t len = strlen(name), n;

	for (const char *p = list, *next; *p; p = next) {
		next = list_item(p, &n);
		if (n == len && strncmp(p, name, len) == 0)
			return true;
	}
	return false;
}

/* Admin controls: the default for containers without fw.policy, the only
 * names fw.policy may hold, and fw.unsafe only when allowed. */
static int choose_policy(struct apply *a)
{
	const struct apply_options *o = a->o;
	bool controlled = o->default_policy || o->allowed;

	a->unsafe_honoured = !controlled || o->allow_unsafe;
	if (!a->unsafe_honoured)
		a->accepted = 0;
	a->policy = a->st.policy;
	if (!a->policy && o->default_policy) {
		a->policy = o->default_policy;
		a->is_default = true;
		return 0;
	}
	for (const char *p = a->policy ? a->policy : "", *next; o->allowed && *p;
	     p = next) {
		char name[POLICY_NAME_MAX + 2];
		size_t n;

		next = list_item(p, &n);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (in_list(o->allowed, name))
			continue;
		fw_error_set_file(a->err, name);
		return fw_error_class(a->err, FW_CLASS_ANNOTATION,
				      fw_error_set(a->err, -EPERM, "",
						   "not among the policies "
						   "this node allows (%s)",
						   o->allowed));
	}
	return 0;
}

/* kube-proxy and CNI pods use the host's network: under a default policy
 * they run unfirewalled (and main.c says so) unless the admin refuses. */
static int host_network_default(struct apply *a)
{
	if (a->o->refuse_host_network)
		return fw_error_class(a->err, FW_CLASS_UNSAFE,
				      fw_error_set(a->err, -EPERM, "",
						   "the container shares the "
						   "host's network namespace "
						   "and cannot be firewalled; "
						   "this node refuses such "
						   "containers "
						   "(--refuse-host-network)"));
	a->res->unfirewalled = true;
	return 0;
}

static int check_risks(struct apply *a, const char *why)
{
	return fw_error_class(a->err, FW_CLASS_UNSAFE,
			      container_check_risks(&a->c, a->accepted, why,
						    a->unsafe_honoured,
						    a->err));
}

/* Symbolic destinations resolve inside the container's netns, with its
 * files: its nameservers, its routes. */
static int resolve(struct apply *a, struct ruleset *rs)
{
	struct apply_result *res = a->res;
	int r;

	/* late: the companion fills them once the runtime wrote the files */
	if (rs->nsymbols == 0 || res->late)
		return 0;
	fw_error_set_file(a->err, a->policy);
	a->in.routes = true;
	r = fw_error_class(a->err, FW_CLASS_RESOLVE,
			   ruleset_resolve(rs, &a->in, a->err));
	for (size_t i = 0; r == 0 && i < rs->nsymbols; i++) {
		if (rs->symbols[i].resolved || res->nwarnings == APPLY_MAX_WARNINGS)
			continue;
		symbol_warning(&rs->symbols[i], "its rules match nothing for now",
			       &res->warnings[res->nwarnings]);
		fw_warning_set_file(&res->warnings[res->nwarnings++], a->policy);
	}
	return r;
}

/* Enter the container's netns, fill the symbols' sets, open the socket:
 * what stage 2 keeps. */
/* Into the container's netns, with the socket that commits there. */
static int join(struct apply *a)
{
	int r;

	r = fw_error_class(a->err, FW_CLASS_KERNEL,
			   netns_enter(a->netns_fd, a->err));
	if (r == 0)
		r = fw_error_class(a->err, FW_CLASS_KERNEL,
				   nl_open(&a->nl, a->err));
	return r;
}

static int enter(struct apply *a, struct ruleset *rs)
{
	int r;

	fw_error_set_file(a->err, "");
	r = join(a);
	if (r == 0 && rs)
		r = resolve(a, rs);
	if (r == 0)
		r = fw_error_class(a->err, FW_CLASS_INTERNAL,
				   confine_stage2(a->err));
	return r;
}

/* The state's pid leads to the netns; the host's own is refused (netns.c
 * classes that), a process that is gone is the state's fault.  Where
 * config.json names the namespace (podman, CRI-O), the pid's must be it:
 * a pid that has left it, or a state and bundle that disagree, would
 * firewall some other namespace. */
static int open_netns(struct apply *a)
{
	int r;

	r = netns_open(a->st.pid, "refusing to firewall the host",
		       &a->netns_fd, a->err);
	if (r == 0 && a->c.netns_path[0]) {
		r = netns_verify_path(a->netns_fd, a->c.netns_path, a->err);
		fw_error_set_file(a->err, r < 0 ? "config.json" : "");
		r = fw_error_class(a->err, FW_CLASS_UNSAFE, r);
	}
	return fw_error_class(a->err, FW_CLASS_STATE, r);
}

/*
 * No annotation, no effect; except that a container joining a netns that
 * holds another container's firewall (a pod sibling, --network
 * container:X) must not be able to undo it.  A container without risky
 * capabilities needs no look at all.  Its fw.unsafe accepts risks for a
 * firewall of its own only, never for another container's.
 */
static int apply_unannotated(struct apply *a)
{
	char comment[COMMENT_MAX + 1], names[192];
	int r;

	if (!a->c.own_netns || !a->c.risks)
		return 0;
	r = open_netns(a);
	if (r == 0)
		r = fw_error_class(a->err, FW_CLASS_INTERNAL,
				   confine_stage1(a->err));
	if (r == 0)
		r = enter(a, NULL);
	if (r == 0)
		r = nl_table_comment(a->nl, comment, sizeof(comment), a->err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return fw_error_class(a->err, FW_CLASS_KERNEL, r);
	risks_names(a->c.risks, names, sizeof(names));
	return fw_error_class(
	    a->err, FW_CLASS_UNSAFE,
	    fw_error_set(a->err, -EPERM, "",
			 "the container holds %s and its network namespace "
			 "holds another container's firewall (%s), which it "
			 "could undo or bypass; drop the capability "
			 "(" ANNOTATION_UNSAFE " accepts a risk for a "
			 "container's own firewall, never for another's)",
			 names, comment));
}

/* The companion's batch: the symbols' sets of the firewall its parent
 * loaded, flushed and filled in one transaction. */
static int commit_late(struct apply *a, const struct ruleset *rs)
{
	char found[COMMENT_MAX + 1];
	struct batch b;
	int r;

	r = nl_table_comment(a->nl, found, sizeof(found), a->err);
	if (r == 0 && strcmp(found, rs->comment) != 0)
		r = fw_error_set(a->err, -ESTALE, "", "the network namespace "
				 "holds another firewall by now (%s)", found);
	if (r == 0)
		r = batch_build_refill(rs, FIRST_SEQ, &b, a->err);
	if (r < 0)
		return r;
	r = nl_commit(a->nl, &b, a->err);
	batch_free(&b);
	return r;
}

static bool names_pending(const struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nsymbols; i++)
		if (rs->symbols[i].sym.kind == SYM_NAME && !rs->symbols[i].resolved)
			return true;
	return false;
}

/*
 * The companion's queries for hostnames leave from inside the container,
 * past the firewall its parent loaded (as `refresh`'s do): the
 * nameservers, host and gateways go in first, in one batch, then the
 * hostnames are asked and every set is filled again, in a second.
 */
static int companion_fill(struct apply *a, struct ruleset *rs)
{
	int r;

	fw_error_set_file(a->err, a->policy);
	a->in.routes = true;
	a->in.no_queries = true;
	r = join(a);
	if (r == 0)
		r = ruleset_resolve(rs, &a->in, a->err);
	if (r == 0)
		r = commit_late(a, rs);
	if (r < 0 || !names_pending(rs))
		return r;
	ruleset_clear_symbols(rs);
	a->in.no_queries = false;
	r = resolve(a, rs);
	if (r == 0)
		r = confine_companion_stage2(a->err);
	return r ? r : commit_late(a, rs);
}

/*
 * What a table already in the namespace means for ours: the same policy,
 * same version and mode, is kept; the same policy (the same name from the
 * same place) in another version or mode replaces it, as does anything over
 * a default policy; a default policy gives way to a chosen one and never
 * replaces it.  Anything else, including a table this hook's format did
 * not write, is another container's firewall.
 */
enum found_table { FOUND_KEEP, FOUND_REPLACE, FOUND_REFUSE };

static enum found_table judge(const char *found, const struct ruleset *rs,
				struct table_comment *ret_kept)
{
	struct table_comment f = { 0 };
	/* An older hook's table: a chosen policy from an unknown place */
	bool known = table_comment_parse(found, &f) == 0;

	if (strcmp(found, rs->comment) == 0 ||
	    (rs->table.is_default && !f.is_default)) {
		/* The record names what the table holds, not what this
		 * container would have loaded. */
		if (!known)
			snprintf(f.name, sizeof(f.name), "?");
		*ret_kept = f;
		return FOUND_KEEP;
	}
	return known && (f.is_default || table_same_policy(&f, &rs->table))
		       ? FOUND_REPLACE
		       : FOUND_REFUSE;
}

/* One batch; in a shared netns the table may be there already (judge()).
 * Creating the table is exclusive: the first attempt takes the namespace
 * for new, which saves a round trip to the kernel on every start of a
 * container with a netns of its own; EEXIST (a pod sibling's table, or
 * one loaded at the same moment) makes the next attempts look first. */
static int commit(struct apply *a, const struct ruleset *rs)
{
	char found[COMMENT_MAX + 1];
	struct batch b = { 0 }; /* build() leaves it untouched when it fails */
	enum found_table j;
	int r = -EEXIST;

	for (int attempt = 0; attempt < 3 && r == -EEXIST; attempt++) {
		r = attempt == 0 ? -ENOENT
				 : nl_table_comment(a->nl, found, sizeof(found),
						    a->err);
		j = r == 0 ? judge(found, rs, &a->res->table) : FOUND_REPLACE;
		a->res->kept = j == FOUND_KEEP;
		if (a->res->kept)
			return 0;
		if (j == FOUND_REFUSE)
			return fw_error_class(
			    a->err, FW_CLASS_UNSAFE,
			    fw_error_set(a->err, -EEXIST, "",
					 "the network namespace already "
					 "holds another container's "
					 "firewall (%s); refusing to load "
					 "%s over it",
					 found, rs->comment));
		if (r < 0 && r != -ENOENT)
			return fw_error_class(a->err, FW_CLASS_KERNEL, r);
		a->res->replaced = r == 0;
		/* found holds a comment only when the table was there */
		snprintf(a->res->old, sizeof(a->res->old), "%s",
			 a->res->replaced ? found : "");
		r = batch_build(rs, FIRST_SEQ, a->res->replaced, &b, a->err);
		if (r == 0)
			r = nl_commit(a->nl, &b, a->err);
		batch_free(&b);
	}
	return fw_error_class(a->err, FW_CLASS_KERNEL, r);
}

/* Errors in a file named by path must not show its content, nor whether
 * it exists, to whoever wrote the annotation: the hook may read files
 * they cannot.  One line, one exit status, whatever went wrong. */
static int withhold_details(struct apply *a)
{
	fw_error_set_file(a->err, a->policy);
	return fw_error_class(a->err, FW_CLASS_POLICY,
			      fw_error_set(a->err, -EINVAL, "",
					   "not a valid policy (details "
					   "withheld for a policy named by "
					   "path, even whether it exists: run "
					   "oci-fw-hook check on it to see "
					   "them)"));
}

/* `host` is also every address of the runtime's network namespace, the
 * host's as the runtime sees it: read here, before setns (enter()); the
 * companion (late.h) inherits them. */
static int read_host_addresses(struct apply *a, const struct policy *p)
{
	bool host = false;
	int r;

	for (size_t i = 0; i < p->nsymbols; i++)
		host |= p->symbols[i].kind == SYM_HOST;
	if (!host)
		return 0;
	r = host_addresses_read(&a->host_v4, &a->host_v6, a->err);
	a->in.host_v4 = &a->host_v4;
	a->in.host_v6 = &a->host_v6;
	return r;
}

/* What the container's resolver reads, read before stage 1 ends file
 * access; only a policy with symbolic destinations needs it. */
static int read_container_files(struct apply *a, const struct policy *p)
{
	int r;

	if (p->nsymbols == 0)
		return 0;
	if (a->o->files) {
		a->in = *a->o->files;
		return 0;
	}
	fw_error_set_file(a->err, a->policy);
	r = resolve_input_read(&a->c, a->st.bundle, &a->in, &a->resolv_conf,
			       &a->hosts, a->err);
	if (r == 0)
		r = read_host_addresses(a, p);
	return fw_error_class(a->err, FW_CLASS_RESOLVE, r);
}

static bool policy_learns(const struct policy *p)
{
	for (size_t i = 0; i < p->nsymbols; i++)
		if (p->symbols[i].learned)
			return true;
	return false;
}

/*
 * The learner (learn.h) is forked first, before the companion (which then
 * resolves only once the learner listens on the queue: its answers pass
 * through it).
 *
 * podman 5 writes the container's resolv.conf and hosts after this hook
 * (late.h): the firewall goes in with the symbols' sets empty, and a
 * companion fills them once the files are written.  In the companion,
 * the rest of apply runs on those files and commits only the sets.
 */
static int confine_or_wait(struct apply *a, const struct policy *p)
{
	struct apply_result *res = a->res;
	int r;

	if (policy_learns(p)) {
		r = learn_fork(&a->learn, a->st.pid, &res->learner, a->err);
		if (r < 0 || res->learner)
			return r ? r : confine_learner_setup(a->err);
	}
	res->late = p->nsymbols && !a->o->files &&
		    late_files_expected(&a->c, &a->in);
	if (!res->late)
		return confine_stage1(a->err);
	for (size_t i = 0; i < p->nsymbols; i++)
		res->required |= p->symbols[i].required;
	r = late_start(&a->late, &a->c, a->st.pid, &res->companion, a->err);
	if (r < 0 || !res->companion)
		return r ? r : confine_stage1(a->err);
	learn_close(&a->learn); /* the hook's, which waits for the learner */
	r = confine_companion(a->err);
	if (r < 0)
		return r;
	free(a->resolv_conf);
	free(a->hosts);
	r = late_wait(&a->late, &a->in, &a->resolv_conf, &a->hosts, a->err);
	res->late = false; /* now the files are there: resolve */
	clock_gettime(CLOCK_MONOTONIC, &res->files_written);
	return r;
}

static int compile(struct apply *a, struct ruleset *rs)
{
	struct composed pol = { 0 };
	bool by_path = strchr(a->policy, '/') != NULL;
	int r;

	/* Only a policy lookup needs the directories and the owners. */
	r = find_policies(a);
	if (r < 0)
		return r;
	for (const char *p = a->policy, *next; *p; p = next) {
		size_t n;

		next = list_item(p, &n);
		if (!memchr(p, '/', n))
			continue;
		fw_error_set_file(a->err, a->policy);
		if (p[0] != '/')
			return fw_error_class(a->err, FW_CLASS_ANNOTATION,
					      fw_error_set(a->err, -EINVAL, "",
							   "a policy path in "
							   "fw.policy must be "
							   "absolute"));
		/* Said before any file is opened, so the line is the same
		 * whether the file exists, is valid or not. */
		if (!a->lookup.allow_path)
			return fw_error_class(a->err, FW_CLASS_ANNOTATION,
					      fw_error_set(a->err, -EPERM, "",
							   PATHS_OFF));
	}
	r = policy_compose(a->policy, &a->lookup, &pol, a->err);
	/* Rootless, the annotation's author is the user who owns the rights
	 * the hook runs with: nothing to withhold.  What the annotation says
	 * by itself (paths are off, a malformed name) is no file's secret. */
	if (r < 0 && by_path && !a->owners.rootless &&
	    (a->err->cls != FW_CLASS_ANNOTATION || r == -ENOENT))
		r = withhold_details(a);
	r = fw_error_class(a->err, FW_CLASS_POLICY, r);
	if (r == 0)
		r = read_container_files(a, &pol.policy);
	if (r == 0)
		r = fw_error_class(a->err, FW_CLASS_INTERNAL,
				   confine_or_wait(a, &pol.policy));
	if (r == 0) {
		const struct ruleset_meta m = {
			.name = pol.name, .sha256 = pol.sha256,
			.origin = pol.origin, .is_default = a->is_default,
			.log_id = a->st.id };

		r = fw_error_class(a->err, FW_CLASS_POLICY,
				   ruleset_compile(&pol.policy, &m, rs, a->err));
	}
	composed_free(&pol);
	return r;
}

static int apply_policy(struct apply *a)
{
	struct ruleset rs = { 0 };
	int r;

	fw_error_set_file(a->err, "");
	if (!a->c.own_netns)
		return fw_error_class(a->err, FW_CLASS_UNSAFE,
				      fw_error_set(a->err, -EPERM, "",
						   "the container shares the "
						   "host's network namespace "
						   "(--network host); refusing "
						   "to firewall the host"));
	r = check_risks(a, "with it the container could undo or bypass its "
			   "firewall");
	if (r == 0)
		r = open_netns(a);
	/* Neighbours that started first must not hold what the container may
	 * not: whichever starts first, the firewall is theirs to undo too. */
	if (r == 0)
		r = fw_error_class(a->err, FW_CLASS_UNSAFE,
				   neighbours_check(a->netns_fd, a->st.pid,
						    a->accepted, a->err));
	if (r == 0)
		r = compile(a, &rs);
	if (r == 0 && a->res->learner)
		return learn_run(&a->learn, &rs, a->netns_fd, a->o->rec,
				 a->st.id, a->err);
	if (r == 0 && a->res->companion)
		r = companion_fill(a, &rs);
	else if (r == 0)
		r = enter(a, &rs);
	if (r == 0 && !a->res->companion)
		r = commit(a, &rs);
	/* answers are dropped until the learner listens: before the
	 * container starts, and before the companion asks */
	if (r == 0 && a->learn.sock >= 0)
		r = fw_error_class(a->err, FW_CLASS_INTERNAL,
				   learn_ready(&a->learn, a->err));
	if (r == 0 && a->res->late)
		late_release(&a->late);
	if (r == 0) {
		a->res->applied = true;
		if (!a->res->kept)
			a->res->table = rs.table;
		for (int d = 0; d < DIR_COUNT; d++)
			a->res->nrules += rs.chains[d].n;
		a->res->nelems = rs.nelems;
	}
	ruleset_free(&rs);
	return r;
}

int apply_run(int state_fd, const struct apply_options *o,
	      struct apply_result *res, struct fw_error *err)
{
	struct apply a = { .o = o, .late = LATE_INIT, .learn = LEARN_INIT,
			   .netns_fd = -1,
			   .res = res, .err = err };
	int r;

	*res = (struct apply_result){ 0 };
	interval_list_init(&a.host_v4, 4);
	interval_list_init(&a.host_v6, 16);
	r = read_state(&a, state_fd);
	if (r == 0)
		snprintf(res->id, sizeof(res->id), "%s", a.st.id);
	if (r == 0)
		r = read_config(&a);
	if (r == 0)
		r = choose_policy(&a);
	if (r == 0 && a.is_default && !a.c.own_netns)
		r = host_network_default(&a);
	else if (r == 0)
		r = a.policy ? apply_policy(&a) : apply_unannotated(&a);
	/* A required name that a late companion cannot fill: where podman 4.3
	 * would have refused the container, podman 5 has started it. */
	if (r < 0 && r != -ECANCELED && res->companion && res->required)
		res->stopped = late_stop_container(&a.late) == 0;
	if (a.nl)
		mnl_socket_close(a.nl);
	closep(&a.netns_fd);
	late_close(&a.late);
	learn_close(&a.learn);
	free(a.resolv_conf);
	free(a.hosts);
	interval_list_free(&a.host_v4);
	interval_list_free(&a.host_v6);
	state_free(&a.st);
	container_free(&a.c);
	return r;
}
