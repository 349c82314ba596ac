// SPDX-License-Identifier: GPL-2.0-or-later
/* oci-fw-hook: verbs and options.  The only place that prints or exits. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "apply.h"
#include "cleanup.h"
#include "compose.h"
#include "list.h"
#include "pid.h"
#include "config.h"
#include "doctor.h"
#include "explain.h"
#include "podman.h"
#include "policy_file.h"
#include "record.h"
#include "ps.h"
#include "refresh.h"
#include "reload.h"
#include "resolve.h"
#include "ruleset.h"
#include "show.h"
#include "suggest.h"
#include "readall.h"
#include "watch.h"
#include "text.h"
#include "userns.h"

#define MAX_POLICY_DIRS 16
#define MAX_HOOKS_DIRS 16

static const char usage[] =
	"Usage: oci-fw-hook VERB [OPTION]... [POLICY]...\n"
	"A per-container firewall, loaded as an OCI createRuntime hook.\n"
	"\n"
	"Verbs (CONTAINER: a podman name or ID, or --pid PID):\n"
	"  apply          hook mode: OCI state on stdin; load the policy that\n"
	"                 fw.policy names, once the container cannot undo it\n"
	"  check POLICY...  validate policies; exit 0 if all are valid\n"
	"  print POLICY   the compiled ruleset as nft syntax\n"
	"  show [--json] CONTAINER  what its firewall did, rule by rule\n"
	"  refresh CONTAINER  resolve its firewall's hostnames again\n"
	"  reload CONTAINER|--all  load the policy's current files, checked\n"
	"                 as apply checks, one batch per network namespace\n"
	"  ps [--json]    every running container's firewall; flags fail-open\n"
	"  watch [--json] CONTAINER  what its firewall blocks, as it happens\n"
	"  explain POLICY|CONTAINER PROTO ADDR[:PORT]  which rule decides\n"
	"  suggest --from FILE [CONTAINER]  a draft policy from watch --json\n"
	"  doctor [--json]  check the install, proven with packets\n"
	"\n"
	"Options:\n"
	"  --policy-dir DIR  look policy names up in DIR (repeatable; replaces\n"
	"                    " ETC_POLICY_DIR ",\n"
	"                    " SHIPPED_POLICY_DIR ")\n"
	"  --allow-path      apply: accept an absolute path in fw.policy\n"
	"  --default-policy NAME      apply: the policy of containers without\n"
	"                             fw.policy\n"
	"  --allowed-policies A,B,... apply: the only names fw.policy may hold\n"
	"  --allow-unsafe    apply: honour fw.unsafe despite the two above\n"
	"  --refuse-host-network      apply: under --default-policy, refuse\n"
	"                    containers on the host's network too\n"
	"  --hooks-dir DIR   doctor: the hooks.d directory (repeatable)\n"
	"  --all             reload: every running container\n"
	"  --user USER       reload: USER's rootless podman\n"
	"  --runtime-root DIR  ps: where CRI-O's runtime keeps its state\n"
	"                    (repeatable; default /run/runc, /run/crun)\n"
	"  --bundle DIR      print: symbolic destinations as for the bundle\n"
	"  --in, --out       explain: a connection received, or made (default)\n"
	"  --from FILE       suggest: watch --json's records (- for stdin)\n"
	"  --pid PID         the container whose process is PID\n"
	"  --log-level error|warning|info  apply: what to say on stderr\n"
	"                    (default error: nothing on success)\n"
	"  --syslog-socket PATH|none  apply: where the record of each apply\n"
	"                    goes (default " RECORD_DEFAULT_SOCKET ")\n"
	"  -h, --help        this text\n"
	"  --version         the version\n"
	"\n"
	"POLICY is a name (NAME.json in the policy directories) or, with a '/',\n"
	"a path; \"a,b\" composes several, like fw.policy=a,b.\n";

struct options {
	const char *dirs[MAX_POLICY_DIRS];
	size_t ndirs;
	const char *hooks_dirs[MAX_HOOKS_DIRS]; /* doctor --hooks-dir */
	size_t nhooks_dirs;
	struct apply_options apply;
	struct policy_lookup lookup; /* check and print: paths allowed */
	char home[PATH_MAX], user_dir[PATH_MAX];
	const char *bundle; /* print --bundle */
	bool json;	    /* show, doctor --json */
	const char *pid;    /* show, refresh --pid */
	bool in;	    /* explain --in */
	const char *from;   /* suggest --from */
	int log_level;	    /* what apply prints on stderr: LOG_ERR, ... */
	const char *record_socket; /* where apply's record goes, or "none" */
	bool all;		   /* reload --all */
	const char *user;	   /* reload --user */
	const char *runtime_roots[PS_MAX_RUNTIME_ROOTS]; /* ps */
	size_t nruntime_roots;
};

static void report(const struct fw_error *err)
{
	char line[1024];

	fw_error_format(err, line, sizeof(line));
	fprintf(stderr, "oci-fw-hook: %s\n", line);
}

