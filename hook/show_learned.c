// SPDX-License-Identifier: GPL-2.0-or-later
/* show: the addresses the DNS learner added, and whether it still runs. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cleanup.h"
#include "names.h"
#include "netlink.h"
#include "ruleset.h"
#include "show_learned.h"

bool show_learner_listens(pid_t pid)
{
	char path[64];
	FILE *f;
	unsigned int num;
	char line[256];
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/net/netfilter/nfnetlink_queue",
		 (int)pid);
	f = fopen(path, "re");
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%u", &num) == 1 && num == LEARN_QUEUE;
	if (f)
		fclose(f);
	return found;
}

struct walk {
	struct show_learned *l;
	const char *pattern;
};

static int found_elem(const struct nl_elem_info *e, void *data)
{
	struct walk *w = data;
	struct show_learned *l = w->l;
	struct learned_addr *a;

	l->total++;
	if (l->n == SHOW_LEARNED_MAX)
		return 0;
	if (l->n % 64 == 0) {
		a = reallocarray(l->v, l->n + 64, sizeof(*a));
		if (!a)
			return -ENOMEM;
		l->v = a;
	}
	a = &l->v[l->n++];
	inet_ntop(e->keylen == 16 ? AF_INET6 : AF_INET, e->key, a->addr,
		  sizeof(a->addr));
	snprintf(a->name, sizeof(a->name), "%s", e->comment);
	snprintf(a->pattern, sizeof(a->pattern), "%s", w->pattern);
	a->expires_ms = e->expires_ms;
	return 0;
}

struct sets {
	char (*names)[SET_NAME_MAX];
	char (*comments)[COMMENT_MAX + 1];
	size_t n;
};

static int found_set(const struct nl_set_info *set, void *data)
{
	struct sets *s = data;
	struct set_name sn;
	void *p;

	if (set_name_parse(set->name, &sn) < 0 || sn.kind != SET_NAME_LEARNED)
		return 0;
	p = reallocarray(s->names, s->n + 1, sizeof(*s->names));
	if (!p)
		return -ENOMEM;
	s->names = p;
	p = reallocarray(s->comments, s->n + 1, sizeof(*s->comments));
	if (!p)
		return -ENOMEM;
	s->comments = p;
	snprintf(s->names[s->n], SET_NAME_MAX, "%s", set->name);
	snprintf(s->comments[s->n++], COMMENT_MAX + 1, "%s", set->comment);
	return 0;
}

int show_learned_read(struct mnl_socket *nl, bool listening,
		      struct show_learned *ret, struct fw_error *err)
{
	struct sets s = { 0 };
	int r;

	*ret = (struct show_learned){ 0 };
	r = nl_dump_sets(nl, found_set, &s, err);
	for (size_t i = 0; r == 0 && i < s.n; i++) {
		struct walk w = { ret, s.comments[i] };

		r = nl_dump_elements(nl, s.names[i], found_elem, &w, err);
	}
	ret->learns = s.n > 0;
	ret->listening = ret->learns && listening;
	free(s.names);
	free(s.comments);
	return r;
}

void show_learned_print_text(const struct show_learned *l, FILE *out)
{
	if (!l->learns)
		return;
	fprintf(out, "\nlearned from DNS answers: %zu address%s; %s\n", l->total,
		l->total == 1 ? "" : "es",
		l->listening ? "the learner listens"
			     : "THE LEARNER IS GONE: answers are dropped, names "
			       "do not resolve (restart the container)");
	for (size_t i = 0; i < l->n; i++)
		fprintf(out, "  %-39s %-40s %6" PRIu64 " s  (%s)\n",
			l->v[i].addr, l->v[i].name,
			(l->v[i].expires_ms + 999) / 1000, l->v[i].pattern);
}

void show_learned_json(const struct show_learned *l, json_object *root)
{
	json_object *o, *v;

	if (!l->learns)
		return;
	o = json_object_new_object();
	v = json_object_new_array();
	json_object_object_add(root, "learned", o);
	json_object_object_add(o, "learner",
			       json_object_new_string(l->listening ? "listening"
								   : "gone"));
	json_object_object_add(o, "total", json_object_new_uint64(l->total));
	json_object_object_add(o, "addresses", v);
	for (size_t i = 0; i < l->n; i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "address",
				       json_object_new_string(l->v[i].addr));
		json_object_object_add(a, "name",
				       json_object_new_string(l->v[i].name));
		json_object_object_add(a, "rule_name",
				       json_object_new_string(l->v[i].pattern));
		json_object_object_add(a, "expires_ms",
				       json_object_new_uint64(l->v[i].expires_ms));
		json_object_array_add(v, a);
	}
}

void show_learned_free(struct show_learned *l)
{
	free(l->v);
	*l = (struct show_learned){ 0 };
}
