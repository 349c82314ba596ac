// SPDX-License-Identifier: GPL-2.0-or-later
/* The DNS learner: one process per network namespace that puts the
 * addresses of the container's DNS answers into its firewall. */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter.h>

#include "cleanup.h"
#include "confine.h"
#include "late.h"
#include "learn.h"
#include "learn_nft.h"
#include "learn_packet.h"
#include "netlink.h"
#include "netns.h"
#include "nfqueue.h"

/*
 * DOC: the learner
 *
 * An allow rule's hostname or wildcard admits the addresses that the
 * container's own DNS answers give for it.  The firewall sends every DNS
 * answer (udp and tcp source port 53) from the container's nameservers
 * (its "dns" sets: resolv.conf as the runtime wrote it) to NFQUEUE
 * LEARN_QUEUE, without bypass: with nobody listening the kernel drops
 * them, and names stop resolving rather than the firewall opening.
 *
 * The hook forks the learner before its own seccomp stages.  The learner
 * waits for the hook's commit, enters the netns and binds an abstract
 * unix socket there (abstract names are per netns): the first container
 * of a netns gets it and binds the queue; a later one (a pod's next
 * member) finds it taken, hands its container's pidfd to the learner
 * that holds it, and ends.  The learner ends when every container it
 * was handed has exited.  For each answer it reads the question and the
 * addresses of the CNAME chain (dns.h), adds those of names the policy
 * allows to the learned sets in one batch with the answer's TTL
 * (LEARN_TTL_MIN to LEARN_TTL_MAX), and lets the answer go only once the
 * kernel has committed them: the first connect after a lookup meets its
 * address.  An answer that teaches nothing goes on at once; one whose
 * addresses could not be added is dropped.
 *
 * At most LEARN_MAX learned addresses per netns: past it the one closest
 * to expiring goes first, and a warning is recorded.
 */

#define LEARNER_NAME "oci-fw-hook/learner" /* abstract: per netns */
#define READY_LEARNER 'L'
#define READY_MEMBER 'M'
#define READY_FAILED 'E'
/* How long an accepted member may take to send its pidfd. */
#define MEMBER_WAIT_MS 100
/* Warnings about full tables or failed adds: at most one per minute. */
#define WARN_EVERY_MS 60000

struct entry {
	int set; /* index into the ruleset's sets */
	int64_t expires_ms;
	uint8_t addr[16];
};

struct learner {
	const struct ruleset *rs;
	const struct record *rec;
	const char *id;
	struct mnl_socket *nfq, *nft;
	int listen_fd;
	int members[LEARN_MEMBERS_MAX];
	size_t nmembers;
	struct entry *entries; /* LEARN_MAX */
	size_t n;
	uint32_t seq;
	unsigned long answers, learned, evicted, failed;
	int64_t warned_ms;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int learn_fork(struct learn *l, pid_t pid, bool *ret_learner,
	       struct fw_error *err)
{
	struct timeval tv = { LEARN_READY_MS / 1000, 0 };
	int sv[2] = { -1, -1 }, r = 0;
	pid_t child;

