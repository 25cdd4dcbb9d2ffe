/*
 * inputs.h - the -r inputs: files, '-' (stdin) and directories.
 *
 * A directory stands for every regular file in it whose name does not
 * start with '.', in the order of their first packet's time (then by
 * name); each must be a capture.  There is no limit on the number of
 * inputs.  inputs_check() opens every input once, before any output is
 * opened, so a bad file fails the run before the first record; the
 * files are closed again (only stdin stays open) and inputs_open()
 * reopens them one at a time while they are read, so thousands of files
 * never hold thousands of descriptors.
 */
#ifndef INPUTS_H
#define INPUTS_H

#include <stddef.h>
#include <stdint.h>

struct capture;

#define INPUTS_HOLD	64	/* inputs kept open from inputs_check */

struct inputs {
	char		**paths;	/* owned */
	uint64_t	 *sizes;	/* bytes, 0 = unknown (stdin) */
	int		  n;
	int		  cap;
	struct capture	**held;		/* [n], opened by inputs_check */
};

void	inputs_init(struct inputs *in);
/* Adds one -r argument (a file, '-' or a directory).  0 or -1 (err). */
int	inputs_add(struct inputs *in, const char *arg, char *err,
	    size_t errlen);
/* Opens every input and installs bpf (NULL: none).  0, or -1 with err
 * and *bad_filter set when the filter was the problem. */
int	inputs_check(struct inputs *in, const char *bpf, int *bad_filter,
	    char *err, size_t errlen);
/* Opens input i for reading (with bpf).  NULL with err on failure. */
struct capture *inputs_open(struct inputs *in, int i, const char *bpf,
	    char *err, size_t errlen);
uint64_t inputs_total(const struct inputs *in);	/* sum of sizes */
void	inputs_fini(struct inputs *in);

#endif /* INPUTS_H */