static void report_warning(const struct fw_warning *w)
{
	char line[1024];

	fw_warning_format(w, line, sizeof(line));
	fprintf(stderr, "oci-fw-hook: %s\n", line);
}

static int parse_log_level(const char *s, int *ret)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = { { "error", LOG_ERR },
		       { "warning", LOG_WARNING },
		       { "info", LOG_INFO } };

	for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
		if (strcmp(s, levels[i].name) == 0) {
			*ret = levels[i].level;
			return 0;
		}
	}
	fprintf(stderr, "oci-fw-hook: --log-level: \"%s\" is not error, "
			"warning or info\n", s);
	return -EINVAL;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "policy-dir", required_argument, NULL, 'd' },
		{ "allow-path", no_argument, NULL, 'p' },
		{ "default-policy", required_argument, NULL, 'D' },
		{ "allowed-policies", required_argument, NULL, 'A' },
		{ "allow-unsafe", no_argument, NULL, 'u' },
		{ "refuse-host-network", no_argument, NULL, 'H' },
		{ "bundle", required_argument, NULL, 'b' },
		{ "hooks-dir", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'P' },
		{ "in", no_argument, NULL, 'I' },
		{ "from", required_argument, NULL, 'F' },
		{ "out", no_argument, NULL, 'O' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "syslog-socket", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "user", required_argument, NULL, 'U' },
		{ "runtime-root", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	o->log_level = LOG_ERR;
	o->record_socket = RECORD_DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (o->ndirs == MAX_POLICY_DIRS) {
				fprintf(stderr, "oci-fw-hook: at most %d "
						"--policy-dir\n", MAX_POLICY_DIRS);
				return -EINVAL;
			}
			o->dirs[o->ndirs++] = optarg;
			break;
		case 'p':
			o->apply.allow_path = true;
			break;
		case 'D':
			o->apply.default_policy = optarg;
			break;
		case 'A':
			o->apply.allowed = optarg;
			break;
		case 'u':
			o->apply.allow_unsafe = true;
			break;
		case 'H':
			o->apply.refuse_host_network = true;
			break;
		case 'b':
			o->bundle = optarg;
			break;
		case 'k':
			if (o->nhooks_dirs == MAX_HOOKS_DIRS) {
				fprintf(stderr, "oci-fw-hook: at most %d "
						"--hooks-dir\n", MAX_HOOKS_DIRS);
				return -EINVAL;
			}
			o->hooks_dirs[o->nhooks_dirs++] = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'P':
			o->pid = optarg;
			break;
		case 'F':
			o->from = optarg;
			break;
		case 'I':
		case 'O':
			o->in = c == 'I';
			break;
		case 'l':
			if (parse_log_level(optarg, &o->log_level) < 0)
				return -EINVAL;
			break;
		case 's':
			o->record_socket = optarg;
			break;
		case 'a':
			o->all = true;
			break;
		case 'U':
			o->user = optarg;
			break;
		case 'R':
			if (o->nruntime_roots == PS_MAX_RUNTIME_ROOTS) {
				fprintf(stderr, "oci-fw-hook: at most %d "
						"--runtime-root\n",
					PS_MAX_RUNTIME_ROOTS);
				return -EINVAL;
			}
			o->runtime_roots[o->nruntime_roots++] = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(EXIT_SUCCESS);
		default:
			fputs("Try 'oci-fw-hook --help'.\n", stderr);
			return -EINVAL;
		}
	}
	/* check and print run with the caller's own rights: paths are fine,
	 * and a user's own policy directory comes first. */
	o->lookup.allow_path = true;
	o->lookup.dirs = o->dirs;
	o->lookup.ndirs = o->ndirs;
	if (o->ndirs == 0) {
		if (getuid() == 0 ||
		    user_policy_dir(getuid(), o->home, sizeof(o->home),
				    o->user_dir, sizeof(o->user_dir)) < 0)
			o->user_dir[0] = '\0';
		o->lookup.ndirs = policy_dirs_default(o->user_dir, o->dirs);
	}
	return 0;
}

/* Everything `check` verifies and `apply` relies on: the files, their
 * permissions, the language, the includes, and that it compiles.  The
 * caller frees `pol`, whatever the result. */
static int policy_compile_composed(const char *arg, const struct options *o,
				   struct ruleset *rs, struct composed *pol,
				   struct fw_error *err)
{
	int r;

	r = policy_compose(arg, &o->lookup, pol, err);
	if (r == 0)
		r = ruleset_compile(&pol->policy, &(const struct ruleset_meta){
					    .name = pol->name,
					    .sha256 = pol->sha256,
					    .origin = pol->origin },
				    rs, err);
	return r;
}

static int policy_compile(const char *arg, const struct options *o,
			  struct ruleset *rs, bool *ret_dns_blocked,
			  struct fw_error *err)
{
	struct composed pol;
	int r;

	r = policy_compile_composed(arg, o, rs, &pol, err);
	*ret_dns_blocked = !policy_allows_dns(&pol.policy);
	composed_free(&pol);
	return r;
}