	*ret_learner = false;
	l->pid_fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (l->pid_fd < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    (child = fork()) < 0) {
		r = -errno;
		closep(&sv[0]);
		closep(&sv[1]);
		return fw_error_set(err, r, "", "starting the DNS learner: %s",
				    strerror(-r));
	}
	*ret_learner = child == 0;
	l->sock = sv[child == 0];
	close(sv[child != 0]);
	if (child == 0)
		return late_detach();
	closep(&l->pid_fd);
	return 0;
}

/* Learner: one status byte, then what went wrong. */
static void tell_hook(struct learn *l, char status, const struct fw_error *err)
{
	char msg[512] = { status };
	size_t len = 1;

	if (err) {
		fw_error_format(err, msg + 1, sizeof(msg) - 1);
		len += strlen(msg + 1);
	}
	(void)!send(l->sock, msg, len, MSG_NOSIGNAL);
	closep(&l->sock);
}

int learn_ready(struct learn *l, struct fw_error *err)
{
	char msg[512];
	ssize_t n;

	if (send(l->sock, "g", 1, MSG_NOSIGNAL) != 1)
		return fw_error_set(err, -errno, "", "the DNS learner ended "
				    "before it started: %s", strerror(errno));
	n = recv(l->sock, msg, sizeof(msg) - 1, 0);
	if (n <= 0)
		return fw_error_set(err, n < 0 ? -errno : -ECHILD, "",
				    "the DNS learner did not start%s",
				    n < 0 ? " in time" : "");
	msg[n] = '\0';
	if (msg[0] == READY_LEARNER || msg[0] == READY_MEMBER)
		return 0;
	return fw_error_set(err, -EIO, "", "the DNS learner did not start: "
			    "%s", msg + 1);
}

static socklen_t learner_addr(struct sockaddr_un *sa)
{
	*sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
	memcpy(sa->sun_path + 1, LEARNER_NAME, strlen(LEARNER_NAME));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   strlen(LEARNER_NAME));
}

/* A pidfd over a unix socket, with one byte of data. */
static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "p", .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &m, MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

/* The netns has its learner: it serves this container too. */
static int join_learner(struct learn *l, const struct sockaddr_un *sa,
			socklen_t len, struct fw_error *err)
{
	struct timeval tv = { LEARN_READY_MS / 1000, 0 };
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	char ack;
	int r;

	r = fd < 0 ? -errno : 0;
	if (r == 0 && (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				  sizeof(tv)) < 0 ||
		       connect(fd, (const struct sockaddr *)sa, len) < 0))
		r = -errno;
	if (r == 0)
		r = send_fd(fd, l->pid_fd);
	if (r == 0 && recv(fd, &ack, 1, 0) != 1)
		r = errno ? -errno : -ECONNRESET;
	if (r < 0)
		return fw_error_set(err, r, "", "handing the container to the "
				    "network namespace's DNS learner: %s",
				    strerror(-r));
	return 1;
}

/* 1 when the netns has a learner already, which now serves the
 * container; 0 when this one is it. */
static int setup(struct learner *lr, struct learn *l, int netns_fd,
		 struct fw_error *err)
{
	struct sockaddr_un sa;
	socklen_t len = learner_addr(&sa);
	int r = netns_enter(netns_fd, err);

	if (r < 0)
		return r;
	lr->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
					       SOCK_NONBLOCK, 0);
	if (lr->listen_fd < 0)
		return fw_error_set(err, -errno, "", "the learner's socket: %s",
				    strerror(errno));
	if (bind(lr->listen_fd, (struct sockaddr *)&sa, len) < 0)
		return errno == EADDRINUSE
			       ? join_learner(l, &sa, len, err)
			       : fw_error_set(err, -errno, "", "the learner's "
					      "socket: %s", strerror(errno));
	if (listen(lr->listen_fd, 8) < 0)
		return fw_error_set(err, -errno, "", "the learner's socket: %s",
				    strerror(errno));
	r = nfq_open(LEARN_QUEUE, &lr->nfq, err);
	if (r == 0)
		r = nl_open(&lr->nft, err);
	if (r == 0) {
		lr->entries = calloc(LEARN_MAX, sizeof(*lr->entries));
		if (!lr->entries)
			r = fw_error_set(err, -ENOMEM, "", "out of memory");
	}
	lr->members[lr->nmembers++] = l->pid_fd;
	l->pid_fd = -1;
	return r;
}

static void warn(struct learner *lr, const char *what)
{
	char line[512];
	int64_t now = now_ms();

	if (lr->warned_ms && now - lr->warned_ms < WARN_EVERY_MS)
		return;
	lr->warned_ms = now;
	snprintf(line, sizeof(line), "learner container=%.64s: %s", lr->id,
		 what);
	record_send(lr->rec, LOG_WARNING, line);
}

/* The entry for (set, addr): found, new, or the one closest to expiring,
 * whose element then goes in the same batch. */
