#include "CCrypto.h"

#include <dlfcn.h>
#include <pthread.h>

typedef unsigned char *(*sha256_function)(const unsigned char *, size_t, unsigned char *);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sha256_function sha256;

static void load(void) {
    static const char *const names[] = {"libcrypto.so.3", "libcrypto.so", NULL};
    for (const char *const *name = names; *name; name++) {
        void *library = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
        if (!library) continue;
        sha256 = (sha256_function)dlsym(library, "SHA256");
        if (sha256) return;
        dlclose(library);
    }
}

int cew_sha256(const uint8_t *data, size_t length, uint8_t *digest) {
    pthread_once(&once, load);
    if (!sha256) return -1;
    sha256(data, length, digest);
    return 0;
}
