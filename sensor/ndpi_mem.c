/*
 * ndpi_mem.c - nDPI's tables from one huge-page region (ndpi_mem.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <ndpi_api.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "ndpi_mem.h"
#include "util.h"

#define ALIGN	16u		/* what malloc promises (bytes) */

static pthread_once_t	 once = PTHREAD_ONCE_INIT;
static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static char		*base;		/* NULL: no region (malloc only) */
static size_t		 used;		/* under mu */
static unsigned		 live;		/* classifiers built, under mu */
static __thread bool	 building;	/* this thread holds mu */

static void *
mem_alloc(size_t n)
{
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	void *p;

	if (building && base != NULL && n <= NDPI_MEM_REGION &&
	    need <= NDPI_MEM_REGION - used) {
		p = base + used;
		used += need;
		return p;
	}
	return malloc(n);
}

static void
mem_free(void *p)
{
	/* base and the region's bounds are fixed once the hooks are in. */
	if (base != NULL && (char *)p >= base &&
	    (char *)p < base + NDPI_MEM_REGION)
		return;		/* goes with the region */
	free(p);
}

static void
mem_setup(void)
{
	const uintptr_t huge = 2u << 20;
	void *p;

	/* A huge page more, so the region can start on one. */
	p = mmap(NULL, NDPI_MEM_REGION + huge, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p != MAP_FAILED) {
		base = (char *)(((uintptr_t)p + huge - 1) & ~(huge - 1));
		util_hugepages(base, NDPI_MEM_REGION);
#ifdef __SANITIZE_ADDRESS__
		/* nDPI's tables point at what it mallocs later: scan them. */
		__lsan_register_root_region(base, NDPI_MEM_REGION);
#endif
	}
	set_ndpi_malloc(mem_alloc);
	set_ndpi_free(mem_free);
}

void
ndpi_mem_build_begin(void)
{
	(void)pthread_once(&once, mem_setup);
	(void)pthread_mutex_lock(&mu);
	live++;
	building = true;
}

void
ndpi_mem_build_end(void)
{
	building = false;
	(void)pthread_mutex_unlock(&mu);
}

void
ndpi_mem_put(void)
{
	(void)pthread_mutex_lock(&mu);
	if (live > 0 && --live == 0 && base != NULL && used > 0) {
		(void)madvise(base, used, MADV_DONTNEED);
		used = 0;
	}
	(void)pthread_mutex_unlock(&mu);
}

unsigned long
ndpi_mem_region_used(void)
{
	unsigned long n;

	(void)pthread_mutex_lock(&mu);
	n = (unsigned long)used;
	(void)pthread_mutex_unlock(&mu);
	return n;
}