static void remember(struct learner *lr, int set, const uint8_t *addr,
		     uint32_t timeout, struct learn_elem *e, size_t *n)
{
	const struct ir_set *s = &lr->rs->sets[set];
	size_t alen = s->type == SET_IPV6 ? 16 : 4, k = lr->n, oldest = 0;

	for (size_t i = 0; i < lr->n; i++) {
		if (lr->entries[i].set == set &&
		    memcmp(lr->entries[i].addr, addr, alen) == 0) {
			k = i;
			break;
		}
		if (lr->entries[i].expires_ms < lr->entries[oldest].expires_ms)
			oldest = i;
	}
	if (k == lr->n && lr->n == LEARN_MAX) {
		struct entry *old = &lr->entries[oldest];
		const struct ir_set *os = &lr->rs->sets[old->set];

		k = oldest;
		/* one that expired is gone from the kernel already */
		if (old->expires_ms > now_ms()) {
			e[*n] = (struct learn_elem){ .set = os->name,
						     .family = os->type == SET_IPV6 };
			memcpy(e[(*n)++].addr, old->addr, 16);
			lr->evicted++;
			warn(lr, "more than " LEARN_MAX_TEXT " learned "
				 "addresses: the oldest expire first");
		}
	} else if (k == lr->n) {
		lr->n++;
	}
	lr->entries[k].set = set;
	lr->entries[k].expires_ms = now_ms() + (int64_t)timeout * 1000;
	memcpy(lr->entries[k].addr, addr, alen);
	memset(lr->entries[k].addr + alen, 0, 16 - alen);
	e[*n] = (struct learn_elem){ .set = s->name,
				     .family = s->type == SET_IPV6,
				     .timeout_s = timeout };
	memcpy(e[*n].addr, addr, alen);
	(*n)++;
}

static uint32_t element_timeout(uint32_t ttl)
{
	return ttl < LEARN_TTL_MIN ? LEARN_TTL_MIN
	       : ttl > LEARN_TTL_MAX ? LEARN_TTL_MAX : ttl;
}

/* Adds what the answer teaches; -errno when the kernel refused it. */
static int learn_answer(struct learner *lr, const struct dns_learned *dl)
{
	struct learn_elem e[LEARN_NFT_MAX];
	int fam = dl->qtype == DNS_TYPE_AAAA;
	uint32_t timeout = element_timeout(dl->ttl);
	struct fw_error err = { 0 };
	size_t n = 0;
	int r;

	for (size_t i = 0; i < lr->rs->nsymbols; i++) {
		const struct ir_symbol *sym = &lr->rs->symbols[i];

		if (sym->learn[fam] < 0 ||
		    !learn_name_matches(sym->sym.name, dl->qname))
			continue;
		/* each address may need a deletion too */
		for (size_t a = 0; a < dl->naddrs && n + 2 <= LEARN_NFT_MAX; a++)
			remember(lr, sym->learn[fam], dl->addrs[a], timeout,
				 e, &n);
	}
	for (size_t i = 0; i < n; i++)
		e[i].comment = dl->qname;
	if (n == 0)
		return 0;
	r = learn_nft_commit(lr->nft, &lr->seq, e, n, &err);
	if (r < 0) {
		char line[300];

		lr->failed++;
		fw_error_format(&err, line, sizeof(line));
		warn(lr, line);
		return r;
	}
	lr->learned += n;
	return 0;
}

static void on_packet(const struct nfq_packet *p, void *data)
{
	struct learner *lr = data;
	struct dns_learned dl;
	uint32_t verdict = NF_ACCEPT;

	lr->answers++;
	if (p->payload && learn_packet_read(p->payload, p->len, &dl) == 0 &&
	    dl.naddrs && learn_answer(lr, &dl) < 0)
		verdict = NF_DROP;
	(void)nfq_verdict(lr->nfq, LEARN_QUEUE, p->id, verdict);
}

