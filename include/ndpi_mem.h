/*
 * ndpi_mem.h - where nDPI's memory comes from.
 *
 * nDPI builds its tables (host and IP lists: tens of thousands of small
 * tree nodes, about 5 MB) once per classifier, and they live exactly as
 * long as it.  Through malloc that is a third of a short run: one page
 * fault per 4 KiB page (about 2.6 us each on a VM) and the allocator's
 * bookkeeping, then as long again to free them at exit.  While a thread
 * builds them (between ndpi_mem_build_begin and _end) its nDPI
 * allocations come instead from one region asking for huge pages, by a
 * bump pointer; nDPI's frees of them are no-ops, and the region is given
 * back when the last classifier is gone.  Everything else nDPI allocates
 * (per-flow buffers while classifying) goes to malloc as before.  When
 * the region is full or cannot be mapped, malloc serves the rest.
 */
#ifndef NDPI_MEM_H
#define NDPI_MEM_H

#define NDPI_MEM_REGION	(64u << 20)	/* address space reserved (bytes) */

/* Installs the hooks (once) and starts a build on this thread (locked). */
void	ndpi_mem_build_begin(void);
/* Ends this thread's build; the classifier holds the region until _put. */
void	ndpi_mem_build_end(void);
/* A classifier's nDPI module was freed; the last one gives the region back. */
void	ndpi_mem_put(void);
/* Bytes of the region in use, for tests and -v. */
unsigned long ndpi_mem_region_used(void);

#endif /* NDPI_MEM_H */