/* Where a composition decides a rule's mode (includes, their entries, a
 * file's own mode), what each deny rule and default ends up in. */
static void print_modes(const char *arg, const struct composed *pol)
{
	static const char *const verdicts[] = { "accept", "drop", "reject" };

	if (pol->nfiles < 2 ||
	    policy_mode_summary(&pol->policy) == MODE_ENFORCE)
		return;
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct policy_direction *pd = &pol->policy.dir[d];

		if (!pd->present)
			continue;
		for (size_t i = 0; i < pd->ndeny; i++)
			printf("%s: %s: %s\n", arg, pd->deny[i].path,
			       pd->deny[i].audit ? "audit" : "enforce");
		printf("%s: %s.default: %s (%s)\n", arg, direction_names[d],
		       pd->def_audit ? "audit" : "enforce", verdicts[pd->def]);
	}
}

static bool has_names(const struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nsymbols; i++)
		if (symbol_is_name(rs->symbols[i].sym.kind))
			return true;
	return false;
}

/* Mistakes in the hooks.d args would otherwise show up only as refused
 * containers: name them. */
static int admin_controls_check(const struct apply_options *ao,
				struct fw_error *err)
{
	char name[POLICY_NAME_MAX + 2];
	size_t n;

	if (ao->default_policy && !policy_name_valid(ao->default_policy))
		return fw_error_set(err, -EINVAL, "--default-policy",
				    "\"%s\" is not a policy name",
				    ao->default_policy);
	for (const char *p = ao->allowed ? ao->allowed : "", *next; *p;
	     p = next) {
		next = list_item(p, &n);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (!policy_name_valid(name))
			return fw_error_set(err, -EINVAL, "--allowed-policies",
					    "\"%s\" is not a policy name",
					    name);
	}
	return 0;
}

/*
 * apply's exit status says which kind of refusal it was: crun shows a
 * hook's exit status but not its stderr.  Stable: the README and the man
 * page list them, and scripts may test them.  Clear of 2 (shells' misuse),
 * 126-127 (cannot execute, not found) and 128+N (killed by signal N).
 */
static const struct {
	enum fw_class cls;
	int status;
} exit_statuses[] = {
    {FW_CLASS_STATE, 10},  {FW_CLASS_ANNOTATION, 11}, {FW_CLASS_POLICY, 12},
    {FW_CLASS_UNSAFE, 13}, {FW_CLASS_KERNEL, 14},     {FW_CLASS_RESOLVE, 15},
};

static int exit_status(const struct fw_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(exit_statuses); i++)
		if (exit_statuses[i].cls == err->cls)
			return exit_statuses[i].status;
	return EXIT_FAILURE; /* usage, internal */
}

/* The error line on stderr and, with the container and the exit status,
 * in the record: under crun the record is where the reason shows. */
static int refuse(const struct record *rec, const struct fw_error *err,
		  const char *id)
{
	int status = exit_status(err);
	char line[1024], msg[1100];

	report(err);
	fw_error_format(err, line, sizeof(line));
	snprintf(msg, sizeof(msg), "refused container=%.64s exit=%d: %s",
		 id[0] ? id : "?", status, line);
	record_send(rec, LOG_ERR, msg);
	return status;
}

/* One line to syslog, and to stderr when --log-level asks for `level`. */
static void say(const struct options *o, const struct record *rec, int level,
		const char *line)
{
	record_send(rec, level, line);
	if (level <= o->log_level)
		fprintf(stderr, "oci-fw-hook: %s\n", line);
}

/* "applied container=ID policy=web sha256=0123... mode=enforce rules=23
 * elements=7 elapsed_us=8412": key=value, for people and for grep. */
/* apply's warnings (symbols that stayed empty), the hook's and the
 * companion's alike. */
static void say_warnings(const struct options *o, const struct record *rec,
			 const struct apply_result *res)
{
	char line[1024];

	for (size_t i = 0; i < res->nwarnings; i++) {
		fw_warning_format(&res->warnings[i], line, sizeof(line));
		say(o, rec, LOG_WARNING, line);
	}
}

static void say_applied(const struct options *o, const struct record *rec,
			const struct apply_result *res, long elapsed_us)
{
	const struct table_comment *t = &res->table;
	char line[512];

	snprintf(line, sizeof(line), "%s container=%.64s policy=%s "
		 "sha256=%s mode=%s%s%s rules=%zu elements=%zu elapsed_us=%ld",
		 res->kept ? "kept" : "applied", res->id, t->name, t->sha256,
		 table_mode_name(t),
		 t->is_default ? " default=yes" : "",
		 res->late ? " symbols=late" : "",
		 res->kept ? (size_t)0 : res->nrules,
		 res->kept ? (size_t)0 : res->nelems, elapsed_us);
	say(o, rec, LOG_INFO, line);
}

static long elapsed_us(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000L +
	       (t1.tv_nsec - t0->tv_nsec) / 1000;
}

/* The companion of podman 5's late files (late.h) has no stderr: the
 * record is all it says.  "filled container=ID policy=web sha256=0123...
 * late_us=812": late_us from the runtime's write of resolv.conf to the
 * filled sets, the longest the container can have run without them. */
