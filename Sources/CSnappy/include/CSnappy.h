#ifndef CSNAPPY_H
#define CSNAPPY_H

#include <stddef.h>

/* Snappy (Debian's libsnappy1v5), opened with dlopen on first use: only a hub with remote_write
 * targets maps it, so the agent and a hub without targets need neither the library nor its C++
 * runtime. Every function but cew_snappy_load wants it loaded. */

/* 0 when the library (path, or libsnappy.so.1 when NULL) and every needed symbol were found; -1
 * otherwise, with cew_snappy_load_error() saying why. Loads once; later calls answer the same. */
int cew_snappy_load(const char *path);
const char *cew_snappy_load_error(void);

/* The most bytes compressing `length` bytes can take. */
size_t cew_snappy_max_compressed_length(size_t length);
/* Compresses into `output` (room for cew_snappy_max_compressed_length bytes); 0 on success with
 * *output_length set to the bytes written. */
int cew_snappy_compress(const char *input, size_t length, char *output, size_t *output_length);
/* The length a compressed buffer inflates to; 0 on success. */
int cew_snappy_uncompressed_length(const char *input, size_t length, size_t *result);
/* Inflates into `output` (*output_length bytes of room); 0 on success, with *output_length set. */
int cew_snappy_uncompress(const char *input, size_t length, char *output, size_t *output_length);

#endif
