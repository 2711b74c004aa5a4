/* SPDX-License-Identifier: MIT */
/* cpus.h - how many CPUs this process may use: the default of -j */
#ifndef LOGQ_CPUS_H
#define LOGQ_CPUS_H

struct cpus {
	long	online;		/* sysconf(_SC_NPROCESSORS_ONLN) */
	long	affinity;	/* CPUs in sched_getaffinity's mask */
	long	quota;		/* a cgroup CPU quota rounded up; 0 if none */
};

/*
 * The CPUs this process may use: its affinity mask (taskset, a cpuset),
 * further bounded by a cgroup v2 cpu.max or v1 cfs quota (a container's
 * --cpus), at least 1. ROOT prefixes /proc and /sys/fs/cgroup ("" for
 * the real ones; tests give a directory of fakes). WHY, if not NULL,
 * gets the three readings.
 */
long	cpus_usable(const char *root, struct cpus *why);

#endif
