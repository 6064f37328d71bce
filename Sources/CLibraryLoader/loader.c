#include "CLibraryLoader.h"

#include <dlfcn.h>
#include <stdio.h>

static void load_locked(cew_library *library, const char *path, size_t count, const char *const names[], void **const targets[]) {
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(library->error, sizeof library->error, "%s", why ? why : path);
        return;
    }
    library->handle = handle;
    for (size_t index = 0; index < count; index++) {
        *targets[index] = dlsym(handle, names[index]);
        if (!*targets[index]) {
            snprintf(library->error, sizeof library->error, "%s lacks %s", path, names[index]);
            return;
        }
    }
    library->loaded = 0;
}

int cew_library_load(cew_library *library, const char *path, size_t count, const char *const names[], void **const targets[]) {
    pthread_mutex_lock(&library->lock);
    if (!library->attempted) {
        library->attempted = 1;
        load_locked(library, path, count, names, targets);
    }
    int result = library->loaded;
    pthread_mutex_unlock(&library->lock);
    return result;
}