/* A container that joins the netns (join_learner) sends its pidfd. */
static void member_add(struct learner *lr)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	_cleanup_close_ int fd = accept4(lr->listen_fd, NULL, NULL,
					 SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec ts = { 0, MEMBER_WAIT_MS * 1000000L };
	struct cmsghdr *c;
	int pidfd;

	if (fd < 0 || ppoll(&p, 1, &ts, NULL) != 1 ||
	    recvmsg(fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != 1)
		return;
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return;
	memcpy(&pidfd, CMSG_DATA(c), sizeof(int));
	if (lr->nmembers == LEARN_MEMBERS_MAX) {
		close(pidfd);
		return;
	}
	lr->members[lr->nmembers++] = pidfd;
	(void)!send(fd, "1", 1, MSG_NOSIGNAL);
}

static int drain_queue(struct learner *lr)
{
	static char buf[0xffff + 4096] __attribute__((aligned(8)));
	int r;

	do
		r = nfq_receive(lr->nfq, buf, sizeof(buf), on_packet, lr);
	while (r == 0 || r == -ENOBUFS || r == -EINTR);
	return r == -EAGAIN ? 0 : r;
}

/* Until every container it serves has exited. */
static int learn_loop(struct learner *lr, struct fw_error *err)
{
	struct pollfd p[2 + LEARN_MEMBERS_MAX];
	int r = 0;

	while (r == 0 && lr->nmembers) {
		/* the members polled: member_add() may append one */
		size_t polled = lr->nmembers;

		p[0] = (struct pollfd){ mnl_socket_get_fd(lr->nfq), POLLIN, 0 };
		p[1] = (struct pollfd){ lr->listen_fd, POLLIN, 0 };
		for (size_t i = 0; i < polled; i++)
			p[2 + i] = (struct pollfd){ lr->members[i], POLLIN, 0 };
		if (ppoll(p, 2 + polled, NULL, NULL) < 0) {
			if (errno != EINTR)
				r = -errno;
			continue;
		}
		if (p[0].revents)
			r = drain_queue(lr);
		for (size_t i = polled; i-- > 0;)
			if (p[2 + i].revents) {
				close(lr->members[i]);
				lr->members[i] = lr->members[--lr->nmembers];
			}
		if (p[1].revents)
			member_add(lr);
	}
	return r < 0 ? fw_error_set(err, r, "", "reading the DNS queue: %s",
				    strerror(-r))
		     : 0;
}

static void say(const struct learner *lr, int level, const char *what)
{
	char line[512];

	snprintf(line, sizeof(line), "learner %s container=%.64s queue=%u "
		 "answers=%lu learned=%lu evicted=%lu failed=%lu", what,
		 lr->id, LEARN_QUEUE, lr->answers, lr->learned, lr->evicted,
		 lr->failed);
	record_send(lr->rec, level, line);
}

static void learner_free(struct learner *lr)
{
	if (lr->nfq)
		mnl_socket_close(lr->nfq);
	if (lr->nft)
		mnl_socket_close(lr->nft);
	closep(&lr->listen_fd);
	for (size_t i = 0; i < lr->nmembers; i++)
		close(lr->members[i]);
	free(lr->entries);
}

int learn_run(struct learn *l, const struct ruleset *rs, int netns_fd,
	      const struct record *rec, const char *id, struct fw_error *err)
{
	struct learner lr = { .rs = rs, .rec = rec, .id = id,
			      .listen_fd = -1, .seq = 1 };
	char go;
	int r;

	if (recv(l->sock, &go, 1, 0) != 1) /* the hook failed */
		return -ECANCELED;
	r = setup(&lr, l, netns_fd, err);
	/* what the hook parsed and freed need not stay resident */
	malloc_trim(0);
	if (r == 0)
		r = confine_learner(err);
	tell_hook(l, r < 0 ? READY_FAILED : r ? READY_MEMBER : READY_LEARNER,
		  r < 0 ? err : NULL);
	if (r == 0) {
		say(&lr, LOG_INFO, "started");
		r = learn_loop(&lr, err);
		say(&lr, r < 0 ? LOG_ERR : LOG_INFO, "ended");
	}
	learner_free(&lr);
	return r < 0 ? r : 0;
}

void learn_close(struct learn *l)
{
	closep(&l->sock);
	closep(&l->pid_fd);
}
