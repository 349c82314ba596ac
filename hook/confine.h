/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook's own seccomp confinement, in two stages. */
#ifndef OCI_FW_CONFINE_H
#define OCI_FW_CONFINE_H

#include "error.h"

/* After every file is open and read: parsing, compiling, entering the
 * netns and opening the netlink socket remain.  First draws the
 * randomness json-c and dns.h would draw under the filter (a child forked
 * after it would repeat its DNS query ids). */
int confine_stage1(struct fw_error *err);
/* After the socket is open: talking to nf_tables and exiting remain. */
int confine_stage2(struct fw_error *err);
/* The companion of podman 5's late files (late.h): stage 1, and reading
 * the files and inotify descriptor it opened before. */
int confine_companion(struct fw_error *err);
/* The companion's stage 2: stage 2, and what stopping its container
 * takes (late.h). */
int confine_companion_stage2(struct fw_error *err);

/* watch: after its NFLOG group is bound, receiving and writing only. */
int confine_watch(struct fw_error *err);

/* The DNS learner (learn.h), right after its fork: stage 1 and its unix
 * sockets. */
int confine_learner_setup(struct fw_error *err);
/* The learner, its sockets open: stage 2, waiting and accepting. */
int confine_learner(struct fw_error *err);

#endif
