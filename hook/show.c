// SPDX-License-Identifier: GPL-2.0-or-later
/* show: what the firewall of a running container did, rule by rule. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "netlink.h"
#include "netns.h"
#include "ruleset.h"
#include "show.h"

/* Every set a policy can make: 256 sets and 2 x 4,096 rules per direction,
 * per family, and their port sets. */
#define SHOW_MAX_SETS 65536
#define SHOW_MAX_TARGETS 8
#define SHOW_LIST_ADDRS 4 /* a rule's own addresses shown, then "+N" */

/* What one nft rule matches and does, from its expressions. */
struct nft_rule_info {
	enum direction dir;
	char key[COMMENT_MAX + 1]; /* the policy path, or the built-in's name */
	bool audit;
	const char *verdict;   /* NULL: a log rule (no counter, no verdict) */
	uint64_t packets, bytes;
	char addr_set[64];     /* looked-up address set, or "" */
	char port_set[64];     /* anonymous port set, or "" */
	int proto; /* what `meta l4proto` equals, or PROTO_ANY */
	uint16_t port_lo, port_hi;
	/* the expression before: what a cmp or lookup compares */
	uint32_t meta_key;
	uint32_t payload_base, payload_off;
	bool after_meta, after_payload;
};

struct set_entry {
	char name[64];
	char comment[COMMENT_MAX + 1];
	uint32_t flags, keylen;
};

/* A show_rule being built: the nft rules of one policy line. */
struct group {
	char key[COMMENT_MAX + 1];
	char targets[SHOW_MAX_TARGETS][96];
	size_t ntargets;
	char protos[32];
	bool any_proto; /* one of its nft rules matches every protocol */
	char ports[96];
};

struct reader {
	struct mnl_socket *nl;
	struct show *show;
	struct set_entry *sets;
	size_t nsets;
	struct nft_rule_info *rules;
	size_t nrules;
	struct fw_error *err;
};

static int found_set(const struct nl_set_info *set, void *data)
{
	struct reader *rd = data;
	struct set_entry *e;

	if (rd->nsets == SHOW_MAX_SETS)
		return -E2BIG;
	e = reallocarray(rd->sets, rd->nsets + 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	rd->sets = e;
	e = &rd->sets[rd->nsets++];
	snprintf(e->name, sizeof(e->name), "%s", set->name);
	snprintf(e->comment, sizeof(e->comment), "%s", set->comment);
	e->flags = set->flags;
	e->keylen = set->keylen;
	return 0;
}

static const struct set_entry *set_find(const struct reader *rd,
					const char *name)
{
	for (size_t i = 0; i < rd->nsets; i++)
		if (strcmp(rd->sets[i].name, name) == 0)
			return &rd->sets[i];
	return NULL;
}

static uint16_t port_of(const void *data)
{
	const uint8_t *b = data;

	return (uint16_t)(b[0] << 8 | b[1]);
}

/* Follows the expressions batch.c emits (expr.h); anything else leaves a
 * field empty, never a wrong one. */
static int expr_cb(struct nftnl_expr *e, void *data)
{
	struct nft_rule_info *ri = data;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	const void *d;
	uint32_t len = 0, op;

	if (strcmp(name, "meta") == 0) {
		ri->meta_key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
		ri->after_meta = true;
		ri->after_payload = false;
		return 0;
	}
	if (strcmp(name, "payload") == 0) {
		ri->payload_base = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
		ri->payload_off = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
		ri->after_payload = true;
		ri->after_meta = false;
		return 0;
	}
	if (strcmp(name, "cmp") == 0) {
		d = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);
		op = nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP);
		if (ri->after_meta && ri->meta_key == NFT_META_L4PROTO) {
			/* != is an except's: other protocols still match */
			if (len >= 1 && op == NFT_CMP_EQ)
				ri->proto = *(const uint8_t *)d;
		} else if (ri->after_meta && (ri->meta_key == NFT_META_OIF ||
					    ri->meta_key == NFT_META_IIF))
			snprintf(ri->key, sizeof(ri->key), "built-in: loopback");
		else if (ri->after_payload && len == 2 &&
			 ri->payload_base == NFT_PAYLOAD_TRANSPORT_HEADER) {
			if (op != NFT_CMP_LTE)
				ri->port_lo = port_of(d);
			if (op != NFT_CMP_GTE)
				ri->port_hi = port_of(d);
		}
		return 0;
	}
	if (strcmp(name, "lookup") == 0) {
		name = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);
		if (ri->after_payload &&
		    ri->payload_base == NFT_PAYLOAD_NETWORK_HEADER)
			snprintf(ri->addr_set, sizeof(ri->addr_set), "%s", name);
		else if (ri->after_payload && ri->payload_off == 2)
			snprintf(ri->port_set, sizeof(ri->port_set), "%s", name);
		else if (ri->after_payload)
			snprintf(ri->key, sizeof(ri->key),
				 "built-in: ICMPv6 neighbour discovery");
		return 0;
	}
	if (strcmp(name, "ct") == 0) {
		snprintf(ri->key, sizeof(ri->key), "built-in: ct state");
		return 0;
	}
	if (strcmp(name, "counter") == 0) {
		ri->packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		ri->bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
		return 0;
	}
	if (strcmp(name, "immediate") == 0) {
		ri->verdict = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT) ==
					      NF_ACCEPT
				      ? "accept"
				      : "drop";
		return 0;
	}
	if (strcmp(name, "reject") == 0)
		ri->verdict = "reject";
	return 0;
}

