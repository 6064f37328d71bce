#include "CSnappy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* snappy-c.h's functions; their status is 0 OK, 1 invalid input, 2 buffer too small. */
static int (*p_compress)(const char *, size_t, char *, size_t *);
static int (*p_uncompress)(const char *, size_t, char *, size_t *);
static size_t (*p_max_compressed_length)(size_t);
static int (*p_uncompressed_length)(const char *, size_t, size_t *);

/* Held while loading: the symbols are process-wide, and read only after a load that returned 0. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static int attempted;
static int loaded = -1;
static char load_error[512];

#define SYMBOL(target, name)                                                                        \
    do {                                                                                            \
        *(void **)(&target) = dlsym(library, name);                                                 \
        if (!target) {                                                                              \
            snprintf(load_error, sizeof load_error, "%s lacks %s", path, name);                     \
            return;                                                                                 \
        }                                                                                           \
    } while (0)

static void load_locked(const char *path) {
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why ? why : path);
        return;
    }
    SYMBOL(p_compress, "snappy_compress");
    SYMBOL(p_uncompress, "snappy_uncompress");
    SYMBOL(p_max_compressed_length, "snappy_max_compressed_length");
    SYMBOL(p_uncompressed_length, "snappy_uncompressed_length");
    loaded = 0;
}

int cew_snappy_load(const char *path) {
    pthread_mutex_lock(&load_lock);
    if (!attempted) {
        attempted = 1;
        load_locked(path ? path : "libsnappy.so.1");
    }
    int result = loaded;
    pthread_mutex_unlock(&load_lock);
    return result;
}

const char *cew_snappy_load_error(void) { return load_error; }

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
