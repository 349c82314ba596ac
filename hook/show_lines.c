// SPDX-License-Identifier: GPL-2.0-or-later
/* show: the nft rules of a chain grouped into the lines of the policy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "show_lines.h"

#define SHOW_MAX_TARGETS 8

/* A show_rule being built: the nft rules of one policy line. */
struct group {
	char targets[SHOW_MAX_TARGETS][SHOW_TERM_MAX];
	size_t ntargets;
	char protos[32];
	bool any_proto; /* one of its nft rules matches every protocol */
	char ports[SHOW_TERM_MAX];
};

static bool same_line(const struct show_nft_rule *a,
		      const struct show_nft_rule *b)
{
	return a->dir == b->dir && strcmp(a->key, b->key) == 0;
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

/* Adds what one nft rule matches to its line's description. */
static void describe(const struct show_nft_rule *ri, struct group *g)
{
	char proto[PROTO_NAME_MAX];

	if (strncmp(ri->key, SHOW_BUILTIN, strlen(SHOW_BUILTIN)) == 0)
		return;
	g->any_proto |= ri->proto == PROTO_ANY;
	if (ri->target[0])
		add_target(g, ri->target);
	if (ri->proto != PROTO_ANY) {
		proto_format((uint8_t)ri->proto, proto);
		if (!strstr(g->protos, proto))
			snprintf(g->protos + strlen(g->protos),
				 sizeof(g->protos) - strlen(g->protos), "%s%s",
				 g->protos[0] ? "," : "", proto);
	}
	if (!g->ports[0])
		snprintf(g->ports, sizeof(g->ports), "%s", ri->ports);
}

/* "egress.deny[0] to @private, dns tcp,udp dport 53" */
static void group_source(const struct group *g, const char *key,
			 enum direction d, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s", key);

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

/* Every chain gets room for its lines at once: no growing per rule. */
static int chains_alloc(const struct show_nft_rule *rules, size_t n,
			struct show *s)
{
	size_t lines[DIR_COUNT] = { 0 };

	for (size_t i = 0; i < n; i++)
		lines[rules[i].dir] += i == 0 || !same_line(&rules[i],
							    &rules[i - 1]);
	for (int d = 0; d < DIR_COUNT; d++) {
		s->chains[d].present = lines[d] > 0;
		if (lines[d] && !(s->chains[d].rules = calloc(
					  lines[d], sizeof(struct show_rule))))
			return -ENOMEM;
	}
	return 0;
}

int show_lines_build(const struct show_nft_rule *rules, size_t n,
		     struct show *ret, struct fw_error *err)
{
	struct group g;
	struct show_rule *sr = NULL;

	if (chains_alloc(rules, n, ret) < 0)
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct show_nft_rule *ri = &rules[i];
		struct show_chain *c = &ret->chains[ri->dir];

		if (i == 0 || !same_line(ri, &rules[i - 1])) {
			g = (struct group){ 0 };
			sr = &c->rules[c->n++];
			sr->verdict = ri->verdict;
			sr->enforced = !ri->audit;
		}
		sr->packets += ri->packets;
		sr->bytes += ri->bytes;
		describe(ri, &g);
		if (i + 1 == n || !same_line(ri, &rules[i + 1]))
			group_source(&g, ri->key, ri->dir, sr->source,
				     sizeof(sr->source));
	}
	return 0;
}
