/*
 * fuzz_config.c - libFuzzer target for the YAML config and rules loader
 * (cfg_load_string): any bytes must give a config or errors, never a
 * crash, a leak or a hang.  Errors are logged to stderr; that is fine.
 */
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cfg_free(cfg_load_string((const char *)data, size, "fuzz.yaml"));
	return 0;
}