/* "egress.deny[0] [audit: drop]: no LAN" → key "egress.deny[0]", and the
 * verdict the policy meant. */
static void split_comment(const char *comment, struct nft_rule_info *ri)
{
	size_t n = strlen(comment);
	const char *mark = strstr(comment, " [audit: ");

	for (const char *p = comment; (p = strstr(p, ": ")); p++)
		if ((size_t)(p - comment) < n)
			n = (size_t)(p - comment);
	if (mark && (size_t)(mark - comment) < n) {
		n = (size_t)(mark - comment);
		ri->audit = true;
		ri->verdict = strncmp(mark, AUDIT_MARK_REJECT,
				      strlen(AUDIT_MARK_REJECT)) == 0
				      ? "reject"
				      : "drop";
	}
	snprintf(ri->key, sizeof(ri->key), "%.*s", (int)n, comment);
}

static int found_rule(struct nftnl_rule *rule, void *data)
{
	struct reader *rd = data;
	struct nft_rule_info ri = { .proto = PROTO_ANY }, *v;
	char comment[COMMENT_MAX + 1];
	const char *chain = nftnl_rule_get_str(rule, NFTNL_RULE_CHAIN);
	const uint8_t *ud = NULL;
	uint32_t udlen = 0;
	int r;

	ri.dir = chain && strcmp(chain, "ingress") == 0 ? DIR_INGRESS
							: DIR_EGRESS;
	r = nftnl_expr_foreach(rule, expr_cb, &ri);
	if (r < 0 || !ri.verdict)
		return r; /* a log rule: its packets are counted next */
	if (nftnl_rule_is_set(rule, NFTNL_RULE_USERDATA))
		ud = nftnl_rule_get_data(rule, NFTNL_RULE_USERDATA, &udlen);
	udata_comment(ud, udlen, NFTNL_UDATA_RULE_COMMENT, comment,
		      sizeof(comment));
	if (comment[0])
		split_comment(comment, &ri);
	else if (strcmp(ri.key, "built-in: ct state") == 0)
		snprintf(ri.key, sizeof(ri.key), "built-in: ct state %s",
			 strcmp(ri.verdict, "drop") == 0 ? "invalid"
						       : "established,related");
	v = reallocarray(rd->rules, rd->nrules + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	rd->rules = v;
	rd->rules[rd->nrules++] = ri;
	return 0;
}

static void add_target(struct group *g, const char *t)
{
	for (size_t i = 0; i < g->ntargets; i++)
		if (strcmp(g->targets[i], t) == 0)
			return;
	if (g->ntargets < SHOW_MAX_TARGETS)
		snprintf(g->targets[g->ntargets++], sizeof(g->targets[0]), "%s",
			 t);
}

/* "10.0.0.0/8, 192.0.2.1 (+3)": a rule's own addresses, read back. */
static int describe_own_set(struct reader *rd, const struct set_entry *set,
			    char *buf, size_t len)
{
	struct interval_list l;
	size_t used = 0;
	int r;

	interval_list_init(&l, set->keylen);
	r = nl_set_elements(rd->nl, set->name, true, &l, rd->err);
	for (size_t i = 0; r == 0 && i < l.n && i < SHOW_LIST_ADDRS; i++) {
		char a[2 * INET6_ADDRSTRLEN + 2];

		interval_format_addr(&l.v[i], set->keylen == 4 ? AF_INET
							       : AF_INET6,
				     a, sizeof(a));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", a);
		if (used >= len)
			used = len - 1;
	}
	if (r == 0 && l.n > SHOW_LIST_ADDRS)
		snprintf(buf + used, len - used, " (+%zu)",
			 l.n - SHOW_LIST_ADDRS);
	interval_list_free(&l);
	return r;
}

/* How the policy wrote the destination a set stands for. */
static int describe_addr_set(struct reader *rd, const char *name, char *buf,
			     size_t len)
{
	const struct set_entry *set = set_find(rd, name);
	struct set_name sn;

	if (!set || set_name_parse(name, &sn) < 0)
		return snprintf(buf, len, "%s", name) < 0 ? -EIO : 0;
	switch (sn.kind) {
	case SET_NAME_HOSTNAME: /* the name is the set's comment */
	case SET_NAME_LEARNED:
		snprintf(buf, len, "%.*s", (int)strcspn(set->comment, " "),
			 set->comment);
		break;
	case SET_NAME_SYMBOL:
		snprintf(buf, len, "%s", sn.word);
		break;
	case SET_NAME_RULE:
		return describe_own_set(rd, set, buf, len);
	case SET_NAME_POLICY:
		snprintf(buf, len, "@%s", sn.word);
		break;
	}
	return 0;
}

static int describe_ports(struct reader *rd, const struct nft_rule_info *ri,
			  char *buf, size_t len)
{
	const struct set_entry *set;
	struct interval_list l;
	size_t used = 0;
	int r;

	if (!ri->port_set[0]) {
		if (ri->port_lo == ri->port_hi)
			snprintf(buf, len, "%u", ri->port_lo);
		else
			snprintf(buf, len, "%u-%u", ri->port_lo, ri->port_hi);
		return 0;
	}
	set = set_find(rd, ri->port_set);
	if (!set)
		return snprintf(buf, len, "{?}") < 0 ? -EIO : 0;
	interval_list_init(&l, 2);
	r = nl_set_elements(rd->nl, set->name, set->flags & NFT_SET_INTERVAL,
			    &l, rd->err);
	for (size_t i = 0; r == 0 && i < l.n && used < len; i++) {
		char p[16];

		interval_format_port(&l.v[i], p, sizeof(p));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "", p);
	}
	interval_list_free(&l);
	return r;
}