static int companion_report(const struct options *o, const struct record *rec,
			    const struct apply_result *res, int r,
			    const struct fw_error *err)
{
	char line[1024];
	size_t len;

	if (r == -ECANCELED) /* the hook failed: there is nothing to fill */
		return EXIT_FAILURE;
	if (r < 0) {
		len = (size_t)snprintf(line, sizeof(line), "container=%.64s: "
				       "%s: ", res->id, res->stopped
				       ? "stopped the container (a required "
					 "name stays empty)"
				       : "symbolic destinations stay empty");
		fw_error_format(err, line + len, sizeof(line) - len);
		record_send(rec, LOG_ERR, line);
		return EXIT_FAILURE;
	}
	say_warnings(o, rec, res);
	snprintf(line, sizeof(line), "filled container=%.64s policy=%s "
		 "sha256=%s late_us=%ld", res->id, res->table.name,
		 res->table.sha256, elapsed_us(&res->files_written));
	say(o, rec, LOG_INFO, line);
	return EXIT_SUCCESS;
}

static int cmd_apply(int argc, char **argv, const struct options *o)
{
	struct apply_options ao = o->apply;
	struct fw_error err = { 0 };
	struct apply_result res = { 0 };
	struct record rec;
	struct timespec t0;
	char line[1024];
	int r;

	(void)argv;
	/* The system call, not the vDSO, whose first use faults its pages in:
	 * every container without a policy would pay that for a time that
	 * only a firewall's log line says. */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t0);
	record_open(&rec, o->record_socket);
	if (argc > 0)
		r = fw_error_set(&err, -EINVAL, "",
				 "apply takes no arguments "
				 "(the state comes on stdin)");
	else
		r = admin_controls_check(&ao, &err);
	ao.dirs = o->dirs;
	ao.ndirs = o->ndirs;
	ao.rec = &rec;
	if (r == 0)
		r = apply_run(STDIN_FILENO, &ao, &res, &err);
	if (res.learner) { /* it told the hook, and records itself */
		record_close(&rec);
		return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (res.companion) {
		r = companion_report(o, &rec, &res, r, &err);
		record_close(&rec);
		return r;
	}
	if (r < 0) {
		r = refuse(&rec, &err, res.id);
		record_close(&rec);
		return r;
	}
	say_warnings(o, &rec, &res);
	if (res.replaced) {
		snprintf(line, sizeof(line), "replaced the shared network "
			 "namespace's firewall (%s)", res.old);
		say(o, &rec, LOG_WARNING, line);
	}
	if (res.unfirewalled) {
		snprintf(line, sizeof(line), "container=%.64s shares the host's "
			 "network namespace: not firewalled, default policy %s "
			 "not applied", res.id, ao.default_policy);
		say(o, &rec, LOG_WARNING, line);
	}
	if (res.applied)
		say_applied(o, &rec, &res, elapsed_us(&t0));
	record_close(&rec);
	return EXIT_SUCCESS;
}

static int cmd_check(int argc, char **argv, const struct options *o)
{
	int status = EXIT_SUCCESS;

	if (argc == 0) {
		fputs("oci-fw-hook: check needs at least one POLICY\n", stderr);
		return EXIT_FAILURE;
	}
	for (int i = 0; i < argc; i++) {
		struct fw_error err = { 0 };
		struct ruleset rs = { 0 };
		struct composed pol;
		bool dns_blocked;

		if (policy_compile_composed(argv[i], o, &rs, &pol, &err) < 0) {
			report(&err);
			composed_free(&pol);
			status = EXIT_FAILURE;
			continue;
		}
		dns_blocked = !policy_allows_dns(&pol.policy);
		if (has_names(&rs) && dns_blocked)
			fprintf(stderr, "oci-fw-hook: %s: warning: hostnames "
					"resolve at start, but egress lets no "
					"DNS out, so `refresh` (which asks from "
					"inside the container) cannot renew "
					"them; allow \"dns\"\n", argv[i]);
		printf("%s: ok\n", argv[i]);
		print_modes(argv[i], &pol);
		composed_free(&pol);
		ruleset_free(&rs);
	}
	return status;
}

