// SPDX-License-Identifier: GPL-2.0-or-later
/* show: one nft rule's expressions read back as the policy terms that made
 * them. */
#include <stdio.h>
#include <string.h>
#include <libnftnl/expr.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "netlink.h"
#include "ruleset.h"
#include "show_decode.h"

/* The expression before a cmp or a lookup: what it compares. */
struct decoder {
	struct show_nft_rule *ri;
	uint32_t meta_key;
	uint32_t payload_base, payload_off;
	bool after_meta, after_payload;
	bool hoplimit; /* it reads ip6 hoplimit: the MLD built-in */
};

static uint16_t port_of(const void *data)
{
	const uint8_t *b = data;

	return (uint16_t)(b[0] << 8 | b[1]);
}

static void decode_cmp(struct decoder *dc, struct nftnl_expr *e)
{
	struct show_nft_rule *ri = dc->ri;
	uint32_t len = 0, op = nftnl_expr_get_u32(e, NFTNL_EXPR_CMP_OP);
	const void *d = nftnl_expr_get(e, NFTNL_EXPR_CMP_DATA, &len);

	if (dc->after_meta && dc->meta_key == NFT_META_L4PROTO) {
		/* != is an except's: other protocols still match */
		if (len >= 1 && op == NFT_CMP_EQ)
			ri->proto = *(const uint8_t *)d;
	} else if (dc->after_meta && (dc->meta_key == NFT_META_OIF ||
				      dc->meta_key == NFT_META_IIF)) {
		snprintf(ri->key, sizeof(ri->key), SHOW_BUILTIN "loopback");
	} else if (dc->after_payload && len == 2 &&
		   dc->payload_base == NFT_PAYLOAD_TRANSPORT_HEADER) {
		if (op != NFT_CMP_LTE)
			ri->port_lo = port_of(d);
		if (op != NFT_CMP_GTE)
			ri->port_hi = port_of(d);
	}
}

static void decode_lookup(struct decoder *dc, struct nftnl_expr *e)
{
	struct show_nft_rule *ri = dc->ri;
	const char *set = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);

	if (!dc->after_payload)
		return;
	if (dc->payload_base == NFT_PAYLOAD_NETWORK_HEADER)
		snprintf(ri->addr_set, sizeof(ri->addr_set), "%s", set);
	else if (dc->payload_off == 2)
		snprintf(ri->port_set, sizeof(ri->port_set), "%s", set);
	else
		snprintf(ri->key, sizeof(ri->key), "%s",
			 dc->hoplimit ? SHOW_BUILTIN "ICMPv6 MLD, link-local"
				      : SHOW_BUILTIN "ICMPv6 neighbour discovery");
}

static int expr_cb(struct nftnl_expr *e, void *data)
{
	struct decoder *dc = data;
	struct show_nft_rule *ri = dc->ri;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (strcmp(name, "meta") == 0) {
		dc->meta_key = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
		dc->after_meta = true;
		dc->after_payload = false;
	} else if (strcmp(name, "payload") == 0) {
		dc->payload_base = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_BASE);
		dc->payload_off = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
		dc->after_payload = true;
		dc->after_meta = false;
		dc->hoplimit |= dc->payload_base == NFT_PAYLOAD_NETWORK_HEADER &&
				dc->payload_off == 7;
	} else if (strcmp(name, "cmp") == 0) {
		decode_cmp(dc, e);
	} else if (strcmp(name, "lookup") == 0) {
		decode_lookup(dc, e);
	} else if (strcmp(name, "ct") == 0) {
		snprintf(ri->key, sizeof(ri->key), SHOW_BUILTIN "ct state");
	} else if (strcmp(name, "fib") == 0) {
		/* after its ct: match_foreign_source() */
		snprintf(ri->key, sizeof(ri->key),
			 SHOW_BUILTIN "source address not its own");
	} else if (strcmp(name, "counter") == 0) {
		ri->packets = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
		ri->bytes = nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
	} else if (strcmp(name, "immediate") == 0) {
		ri->verdict = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT) ==
					      NF_ACCEPT
				      ? "accept"
				      : "drop";
	} else if (strcmp(name, "reject") == 0) {
		ri->verdict = "reject";
	}
	return 0;
}

/* "egress.deny[0] [audit: drop]: no LAN" → key "egress.deny[0]", and the
 * verdict the policy meant. */
static void split_comment(const char *comment, struct show_nft_rule *ri)
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

bool show_decode_rule(struct nftnl_rule *rule, struct show_nft_rule *ret)
{
	struct decoder dc = { .ri = ret };
	char comment[COMMENT_MAX + 1];
	const char *chain = nftnl_rule_get_str(rule, NFTNL_RULE_CHAIN);
	const uint8_t *ud = NULL;
	uint32_t udlen = 0;

	*ret = (struct show_nft_rule){ .proto = PROTO_ANY };
	ret->dir = chain && strcmp(chain, "ingress") == 0 ? DIR_INGRESS
							 : DIR_EGRESS;
	nftnl_expr_foreach(rule, expr_cb, &dc); /* expr_cb never fails */
	if (!ret->verdict)
		return false;
	if (nftnl_rule_is_set(rule, NFTNL_RULE_USERDATA))
		ud = nftnl_rule_get_data(rule, NFTNL_RULE_USERDATA, &udlen);
	udata_comment(ud, udlen, NFTNL_UDATA_RULE_COMMENT, comment,
		      sizeof(comment));
	if (comment[0])
		split_comment(comment, ret);
	else if (strcmp(ret->key, SHOW_BUILTIN "ct state") == 0)
		snprintf(ret->key, sizeof(ret->key),
			 SHOW_BUILTIN "ct state %s",
			 strcmp(ret->verdict, "drop") == 0
				 ? "invalid"
				 : "established,related");
	return true;
}