/* Adds what one nft rule matches to its group's description. */
static int describe(struct reader *rd, const struct nft_rule_info *ri,
		    struct group *g)
{
	char buf[96], proto[PROTO_NAME_MAX];
	int r = 0;

	if (strncmp(ri->key, "built-in: ", 10) == 0)
		return 0;
	g->any_proto |= ri->proto == PROTO_ANY;
	if (ri->addr_set[0]) {
		r = describe_addr_set(rd, ri->addr_set, buf, sizeof(buf));
		if (r == 0)
			add_target(g, buf);
	}
	if (ri->proto != PROTO_ANY)
		proto_format((uint8_t)ri->proto, proto);
	if (r == 0 && ri->proto != PROTO_ANY && !strstr(g->protos, proto))
		snprintf(g->protos + strlen(g->protos),
			 sizeof(g->protos) - strlen(g->protos), "%s%s",
			 g->protos[0] ? "," : "", proto);
	if (r == 0 && !g->ports[0] && (ri->port_set[0] || ri->port_lo))
		r = describe_ports(rd, ri, g->ports, sizeof(g->ports));
	return r;
}

static void group_source(const struct group *g, enum direction d, char *buf,
			 size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s", g->key);

	for (size_t i = 0; i < g->ntargets && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : d == DIR_INGRESS ? " from "
								     : " to ",
					 g->targets[i]);
	if (g->protos[0] && !g->any_proto && used < len)
		used += (size_t)snprintf(buf + used, len - used, " %s",
					 g->protos);
	/* An except's ports are not what the whole rule matches. */
	if (g->ports[0] && !g->any_proto && used < len)
		snprintf(buf + used, len - used, " dport %s", g->ports);
}

