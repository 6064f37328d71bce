#ifndef CLIBRARYLOADER_H
#define CLIBRARYLOADER_H

#include <pthread.h>
#include <stddef.h>

/* A shared library opened with dlopen on first use and its symbols resolved, once per process:
 * only a process that uses the feature maps the library (libpq, libsnappy, libsystemd). */
typedef struct cew_library {
    pthread_mutex_t lock;
    int attempted;
    /* 0 once every symbol resolved, -1 otherwise (then `error` says why). */
    int loaded;
    char error[512];
    /* dlopen's handle once opened (for symbols a caller resolves itself, as optional ones). */
    void *handle;
} cew_library;

#define CEW_LIBRARY_INIT {PTHREAD_MUTEX_INITIALIZER, 0, -1, "", NULL}

/* Opens `path` on the first call only (the first caller's path wins) and stores the address of
 * each of the `count` `names` in the function pointer `targets` points at; returns 0 when the
 * library opened and every symbol resolved, -1 otherwise. Later calls return the first result. */
int cew_library_load(cew_library *library, const char *path, size_t count, const char *const names[], void **const targets[]);

#endif
