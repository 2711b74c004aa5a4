/* SPDX-License-Identifier: MIT */
/* cpus_test.c - the CPUs this process may use: the default of -j */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpus.h"
#include "util.h"
#include "tap.h"

static char root[64];

/* Writes TEXT to ROOT/PATH, making its directories. */
static void
put(const char *path, const char *text)
{
	char *full = xasprintf("%s/%s", root, path), *cmd, *slash;
	FILE *fp;

	slash = strrchr(full, '/');
	*slash = '\0';
	cmd = xasprintf("mkdir -p '%s'", full);
	if (system(cmd) != 0)
		printf("# mkdir failed: %s\n", full);
	*slash = '/';
	if ((fp = fopen(full, "w")) != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
	free(cmd);
	free(full);
}

static void
clean(void)
{
	char *cmd = xasprintf("rm -rf '%s'/proc '%s'/sys", root, root);

	if (system(cmd) != 0)
		printf("# cleaning failed\n");
	free(cmd);
}

static long
quota(void)
{
	struct cpus c;

	cpus_usable(root, &c);
	return c.quota;
}

static void
test_v2(void)
{
	put("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
	put("sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "150000 100000\n");
	is_int(quota(), 2, "v2: 1.5 CPUs round up to 2");
	put("sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "max 100000\n");
	is_int(quota(), 0, "v2: max is no quota");
	put("sys/fs/cgroup/kubepods/pod1/cpu.max", "100000 100000\n");
	is_int(quota(), 1, "v2: a parent's quota binds the child");
	put("sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "300000 100000\n");
	put("sys/fs/cgroup/kubepods/cpu.max", "50000 100000\n");
	is_int(quota(), 1, "v2: the smallest along the path, 0.5 -> 1");
	clean();
	/* A container with its own cgroup namespace: PATH is "/". */
	put("proc/self/cgroup", "0::/\n");
	put("sys/fs/cgroup/cpu.max", "400000 100000\n");
	is_int(quota(), 4, "v2: the namespace's root");
	clean();
}

static void
test_v1(void)
{
	put("proc/self/cgroup",
	    "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n0::/\n");
	put("sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us", "250000\n");
	put("sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us", "100000\n");
	is_int(quota(), 3, "v1: 2.5 CPUs round up to 3");
	put("sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us", "-1\n");
	is_int(quota(), 0, "v1: -1 is no quota");
	clean();
	/* Inside the container the host's path is not mounted: the top. */
	put("proc/self/cgroup", "2:cpu,cpuacct:/docker/abc\n");
	put("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "100000\n");
	put("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");
	is_int(quota(), 1, "v1: the mount's top when the path is not there");
	clean();
}

static void
test_usable(void)
{
	struct cpus c;
	cpu_set_t set;
	long n;

	put("proc/self/cgroup", "0::/\n");
	n = cpus_usable(root, &c);
	ok(sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    c.affinity == CPU_COUNT(&set), "the affinity mask is counted");
	is_int(n, c.affinity, "no quota: the affinity mask's CPUs");
	ok(c.online >= c.affinity, "online >= affinity");
	put("sys/fs/cgroup/cpu.max", "100000 100000\n");
	is_int(cpus_usable(root, NULL), 1, "a quota of 1 CPU: 1");
	put("sys/fs/cgroup/cpu.max", "6400000 100000\n");
	is_int(cpus_usable(root, NULL), c.affinity,
	    "a quota above the affinity: the affinity");
	clean();
	is_int(quota(), 0, "no /proc/self/cgroup: no quota");
	ok(cpus_usable("", NULL) >= 1, "the real machine: at least 1");
}

int
main(void)
{
	snprintf(root, sizeof(root), "/tmp/logq-cpus-test.XXXXXX");
	if (mkdtemp(root) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_v2();
	test_v1();
	test_usable();
	rmdir(root);
	return done_testing();
}
