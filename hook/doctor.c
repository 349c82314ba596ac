// SPDX-License-Identifier: GPL-2.0-or-later
/* doctor: the deployment as podman and CRI-O see it, and a firewall proved
 * with packets. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>

#include "batch.h"
#include "child.h"
#include "cleanup.h"
#include "compose.h"
#include "config.h"
#include "doctor.h"
#include "hooksd.h"
#include "netlink.h"
#include "probe.h"
#include "ruleset.h"

#define FIRST_SEQ 1
#define LOG_SYSCTL "/proc/sys/net/netfilter/nf_log_all_netns"
/* A datagram across the veth needs an ARP exchange first. */
#define CONTROL_MS 2000
#define REFUSED_MS 500

enum level { OK, WARN, FAIL };

struct loaded {
	char name[POLICY_NAME_MAX + 8]; /* as found: "/etc/.../web.json" is long */
	char file[PATH_MAX];
	struct ruleset rs;
};

struct doctor {
	const struct doctor_options *o;
	FILE *out;
	size_t nsaid, nfail;
	struct loaded *pol; /* every policy of the directories, compiled */
	size_t npol;
	struct loaded denyall;
	bool have_denyall;
};

static void say(struct doctor *d, enum level lv, const char *subject,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void say(struct doctor *d, enum level lv, const char *subject,
		const char *fmt, ...)
{
	static const char *const names[] = { "ok", "warn", "FAIL" };
	struct json_object *obj;
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	d->nfail += lv == FAIL;
	if (!d->o->json) {
		fprintf(d->out, "%-4s  %s: %s\n", names[lv], subject, what);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "level", json_object_new_string(names[lv]));
	json_object_object_add(obj, "subject", json_object_new_string(subject));
	json_object_object_add(obj, "what", json_object_new_string(what));
	fprintf(d->out, "%s  %s", d->nsaid ? ",\n" : "",
		json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
						   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	d->nsaid++;
}

/* "where: what" of an error, without its file: the line's subject. */
static const char *error_text(const struct fw_error *err, char *buf,
			      size_t len)
{
	snprintf(buf, len, "%s%s%s", err->where, err->where[0] ? ": " : "",
		 err->what);
	return buf;
}

/* A directory podman, CRI-O or the hook reads: absent is fine, anyone
 * but root able to write it is not.  Returns whether it is there. */
static bool check_dir(struct doctor *d, const char *dir, const char *risk)
{
	struct fw_error err = { 0 };
	struct stat st;
	char buf[640];

	if (stat(dir, &st) < 0 && errno == ENOENT) {
		say(d, OK, dir, "absent (skipped)");
		return false;
	}
	if (path_check_trusted(dir, &err) < 0)
		say(d, FAIL, dir, "%s: %s", error_text(&err, buf, sizeof(buf)),
		    risk);
	else if (!S_ISDIR(st.st_mode))
		say(d, FAIL, dir, "not a directory");
	else
		say(d, OK, dir, "root's, and no one else may write it");
	return true;
}

/* Runs PATH --version as runc would run the hook: proves it executes. */
static int run_version(const char *path, char *buf, size_t len)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execl(path, "oci-fw-hook", "--version", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = pid < 0 ? -1 : read(fds[0], buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
			       strncmp(buf, "oci-fw-hook ", 12) == 0
		       ? 0 : -ENOEXEC;
}

static void check_binary(struct doctor *d, const struct hooksd_entry *e)
{
	struct fw_error err = { 0 };
	char buf[640], version[128];
	struct stat st;

	if (path_check_trusted(e->path, &err) < 0) {
		say(d, FAIL, e->file, "hook.path %s: %s: whoever can change it "
		    "runs code as root for every container",
		    e->path, error_text(&err, buf, sizeof(buf)));
		return;
	}
	if (stat(e->path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    !(st.st_mode & 0111) || run_version(e->path, version,
						sizeof(version)) < 0) {
		say(d, FAIL, e->file, "hook.path %s does not run (%s --version "
		    "fails): the runtime cannot run it either, and no "
		    "container starts", e->path, e->path);
		return;
	}
	if (strcmp(version + 12, OCI_FW_VERSION) != 0)
		say(d, WARN, e->file, "hook.path %s is %s, this doctor %s: "
		    "the checks below are this version's", e->path, version,
		    OCI_FW_VERSION);
	say(d, OK, e->file, "hook.path %s runs (%s), root's, and no one "
	    "else may write it", e->path, version);
}

/* The file podman and CRI-O use: what it runs, when, for whom. */
static void check_effective(struct doctor *d, const struct hooksd_entry *e)
{
	check_binary(d, e);
	if (!e->create_runtime)
		say(d, FAIL, e->file, "\"stages\" lacks \"createRuntime\": the "
		    "hook does not run where it can load a firewall, and "
		    "containers with fw.policy run unfirewalled");
	if (!e->always)
		say(d, FAIL, e->file, "\"when\" is not {\"always\": true}: "
		    "containers it does not match run unfirewalled, and a "
		    "neighbour joining a firewalled namespace goes unchecked");
	if (!e->apply)
		say(d, FAIL, e->file, "args[1] is not \"apply\": the hook "
		    "loads no firewall");
	if (e->create_runtime && e->always && e->apply)
		say(d, OK, e->file, "runs `apply` at createRuntime for every "
		    "container");
}

static void check_entry(struct doctor *d, const struct hooksd *h,
			const struct hooksd_entry *e)
{
	const struct hooksd_entry *used = hooksd_effective(h, e->name);
	char buf[640];

	if (e->invalid)
		say(d, FAIL, e->file, "%s: podman refuses every container "
		    "while this file is there", error_text(&e->error, buf,
							  sizeof(buf)));
	else if (!e->ours)
		return;
	else if (e->missing)
		say(d, FAIL, e->file, "hook.path %s does not exist: podman and "
		    "CRI-O skip this file without a word, and containers with "
		    "fw.policy run unfirewalled%s%s%s", e->path,
		    used ? " (they read " : "", used ? used->file : "",
		    used ? " instead)" : "");
	else if (e->hidden_by >= 0 && h->e[e->hidden_by].ours)
		say(d, OK, e->file, "hidden by %s, which runs oci-fw-hook "
		    "too (a later directory's file of the same name wins)",
		    h->e[e->hidden_by].file);
	else if (e->hidden_by >= 0)
		say(d, FAIL, e->file, "hidden by %s, which does not run "
		    "oci-fw-hook: podman and CRI-O read that file instead, "
		    "and containers with fw.policy run unfirewalled",
		    h->e[e->hidden_by].file);
	else
		check_effective(d, e);
}

static void check_hooks(struct doctor *d)
{
	static const char *const podman_dirs[] = { HOOKSD_USR, HOOKSD_ETC };
	const char *const *dirs = d->o->nhooks_dirs ? d->o->hooks_dirs
						     : podman_dirs;
	size_t ndirs = d->o->nhooks_dirs ? d->o->nhooks_dirs : 2, used = 0;
	struct fw_error err = { 0 };
	struct hooksd h;
	char buf[640];

	for (size_t i = 0; i < ndirs; i++)
		check_dir(d, dirs[i], "whoever can write here runs code as "
			  "root for every container");
	if (hooksd_read(dirs, ndirs, &h, &err) < 0) {
		say(d, FAIL, "hooks.d", "%s", error_text(&err, buf, sizeof(buf)));
		return;
	}
	for (size_t i = 0; i < h.n; i++) {
		check_entry(d, &h, &h.e[i]);
		used += h.e[i].ours && !h.e[i].invalid && !h.e[i].missing &&
			h.e[i].hidden_by < 0;
	}
	if (used == 0)
		say(d, FAIL, "hooks.d", "no file podman and CRI-O read runs "
		    "oci-fw-hook: every container runs unfirewalled");
	else if (used > 1)
		say(d, WARN, "hooks.d", "%zu files run oci-fw-hook: it runs "
		    "%zu times for each container", used, used);
	hooksd_free(&h);
}

static int compile(const char *spec, const struct policy_lookup *l,
		   struct loaded *ret, struct fw_error *err)
{
	struct composed pol;
	int r;

	r = policy_compose(spec, l, &pol, err);
	if (r == 0)
		r = ruleset_compile(&pol.policy, &(const struct ruleset_meta){
					    .name = pol.name,
					    .sha256 = pol.sha256,
					    .origin = pol.origin },
				    &ret->rs, err);
	composed_free(&pol);
	snprintf(ret->file, sizeof(ret->file), "%s", spec);
	return r;
}

static int json_file(const struct dirent *e)
{
	size_t len = strlen(e->d_name);

	return len > 5 && strcmp(e->d_name + len - 5, ".json") == 0;
}

/* Every policy of `dir`, as `check` would see it; kept for the kernel. */
static void check_policies_in(struct doctor *d, const char *dir)
{
	struct fw_error err = { 0 };
	struct dirent **names;
	struct loaded *more;
	char file[PATH_MAX], buf[640];
	int n = scandir(dir, &names, json_file, alphasort);

	for (int i = 0; i < n; i++) {
		more = realloc(d->pol, (d->npol + 1) * sizeof(*d->pol));
		if (more) {
			struct loaded *p = &more[d->npol];

			d->pol = more;
			*p = (struct loaded){ 0 };
			snprintf(p->name, sizeof(p->name), "%.*s",
				 (int)strlen(names[i]->d_name) - 5,
				 names[i]->d_name);
			snprintf(file, sizeof(file), "%s/%s", dir,
				 names[i]->d_name);
			if (compile(file, d->o->lookup, p, &err) < 0)
				say(d, FAIL, file, "%s: apply refuses the "
				    "containers that name it", error_text(
					    &err, buf, sizeof(buf)));
			else
				d->npol++;
		}
		free(names[i]);
	}
	if (n > 0)
		free(names);
}

static void check_policies(struct doctor *d)
{
	const struct policy_lookup *l = d->o->lookup;
	struct fw_error err = { 0 };
	char buf[640];

	for (size_t i = 0; i < l->ndirs; i++)
		if (check_dir(d, l->dirs[i], "whoever can write here chooses "
			      "the firewall of containers (apply refuses "
			      "such files)"))
			check_policies_in(d, l->dirs[i]);
	if (d->npol)
		say(d, OK, "policy files", "%zu valid, owned by root and "
		    "writable by no one else", d->npol);
	d->have_denyall = compile("denyall", l, &d->denyall, &err) == 0;
	if (!d->have_denyall)
		say(d, FAIL, "denyall", "%s: the packet proof below needs it",
		    error_text(&err, buf, sizeof(buf)));
}

static bool logs_to_kernel(const struct ruleset *rs)
{
	for (size_t c = 0; c < DIR_COUNT; c++)
		for (size_t i = 0; i < rs->chains[c].n; i++)
			if (rs->chains[c].rules[i].verdict == IR_LOG &&
			    !rs->chains[c].rules[i].nflog)
				return true;
	return false;
}

static void check_log_sysctl(struct doctor *d)
{
	const char *logs = NULL;
	char value[8] = "";
	FILE *f = fopen(LOG_SYSCTL, "re");

	for (size_t i = 0; i < d->npol && !logs; i++)
		if (logs_to_kernel(&d->pol[i].rs))
			logs = d->pol[i].name;
	if (f && !fgets(value, sizeof(value), f))
		value[0] = '\0';
	if (f)
		fclose(f);
	if (!value[0])
		say(d, logs ? WARN : OK, "net.netfilter.nf_log_all_netns",
		    "absent: this kernel has no netfilter log core; \"log\": "
		    "true writes nothing (policy %s has it)", logs ? logs : "-");
	else if (value[0] == '0' && logs)
		say(d, WARN, "net.netfilter.nf_log_all_netns", "0: policy %s "
		    "logs with \"log\": true, whose lines the kernel writes "
		    "only when this is 1 (sysctl -w "
		    "net.netfilter.nf_log_all_netns=1; NFLOG groups need "
		    "nothing)", logs);
	else
		say(d, OK, "net.netfilter.nf_log_all_netns", "%c: %s", value[0],
		    value[0] == '0' ? "no policy here logs to the kernel log "
				      "(\"log\": true would need 1)"
				    : "log rules in containers write kernel "
				      "log lines");
}

/* Loads `p` into the scratch namespace; `replace` the table there. */
static int load(struct doctor *d, struct mnl_socket *nl,
		const struct loaded *p, bool replace)
{
	struct fw_error err = { 0 };
	struct batch b = { 0 };
	char buf[640];
	int r;

	r = batch_build(&p->rs, FIRST_SEQ, replace, &b, &err);
	if (r == 0)
		r = nl_commit(nl, &b, &err);
	batch_free(&b);
	if (r < 0)
		say(d, FAIL, p->file, "%s: the kernel refuses it, and apply "
		    "refuses the containers that name it",
		    error_text(&err, buf, sizeof(buf)));
	else
		say(d, OK, p->file, "loads into a scratch network namespace");
	return r;
}

static const char *fate(int r)
{
	return r == 0 ? "arrived" : r == -ETIMEDOUT ? "never arrived"
						    : strerror(-r);
}

/* After `denyall`: the datagrams that passed before must not. */
static void prove(struct doctor *d, const struct probe *p)
{
	int out = probe_egress(p, REFUSED_MS), in = probe_ingress(p, REFUSED_MS);

	if (out == 0)
		say(d, FAIL, "denyall", "a datagram from " PROBE_SELF_ADDR
		    " to " PROBE_PEER_ADDR " passed the loaded firewall: this "
		    "kernel does not enforce it");
	else
		say(d, OK, "denyall", "refuses a datagram out of the "
		    "firewalled namespace (sendto: %s)", fate(out));
	if (in == 0)
		say(d, FAIL, "denyall", "a datagram to " PROBE_SELF_ADDR
		    " passed the loaded firewall: this kernel does not "
		    "enforce it");
	else
		say(d, OK, "denyall", "drops a datagram into the firewalled "
		    "namespace (%s)", fate(in));
}

/* In the child: every policy loads, then denyall refuses packets that
 * passed before it. */
static void scratch(struct doctor *d)
{
	struct fw_error err = { 0 };
	struct mnl_socket *nl = NULL;
	struct probe p;
	bool loaded = false;
	int out, in;
	char buf[640];

	if (probe_setup(&p, &err) < 0 || nl_open(&nl, &err) < 0) {
		say(d, FAIL, "scratch namespace", "%s",
		    error_text(&err, buf, sizeof(buf)));
		goto close;
	}
	out = probe_egress(&p, CONTROL_MS);
	in = probe_ingress(&p, CONTROL_MS);
	if (out || in) {
		say(d, FAIL, "packets", "without a firewall, a datagram out %s "
		    "and one in %s: a refusal below would prove nothing",
		    fate(out), fate(in));
		goto close;
	}
	say(d, OK, "packets", "without a firewall, datagrams pass both ways "
	    "between two scratch namespaces (" PROBE_SELF_ADDR ", "
	    PROBE_PEER_ADDR ")");
	for (size_t i = 0; i < d->npol; i++)
		loaded |= load(d, nl, &d->pol[i], loaded) == 0;
	if (d->have_denyall && load(d, nl, &d->denyall, loaded) == 0)
		prove(d, &p);
close:
	if (nl)
		mnl_socket_close(nl);
	probe_close(&p);
}

/* The namespaces live in a child: this process stays where it was. */
static void check_kernel(struct doctor *d)
{
	int status;
	pid_t pid;

	if (geteuid() != 0) {
		say(d, FAIL, "kernel", "not checked: doctor needs root for "
		    "its scratch network namespaces");
		return;
	}
	fflush(d->out);
	pid = fork();
	if (pid == 0) {
		d->nfail = 0;
		scratch(d);
		fflush(d->out);
		child_exit(d->nfail > 100 ? 100 : (int)d->nfail);
	}
	/* JSON: what the child said counts for the separators too. */
	d->nsaid += pid > 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		say(d, FAIL, "kernel", "fork: %s", strerror(errno));
	else if (WIFEXITED(status))
		d->nfail += (size_t)WEXITSTATUS(status);
	else
		say(d, FAIL, "kernel", "the scratch namespace's process died "
		    "by signal %d", WTERMSIG(status));
}

int doctor_run(const struct doctor_options *o, FILE *out)
{
	struct doctor d = { .o = o, .out = out };

	if (o->json)
		fputs("[\n", out);
	check_hooks(&d);
	check_policies(&d);
	check_log_sysctl(&d);
	check_kernel(&d);
	if (o->json)
		fputs("\n]\n", out);
	for (size_t i = 0; i < d.npol; i++)
		ruleset_free(&d.pol[i].rs);
	free(d.pol);
	if (d.have_denyall)
		ruleset_free(&d.denyall.rs);
	return (int)d.nfail;
}
