/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer's driver entry point. SwiftPM links executables with --defsym main=<Module>_main, so libFuzzer's own
 * main never runs; SignetFuzz calls the driver itself. Only linked when built with -sanitize=fuzzer. */
#ifndef SIGNET_CFUZZERDRIVER_H
#define SIGNET_CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
