/* SPDX-License-Identifier: MIT */
/* cpus.c - how many CPUs this process may use: the default of -j
 *
 * sysconf's count of online CPUs is the machine's, not ours: a process
 * pinned by taskset or a container given --cpus=1 would start a thread
 * per host CPU and have them fight over one. Go's runtime (since 1.25)
 * and Java's (since 10) look at the affinity mask and the cgroup quota;
 * so do we.
 */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpus.h"
#include "util.h"

/* The first line of PATH in BUF; 0 if it cannot be read. */
static int
read_line(const char *path, char *buf, size_t size)
{
	FILE *fp = fopen(path, "r");
	int ok;

	if (fp == NULL)
		return 0;
	ok = fgets(buf, (int)size, fp) != NULL;
	fclose(fp);
	return ok;
}

/* CPUs allowed by QUOTA over PERIOD microseconds, rounded up; 0 for no
 * limit or an unreadable one. */
static long
quota_cpus(long long quota, long long period)
{
	if (quota <= 0 || period <= 0)
		return 0;
	return (long)((quota + period - 1) / period);
}

/* cgroup v2: the smallest cpu.max from PATH up to the hierarchy's root
 * under BASE (a parent's limit binds its children). */
static long
v2_quota(const char *base, const char *path)
{
	char *p = xstrdup(*path == '/' ? path : "/"), *slash, line[128];
	long best = 0;

	for (;;) {
		char *file = xasprintf("%s%s/cpu.max", base,
		    strcmp(p, "/") == 0 ? "" : p);
		long long q, per;

		if (read_line(file, line, sizeof(line)) &&
		    sscanf(line, "%lld %lld", &q, &per) == 2) {
			long n = quota_cpus(q, per);

			if (n > 0 && (best == 0 || n < best))
				best = n;
		}
		free(file);
		if (strcmp(p, "/") == 0)
			break;
		slash = strrchr(p, '/');
		slash[slash == p] = '\0';
	}
	free(p);
	return best;
}

/* cgroup v1: cpu.cfs_quota_us over cpu.cfs_period_us in the cpu
 * controller's directory for PATH, or at its mount's top (a container
 * sees its own cgroup there). */
static long
v1_quota(const char *root, const char *mount, const char *path)
{
	const char *dirs[2];
	size_t i;
	long best = 0;

	dirs[0] = path;
	dirs[1] = "";
	for (i = 0; i < 2; i++) {
		char *qf = xasprintf("%s/sys/fs/cgroup/%s%s/cpu.cfs_quota_us",
		    root, mount, dirs[i]);
		char *pf = xasprintf("%s/sys/fs/cgroup/%s%s/cpu.cfs_period_us",
		    root, mount, dirs[i]);
		char q[64], per[64];

		if (read_line(qf, q, sizeof(q)) &&
		    read_line(pf, per, sizeof(per)))
			best = quota_cpus(atoll(q), atoll(per));
		free(qf);
		free(pf);
		if (best > 0 || strcmp(path, "/") == 0)
			break;
	}
	return best;
}

static long
cgroup_quota(const char *root)
{
	char *file = xasprintf("%s/proc/self/cgroup", root), line[4096];
	FILE *fp = fopen(file, "r");
	long best = 0;

	free(file);
	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *ctl, *path, *nl, *base;
		long n = 0;

		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		/* ID:CONTROLLERS:PATH */
		if ((ctl = strchr(line, ':')) == NULL ||
		    (path = strchr(ctl + 1, ':')) == NULL)
			continue;
		*path++ = '\0';
		*ctl++ = '\0';
		if (strcmp(line, "0") == 0 && *ctl == '\0') {
			base = xasprintf("%s/sys/fs/cgroup", root);
			n = v2_quota(base, path);
			free(base);
		} else {
			char *save = NULL, *c, *copy = xstrdup(ctl);
			int cpu = 0;

			for (c = strtok_r(copy, ",", &save); c != NULL;
			    c = strtok_r(NULL, ",", &save))
				cpu |= strcmp(c, "cpu") == 0;
			free(copy);
			if (cpu)
				n = v1_quota(root, "cpu", path);
		}
		if (n > 0 && (best == 0 || n < best))
			best = n;
	}
	fclose(fp);
	return best;
}

long
cpus_usable(const char *root, struct cpus *why)
{
	struct cpus c = { 0 };
	cpu_set_t set;
	long n;

	c.online = sysconf(_SC_NPROCESSORS_ONLN);
	if (c.online < 1)
		c.online = 1;
	c.affinity = c.online;
	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    CPU_COUNT(&set) > 0)
		c.affinity = CPU_COUNT(&set);
	c.quota = cgroup_quota(root);
	n = c.affinity;
	if (c.quota > 0 && c.quota < n)
		n = c.quota;
	if (why != NULL)
		*why = c;
	return n > 0 ? n : 1;
}