static int cmd_print(int argc, char **argv, const struct options *o)
{
	struct fw_error err = { 0 };
	struct ruleset rs = { 0 };
	bool dns_blocked;
	int r;

	if (argc != 1) {
		fputs("oci-fw-hook: print takes exactly one POLICY\n", stderr);
		return EXIT_FAILURE;
	}
	r = policy_compile(argv[0], o, &rs, &dns_blocked, &err);
	if (r == 0 && o->bundle)
		r = ruleset_resolve_bundle(&rs, o->bundle, &err);
	for (size_t i = 0; r == 0 && o->bundle && i < rs.nsymbols; i++) {
		struct fw_warning warning = { 0 };

		if (rs.symbols[i].resolved)
			continue;
		symbol_warning(&rs.symbols[i], "its sets stay empty", &warning);
		fw_warning_set_file(&warning, argv[0]);
		report_warning(&warning);
	}
	if (r == 0 && ruleset_print(&rs, stdout) < 0)
		r = fw_error_set(&err, -EIO, "", "writing to stdout failed");
	ruleset_free(&rs);
	if (r < 0)
		report(&err);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* A podman name or ID: its process. */
static int container_pid(const char *name, pid_t *ret, struct fw_error *err)
{
	struct podman_container c;
	int r;

	fw_error_set_file(err, name);
	r = podman_inspect(NULL, name, &c, err);
	if (r < 0)
		return r;
	*ret = c.pid;
	podman_container_free(&c);
	return 0;
}

/* --user NAME|UID, or under sudo SUDO_UID: whose rootless podman. */
static int user_of(const char *s, struct podman_as *ret, struct fw_error *err)
{
	struct passwd pw, *found = NULL;
	char buf[4096], *end;
	unsigned long uid;

	errno = 0;
	uid = strtoul(s, &end, 10);
	if (errno || *end || end == s) {
		getpwnam_r(s, &pw, buf, sizeof(buf), &found);
		if (!found)
			return fw_error_set(err, -ESRCH, "", "--user: no user "
					    "\"%s\"", s);
		uid = found->pw_uid;
	}
	return podman_as_user((uid_t)uid, ret, err);
}

/*
 * A rootless container's namespace belongs to podman's user namespace:
 * the verb runs again under `podman unshare`, as the user (root asking
 * for one drops to the user first), with the options it was given.
 */
static int rerun_rootless(const char *verb, const struct podman_as *as,
			  int argc, char **argv, const struct options *o)
{
	char self[PATH_MAX], *args[2 * MAX_POLICY_DIRS + 24];
	struct fw_error err = { 0 };
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t n = 0;

	if (len < 0)
		return fw_error_set(&err, -errno, "", "/proc/self/exe: %s",
				    strerror(errno)), report(&err), EXIT_FAILURE;
	self[len] = '\0';
	args[n++] = "podman";
	args[n++] = "unshare";
	args[n++] = self;
	args[n++] = (char *)verb;
	for (size_t i = 0; i < o->ndirs; i++) {
		args[n++] = "--policy-dir";
		args[n++] = (char *)o->dirs[i];
	}
	if (o->apply.default_policy) {
		args[n++] = "--default-policy";
		args[n++] = (char *)o->apply.default_policy;
	}
	if (o->apply.allowed) {
		args[n++] = "--allowed-policies";
		args[n++] = (char *)o->apply.allowed;
	}
	if (o->apply.allow_unsafe)
		args[n++] = "--allow-unsafe";
	if (o->apply.allow_path)
		args[n++] = "--allow-path";
	if (o->all)
		args[n++] = "--all";
	if (o->json)
		args[n++] = "--json";
	args[n++] = "--syslog-socket";
	args[n++] = (char *)o->record_socket;
	for (int i = 0; i < argc && i < 1; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fflush(stdout);
	podman_exec_unshare(as, args, &err);
	report(&err);
	return EXIT_FAILURE;
}

/*
 * show and refresh act on one container: `--pid PID`, or CONTAINER, a
 * podman name or ID.  Podman allows names of digits only, so a bare
 * number is never taken for a PID: answering for the wrong container is
 * worse than not answering.
 */
static int target_pid(const char *verb, int argc, char **argv,
		      const struct options *o, pid_t *ret,
		      struct fw_error *err)
{
	if (o->pid ? argc != 0 : argc != 1)
		return fw_error_set(err, -EINVAL, "", "%s takes exactly one "
				    "CONTAINER (a podman name or ID) or --pid "
				    "PID", verb);
	if (!o->pid)
		return container_pid(argv[0], ret, err);
	fw_error_set_file(err, o->pid);
	if (pid_parse(o->pid, ret) < 0)
		return fw_error_set(err, -EINVAL, "", "not a PID (--pid takes the "
				    "container's, from podman inspect --format "
				    "'{{.State.Pid}}')");
	return 0;
}

static int cmd_refresh(int argc, char **argv, const struct options *o)
{
	struct fw_error err = { 0 };
	struct refresh_result res;
	pid_t pid;
	int r;

	r = target_pid("refresh", argc, argv, o, &pid, &err);
	if (r == 0)
		r = refresh_run(pid, &res, &err);
	if (r < 0) {
		report(&err);
		return EXIT_FAILURE;
	}
	for (size_t i = 0; i < res.nwarnings; i++) {
		fw_warning_set_file(&res.warnings[i], err.file);
		report_warning(&res.warnings[i]);
	}
	printf("%s: %zu of %zu hostnames refreshed\n", err.file, res.nrefreshed,
	       res.nnames);
	return EXIT_SUCCESS;
}

/* Rootless, the firewall lives in a netns of podman's user namespace:
 * run again inside it, as root there, with the PID found out here. */
static int show_rootless(const char *verb, pid_t pid, const struct options *o)
{
	char self[PATH_MAX], pidstr[16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0) {
		fprintf(stderr, "oci-fw-hook: /proc/self/exe: %s\n",
			strerror(errno));
		return EXIT_FAILURE;
	}
	self[n] = '\0';
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
	execlp("podman", "podman", "unshare", self, verb, "--pid", pidstr,
	       o->json ? "--json" : (char *)NULL, (char *)NULL);
	fprintf(stderr, "oci-fw-hook: %s: running podman unshare: %s\n", verb,
		strerror(errno));
	return EXIT_FAILURE;
}

static int cmd_show(int argc, char **argv, const struct options *o)
{
	struct fw_error err = { 0 };
	struct show s;
	pid_t pid;
	int r;

	r = target_pid("show", argc, argv, o, &pid, &err);
	if (r == 0 && geteuid() != 0)
		return show_rootless("show", pid, o);
	if (r == 0)
		r = show_read(pid, &s, &err);
	if (r < 0) {
		report(&err);
		return EXIT_FAILURE;
	}
	if (o->json)
		r = show_print_json(&s, stdout, &err);
	else
		show_print_text(&s, stdout);
	show_free(&s);
	if (r < 0)
		report(&err);
	return r < 0 || fflush(stdout) != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* "reloaded container=ID policy=web sha256=NEW was=OLD mode=enforce
 * rules=23 elements=7 elapsed_us=8412"; "unchanged ..." when the files
 * had not changed.  `shared`: the other containers of its namespace. */
static void say_reloaded(const struct options *o, const struct record *rec,
			 const struct podman_container *c,
			 const struct reload_result *res, const char *shared,
			 long us)
{
	const struct table_comment *t = &res->apply.table;
	char line[1024];

	snprintf(line, sizeof(line), "%s container=%.64s name=%.64s policy=%s "
		 "sha256=%s was=%s mode=%s%s rules=%zu elements=%zu "
		 "elapsed_us=%ld%s%s", res->apply.kept ? "unchanged" : "reloaded",
		 c->id, c->name, t->name, t->sha256,
		 res->had_table ? res->before.sha256 : "none",
		 t->audit ? "audit" : "enforce",
		 t->is_default ? " default=yes" : "",
		 res->apply.kept ? (size_t)0 : res->apply.nrules,
		 res->apply.kept ? (size_t)0 : res->apply.nelems, us,
		 shared[0] ? " netns_shared_with=" : "", shared);
	record_send(rec, LOG_INFO, line);
	printf("%s\n", line);
	say_warnings(o, rec, &res->apply);
}

/* The names of the others reloaded with c[pick]: one load per netns. */
static void shared_names(const struct podman_container *c, size_t n,
			 const size_t *same, size_t pick, char *buf,
			 size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		if (same[i] == pick && i != pick)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "," : "", c[i].name);
}

static int reload_one(const struct options *o, const struct record *rec,
		      const struct podman_container *c, const char *shared,
		      bool all)
{
	struct apply_options ao = o->apply;
	struct fw_error err = { 0 };
	struct reload_result res;
	struct timespec t0;
	char line[1024], msg[1200];
	int r;

	ao.dirs = o->dirs;
	ao.ndirs = o->ndirs;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = reload_run(&ao, c, &res, &err);
	if (r == 0) {
		say_reloaded(o, rec, c, &res, shared, elapsed_us(&t0));
		return 0;
	}
	if (r == -ENODATA && all) /* --all: containers without a firewall */
		return 0;
	fw_error_format(&err, line, sizeof(line));
	snprintf(msg, sizeof(msg), "reload-refused container=%.64s name=%.64s "
		 "exit=%d: %s (the old rules stay)", c->id, c->name,
		 exit_status(&err), line);
	record_send(rec, LOG_ERR, msg);
	fprintf(stderr, "oci-fw-hook: %s\n", msg);
	return r;
}

/* Every running container of the podman asked (the caller's), one
 * reload per network namespace: all of them, or the named one's. */
static int reload_podman(const struct options *o, const char *name,
			 struct fw_error *err)
{
	struct podman_container *c = NULL, one = { 0 };
	size_t n = 0, npick, *pick, *same;
	char shared[512];
	struct record rec;
	int status = EXIT_SUCCESS, r;

	r = name ? podman_inspect(NULL, name, &one, err) : 0;
	if (r == 0)
		r = podman_running(NULL, &c, &n, err);
	if (r < 0) {
		podman_container_free(&one);
		return r;
	}
	pick = calloc(2 * n + 1, sizeof(*pick));
	same = pick + n;
	record_open(&rec, o->record_socket);
	npick = pick ? reload_plan(c, n, pick, same) : 0;
	for (size_t k = 0; k < npick; k++) {
		size_t p = pick[k];
		bool wanted = !name;

		for (size_t i = 0; name && i < n; i++)
			wanted |= same[i] == p && strcmp(c[i].id, one.id) == 0;
		if (!wanted)
			continue;
		shared_names(c, n, same, p, shared, sizeof(shared));
		r = reload_one(o, &rec, &c[p], shared, !name);
		if (r < 0)
			status = EXIT_FAILURE;
	}
	record_close(&rec);
	free(pick);
	podman_containers_free(c, n);
	podman_container_free(&one);
	return status;
}

static int cmd_reload(int argc, char **argv, const struct options *o)
{
	struct fw_error err = { 0 };
	struct podman_as as;
	int r;

	if (o->all ? argc != 0 : argc != 1) {
		fputs("oci-fw-hook: reload takes one CONTAINER (a podman name "
		      "or ID) or --all\n", stderr);
		return EXIT_FAILURE;
	}
	r = admin_controls_check(&o->apply, &err);
	if (r == 0 && o->user)
		r = user_of(o->user, &as, &err);
	if (r == 0 && (o->user || geteuid() != 0))
		return rerun_rootless("reload", o->user ? &as : NULL, argc,
				      argv, o);
	if (r == 0)
		r = reload_podman(o, o->all ? NULL : argv[0], &err);
	if (r < 0) {
		report(&err);
		return EXIT_FAILURE;
	}
	return r;
}

static int cmd_ps(int argc, char **argv, const struct options *o)
{
	static const char *const roots[] = { "/run/runc", "/run/crun" };
	struct fw_warning warn[16];
	struct fw_error err = { 0 };
	struct owners own = { 0 };
	struct policy_lookup lookup = o->lookup;
	const char *dirs[POLICY_DIRS_DEFAULT_MAX];
	struct ps_options po = {
		.lookup = &o->lookup,
		.default_dirs = o->ndirs == 0,
		.runtime_roots = o->nruntime_roots ? o->runtime_roots : roots,
		.nruntime_roots = o->nruntime_roots ? o->nruntime_roots
						    : ARRAY_SIZE(roots),
	};
	struct ps_row *rows = NULL;
	size_t n = 0, nwarn = 0, open = 0;
	int r;

	(void)argv;
	if (argc > 0) {
		fputs("oci-fw-hook: ps takes no arguments\n", stderr);
		return EXIT_FAILURE;
	}
	if (geteuid() != 0)
		return rerun_rootless("ps", NULL, 0, NULL, o);
	r = userns_detect(&own, &err);
	po.own_only = own.rootless;
	/* under podman unshare: the user's own directory first, and the
	 * hook's rootless rules for whose files count */
	if (r == 0 && own.rootless && o->ndirs == 0) {
		lookup.dirs = dirs;
		lookup.ndirs = policy_dirs_default(own.user_dir, dirs);
		lookup.owners = &own;
		po.lookup = &lookup;
		po.default_dirs = false;
	}
	if (r == 0)
		r = ps_collect(&po, &rows, &n, warn, &nwarn, ARRAY_SIZE(warn), &err);
	for (size_t i = 0; i < nwarn; i++)
		report_warning(&warn[i]);
	if (r == 0 && o->json)
		r = ps_print_json(rows, n, stdout, &err);
	else if (r == 0)
		ps_print_text(rows, n, stdout);
	for (size_t i = 0; i < n; i++)
		open += rows[i].fail_open;
	free(rows);
	if (r < 0) {
		report(&err);
		return EXIT_FAILURE;
	}
	if (fflush(stdout) != 0)
		return EXIT_FAILURE;
	if (open)
		fprintf(stderr, "oci-fw-hook: %zu container(s) named a policy "
			"and run WITHOUT a firewall (fail-open)\n", open);
	return open ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Tests and scripts wait for this line before sending. */
static void watch_ready(void)
{
	fputs("oci-fw-hook: watching (Ctrl-C to stop)\n", stderr);
}

static int cmd_watch(int argc, char **argv, const struct options *o)
{
	struct fw_error err = { 0 };
	pid_t pid;
	int r;

	r = target_pid("watch", argc, argv, o, &pid, &err);
	if (r == 0 && geteuid() != 0)
		return show_rootless("watch", pid, o);
	if (r == 0)
		r = watch_run(pid, o->json, stdout, watch_ready, &err);
	if (r < 0) {
		report(&err);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/* A container: its policy compiled from the files, its symbols' sets as
 * loaded.  The files may have changed since: say so. */
static int explain_container(pid_t pid, const struct options *o,
			     struct ruleset *rs, struct fw_error *err)
{
	struct loaded l;
	bool dns_blocked;
	int r;

	r = explain_read_loaded(pid, &l, err);
	if (r == 0)
		r = policy_compile(l.table.name, o, rs, &dns_blocked, err);
	if (r == 0 && strcmp(rs->table.sha256, l.table.sha256) != 0)
		fprintf(stderr, "oci-fw-hook: warning: policy %s changed since "
				"the container loaded it (sha256:%s, now "
				"sha256:%s): explaining the files as they are "
				"now\n", l.table.name, l.table.sha256,
			rs->table.sha256);
	if (r == 0) {
		explain_use_loaded(rs, &l);
		printf("policy %s of the container (sha256:%s%s)\n",
		       l.table.name, l.table.sha256,
		       l.table.audit ? ", audit mode" : "");
	}
	if (l.sets || r == 0)
		loaded_free(&l);
	return r;
}

/* POLICY is tried first; a name that is no policy is a container. */
static int cmd_explain(int argc, char **argv, const struct options *o)
{
	struct fw_error err = { 0 };
	struct explain_query q;
	struct explanation e;
	struct ruleset rs = { 0 };
	bool dns_blocked;
	pid_t pid;
	int r, first = o->pid ? 0 : 1;

	if (argc != first + 2) {
		fputs("oci-fw-hook: explain takes POLICY, CONTAINER or --pid "
		      "PID, then PROTO ADDR[:PORT]\n", stderr);
		return EXIT_FAILURE;
	}
	r = explain_query_parse(argv[first], argv[first + 1], o->in, &q, &err);
	if (r == 0 && !o->pid) {
		r = policy_compile(argv[0], o, &rs, &dns_blocked, &err);
		if (r == 0)
			printf("policy %s\n", argv[0]);
	}
	if (o->pid || (r == -ENOENT && !strchr(argv[0], '/'))) {
		err = (struct fw_error){ 0 };
		r = target_pid("explain", first, argv, o, &pid, &err);
		if (r == 0)
			r = explain_container(pid, o, &rs, &err);
	}
	if (r < 0) {
		report(&err);
		return EXIT_FAILURE;
	}
	explain_eval(&rs, &q, &e);
	explain_print(&rs, &q, &e, stdout);
	ruleset_free(&rs);
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int read_records(const char *from, char **ret, struct fw_error *err)
{
	_cleanup_close_ int fd = -1;
	size_t len;
	int r;

	fw_error_set_file(err, from);
	fd = strcmp(from, "-") ? open(from, O_RDONLY | O_CLOEXEC) : dup(0);
	if (fd < 0)
		return fw_error_set(err, -errno, "", "%s", strerror(errno));
	r = read_all(fd, SUGGEST_MAX_INPUT, ret, &len);
	if (r < 0)
		return fw_error_set(err, r, "", "%s", r == -EFBIG ?
				    "larger than 64 MiB" : strerror(-r));
	return 0;
}

static int cmd_suggest(int argc, char **argv, const struct options *o)
{
	struct fw_error err = { 0 };
	struct suggest *s = NULL;
	char *records = NULL;
	pid_t pid;
	int r;

	if (!o->from || argc > (o->pid ? 0 : 1)) {
		fputs("oci-fw-hook: suggest takes --from FILE, then CONTAINER, "
		      "--pid PID or nothing\n", stderr);
		return EXIT_FAILURE;
	}
	r = read_records(o->from, &records, &err);
	if (r == 0)
		r = suggest_read(records, &s, &err);
	free(records);
	if (r == 0 && (o->pid || argc == 1)) {
		err = (struct fw_error){ 0 };
		r = target_pid("suggest", argc, argv, o, &pid, &err);
		if (r == 0)
			r = suggest_names(s, pid, &err);
	}
	if (r == 0)
		r = suggest_print(s, stdout, &err);
	suggest_free(s);
	if (r < 0) {
		report(&err);
		return EXIT_FAILURE;
	}
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int cmd_doctor(int argc, char **argv, const struct options *o)
{
	const struct doctor_options d = {
		.hooks_dirs = o->hooks_dirs,
		.nhooks_dirs = o->nhooks_dirs,
		.lookup = &o->lookup,
		.json = o->json,
	};
	int fails;

	(void)argv;
	if (argc > 0) {
		fputs("oci-fw-hook: doctor takes no arguments\n", stderr);
		return EXIT_FAILURE;
	}
	fails = doctor_run(&d, stdout);
	return fails == 0 && fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv, const struct options *o);
} verbs[] = {
	{ "apply", cmd_apply },
	{ "check", cmd_check },
	{ "doctor", cmd_doctor },
	{ "explain", cmd_explain },
	{ "print", cmd_print },
	{ "ps", cmd_ps },
	{ "refresh", cmd_refresh },
	{ "reload", cmd_reload },
	{ "show", cmd_show },
	{ "suggest", cmd_suggest },
	{ "watch", cmd_watch },
};

int main(int argc, char **argv)
{
	static char stdout_buf[BUFSIZ];
	struct options o = { 0 };

	/* Verbs print after their seccomp filter, which forbids the fstat()
	 * glibc makes when stdout first allocates its buffer. */
	setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));

	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_FAILURE;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("oci-fw-hook %s\n", OCI_FW_VERSION);
		return EXIT_SUCCESS;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return EXIT_SUCCESS;
	}
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++) {
		if (strcmp(argv[1], verbs[i].name) != 0)
			continue;
		if (parse_options(argc - 1, argv + 1, &o) < 0)
			return EXIT_FAILURE;
		return verbs[i].run(argc - 1 - optind, argv + 1 + optind, &o);
	}
	fprintf(stderr, "oci-fw-hook: unknown verb \"%s\"; try --help\n",
		argv[1]);
	return EXIT_FAILURE;
}
