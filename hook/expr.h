/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nft expressions for one rule: a helper per expression. */
#ifndef OCI_FW_EXPR_H
#define OCI_FW_EXPR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libnftnl/rule.h>

#include "ruleset.h"

/* Collects the first failure, so that a rule reads as a list of matches;
 * all registers are NFT_REG_1 (16 bytes wide), as nft uses them. */
struct rule_builder {
	struct nftnl_rule *r;
	int err;
};

void expr_payload(struct rule_builder *rb, uint32_t base, uint32_t offset,
		  uint32_t len);
void expr_lookup(struct rule_builder *rb, const char *set, uint32_t id);
void expr_ct_state(struct rule_builder *rb, uint32_t states);
void match_ct_reply(struct rule_builder *rb);
void expr_counter_verdict(struct rule_builder *rb, enum ir_verdict v,
			  const char *watch_prefix);
void expr_log_limited(struct rule_builder *rb, const char *prefix, bool nflog,
		      uint16_t group);

void match_nfproto(struct rule_builder *rb, uint8_t nfproto);
void match_l4proto(struct rule_builder *rb, uint8_t proto);
void match_l4proto_not(struct rule_builder *rb, uint8_t proto);
void match_l4proto_not_set(struct rule_builder *rb, uint32_t set_id);
void match_loopback(struct rule_builder *rb, bool input);
void match_foreign_source(struct rule_builder *rb);
void match_loopback_daddr(struct rule_builder *rb, bool v6);
void match_link_local_multicast(struct rule_builder *rb);
void match_addr_set(struct rule_builder *rb, const struct ir_set *set,
		    uint32_t id, bool source);
void match_dport(struct rule_builder *rb, const struct ir_rule *rule,
		 uint32_t set_id);

#endif
