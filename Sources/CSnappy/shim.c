#include "CSnappy.h"

#include "CLibraryLoader.h"

/* snappy-c.h's functions; their status is 0 OK, 1 invalid input, 2 buffer too small. */
static int (*p_compress)(const char *, size_t, char *, size_t *);
static int (*p_uncompress)(const char *, size_t, char *, size_t *);
static size_t (*p_max_compressed_length)(size_t);
static int (*p_uncompressed_length)(const char *, size_t, size_t *);

static cew_library snappy = CEW_LIBRARY_INIT;

int cew_snappy_load(const char *path) {
    static const char *const names[] = {"snappy_compress", "snappy_uncompress", "snappy_max_compressed_length",
                                        "snappy_uncompressed_length"};
    void **const targets[] = {(void **)&p_compress, (void **)&p_uncompress, (void **)&p_max_compressed_length,
                              (void **)&p_uncompressed_length};
    return cew_library_load(&snappy, path ? path : "libsnappy.so.1", sizeof names / sizeof names[0], names, targets);
}

const char *cew_snappy_load_error(void) { return snappy.error; }

size_t cew_snappy_max_compressed_length(size_t length) { return p_max_compressed_length(length); }

int cew_snappy_compress(const char *input, size_t length, char *output, size_t *output_length) {
    return p_compress(input, length, output, output_length);
}

int cew_snappy_uncompressed_length(const char *input, size_t length, size_t *result) {
    return p_uncompressed_length(input, length, result);
}

int cew_snappy_uncompress(const char *input, size_t length, char *output, size_t *output_length) {
    return p_uncompress(input, length, output, output_length);
}