static int chain_add(struct show_chain *c, const struct show_rule *sr)
{
	struct show_rule *v = reallocarray(c->rules, c->n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	c->rules = v;
	c->rules[c->n++] = *sr;
	return 0;
}

/* Consecutive nft rules with one key (the families, the symbols, tcp and
 * udp of one policy line) make one line. */
static int build_lines(struct reader *rd)
{
	struct group g = { 0 };
	struct show_rule sr = { 0 };
	int r = 0;

	for (size_t i = 0; r == 0 && i < rd->nrules; i++) {
		const struct nft_rule_info *ri = &rd->rules[i];
		bool last;

		if (i == 0 || strcmp(ri->key, rd->rules[i - 1].key) != 0 ||
		    ri->dir != rd->rules[i - 1].dir) {
			g = (struct group){ 0 };
			sr = (struct show_rule){ .verdict = ri->verdict,
						 .enforced = !ri->audit };
			snprintf(g.key, sizeof(g.key), "%s", ri->key);
		}
		sr.packets += ri->packets;
		sr.bytes += ri->bytes;
		r = describe(rd, ri, &g);
		last = i + 1 == rd->nrules ||
		       strcmp(ri->key, rd->rules[i + 1].key) != 0 ||
		       ri->dir != rd->rules[i + 1].dir;
		if (r == 0 && last) {
			group_source(&g, ri->dir, sr.source, sizeof(sr.source));
			rd->show->chains[ri->dir].present = true;
			if (chain_add(&rd->show->chains[ri->dir], &sr) < 0)
				r = fw_error_set(rd->err, -ENOMEM, "",
						 "out of memory");
		}
	}
	return r;
}

/* A table an older hook wrote is shown by its whole comment. */
static void parse_table_comment(const char *c, struct show *s)
{
	struct table_comment t;

	if (table_comment_parse(c, &t) < 0) {
		snprintf(s->policy, sizeof(s->policy), "%s", c);
		return;
	}
	snprintf(s->policy, sizeof(s->policy), "%s", t.name);
	snprintf(s->sha256, sizeof(s->sha256), "%s", t.sha256);
	snprintf(s->origin, sizeof(s->origin), "%s", t.origin);
	s->audit = t.audit;
	s->is_default = t.is_default;
}

int show_read(pid_t pid, struct show *ret, struct fw_error *err)
{
	struct reader rd = { .show = ret, .err = err };
	/* read before netns_join()'s filter forbids opening files */
	bool listening = show_learner_listens(pid);
	char comment[COMMENT_MAX + 1];
	int r;


	*ret = (struct show){ 0 };
	r = netns_join(pid, err);
	if (r == 0)
		r = nl_open(&rd.nl, err);
	if (r == 0)
		r = nl_table_comment(rd.nl, comment, sizeof(comment), err);
	if (r == -ENOENT)
		r = fw_error_set(err, r, "", "the container's network namespace "
				 "holds no table inet " RULESET_TABLE
				 ": it runs without a firewall");
	if (r == 0) {
		parse_table_comment(comment, ret);
		r = nl_dump_sets(rd.nl, found_set, &rd, err);
	}
	if (r == 0)
		r = nl_dump_rules(rd.nl, found_rule, &rd, err);
	if (r == 0)
		r = build_lines(&rd);
	if (r == 0)
		r = show_learned_read(rd.nl, listening, &ret->learned, err);
	if (rd.nl)
		mnl_socket_close(rd.nl);
	free(rd.sets);
	free(rd.rules);
	if (r < 0)
		show_free(ret);
	return r;
}

void show_free(struct show *s)
{
	for (int d = 0; d < DIR_COUNT; d++)
		free(s->chains[d].rules);
	memset(s->chains, 0, sizeof(s->chains));
	show_learned_free(&s->learned);
}

/* `podman inspect` knows names and IDs; a number is a PID already. */
int show_target_pid(const char *arg, pid_t *ret, struct fw_error *err)
{
	char out[64] = "", *end;
	int fds[2], status;
	ssize_t n = 0, got;
	long pid;
	pid_t child;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return fw_error_set(err, -errno, "", "pipe: %s", strerror(errno));
	child = fork();
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fds[1], STDOUT_FILENO);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		execlp("podman", "podman", "inspect", "--format",
		       "{{.State.Pid}}", "--", arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (child > 0 && (got = read(fds[0], out + n,
					sizeof(out) - 1 - (size_t)n)) > 0)
		n += got;
	close(fds[0]);
	if (child < 0 || waitpid(child, &status, 0) < 0)
		return fw_error_set(err, -errno, "", "running podman: %s",
				    strerror(errno));
	out[n] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		return fw_error_set(err, -ENOENT, "", "podman (to look up the "
				    "container) is not on PATH; for a PID, "
				    "use --pid");
	pid = strtol(out, &end, 10);
	if (WEXITSTATUS(status) != 0 || end == out)
		return fw_error_set(err, -ENOENT, "", "no such container (podman "
				    "inspect failed)%s",
				    arg[strspn(arg, "0123456789")] ? ""
				    : "; for a PID, use --pid");
	if (pid <= 0)
		return fw_error_set(err, -ESRCH, "", "the container is not "
				    "running");
	*ret = (pid_t)pid;
	return 0;
}

static const char *verdict_shown(const struct show_rule *r)
{
	if (r->enforced)
		return r->verdict;
	return strcmp(r->verdict, "drop") == 0 ? "would drop" : "would reject";
}

void show_print_text(const struct show *s, FILE *out)
{
	size_t width = 24;

	for (int d = 0; d < DIR_COUNT; d++)
		for (size_t i = 0; i < s->chains[d].n; i++)
			if (strlen(s->chains[d].rules[i].source) + 2 > width)
				width = strlen(s->chains[d].rules[i].source) + 2;
	fprintf(out, "policy %s, sha256:%s, mode %s%s\n", s->policy, s->sha256,
		s->audit ? "audit (blocks are counted, not done)" : "enforce",
		s->is_default ? ", the node's default policy" : "");
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct show_chain *c = &s->chains[d];

		if (!c->present)
			continue;
		fprintf(out, "\n%-*s %-12s %12s %14s\n", (int)width,
			direction_names[d], "verdict", "packets", "bytes");
		for (size_t i = 0; i < c->n; i++)
			fprintf(out, "  %-*s %-12s %12" PRIu64 " %14" PRIu64 "\n",
				(int)width - 2, c->rules[i].source,
				verdict_shown(&c->rules[i]), c->rules[i].packets,
				c->rules[i].bytes);
	}
	show_learned_print_text(&s->learned, out);
}

int show_print_json(const struct show *s, FILE *out, struct fw_error *err)
{
	json_object *root = json_object_new_object(), *chains, *chain, *rules;
	int r;

	if (!root)
		return fw_error_set(err, -ENOMEM, "", "json-c: out of memory");
	json_object_object_add(root, "policy", json_object_new_string(s->policy));
	json_object_object_add(root, "sha256", json_object_new_string(s->sha256));
	json_object_object_add(root, "from", json_object_new_string(s->origin));
	json_object_object_add(root, "mode", json_object_new_string(
						     s->audit ? "audit" : "enforce"));
	json_object_object_add(root, "default", json_object_new_boolean(
							s->is_default));
	chains = json_object_new_object();
	json_object_object_add(root, "chains", chains);
	for (int d = 0; d < DIR_COUNT; d++) {
		if (!s->chains[d].present)
			continue;
		chain = json_object_new_object();
		rules = json_object_new_array();
		json_object_object_add(chains, direction_names[d], chain);
		json_object_object_add(chain, "rules", rules);
		for (size_t i = 0; i < s->chains[d].n; i++) {
			const struct show_rule *sr = &s->chains[d].rules[i];
			json_object *o = json_object_new_object();

			json_object_object_add(o, "source",
					       json_object_new_string(sr->source));
			json_object_object_add(o, "verdict",
					       json_object_new_string(sr->verdict));
			json_object_object_add(o, "enforced",
					       json_object_new_boolean(sr->enforced));
			json_object_object_add(o, "packets",
					       json_object_new_uint64(sr->packets));
			json_object_object_add(o, "bytes",
					       json_object_new_uint64(sr->bytes));
			json_object_array_add(rules, o);
		}
	}
	show_learned_json(&s->learned, root);
	r = fprintf(out, "%s\n", json_object_to_json_string_ext(
					root, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return r < 0 ? fw_error_set(err, -EIO, "", "writing to stdout failed")
		     : 0;
}
