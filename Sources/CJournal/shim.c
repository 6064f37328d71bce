#include "CJournal.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef union {
    uint8_t bytes[16];
    uint64_t qwords[2];
} cew_id128;

static struct {
    int (*open)(void **, int);
    int (*open_directory)(void **, const char *, int);
    void (*close)(void *);
    int (*add_match)(void *, const void *, size_t);
    int (*add_disjunction)(void *);
    int (*seek_head)(void *);
    int (*seek_realtime_usec)(void *, uint64_t);
    int (*seek_cursor)(void *, const char *);
    int (*test_cursor)(void *, const char *);
    int (*next)(void *);
    int (*get_realtime_usec)(void *, uint64_t *);
    int (*get_monotonic_usec)(void *, uint64_t *, cew_id128 *);
    int (*get_data)(void *, const char *, const void **, size_t *);
    int (*get_cursor)(void *, char **);
} api;

static int loaded = -ENOSYS;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define RESOLVE(name, symbol)                                 \
    do {                                                      \
        *(void **)(&api.name) = dlsym(handle, symbol);        \
        if (api.name == NULL) return;                         \
    } while (0)

static void load(void) {
    /* EDGEWATCH_SYSTEMD_LIBRARY names another library (tests: a missing one). */
    const char *path = getenv("EDGEWATCH_SYSTEMD_LIBRARY");
    void *handle = dlopen(path != NULL && *path != 0 ? path : "libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) return;
    RESOLVE(open, "sd_journal_open");
    RESOLVE(open_directory, "sd_journal_open_directory");
    RESOLVE(close, "sd_journal_close");
    RESOLVE(add_match, "sd_journal_add_match");
    RESOLVE(add_disjunction, "sd_journal_add_disjunction");
    RESOLVE(seek_head, "sd_journal_seek_head");
    RESOLVE(seek_realtime_usec, "sd_journal_seek_realtime_usec");
    RESOLVE(seek_cursor, "sd_journal_seek_cursor");
    RESOLVE(test_cursor, "sd_journal_test_cursor");
    RESOLVE(next, "sd_journal_next");
    RESOLVE(get_realtime_usec, "sd_journal_get_realtime_usec");
    RESOLVE(get_monotonic_usec, "sd_journal_get_monotonic_usec");
    RESOLVE(get_data, "sd_journal_get_data");
    RESOLVE(get_cursor, "sd_journal_get_cursor");
    loaded = 0;
}

int cew_journal_load(void) {
    pthread_once(&once, load);
    return loaded;
}

int cew_journal_open(const char *path, cew_journal **out) {
    if (cew_journal_load() != 0) return -ENOSYS;
    void *journal = NULL;
    /* 1 = SD_JOURNAL_LOCAL_ONLY */
    int r = path == NULL ? api.open(&journal, 1) : api.open_directory(&journal, path, 0);
    *out = (cew_journal *)journal;
    return r;
}

void cew_journal_close(cew_journal *journal) {
    if (journal != NULL && loaded == 0) api.close(journal);
}

int cew_journal_add_match(cew_journal *journal, const char *match) { return api.add_match(journal, match, strlen(match)); }
int cew_journal_add_disjunction(cew_journal *journal) { return api.add_disjunction(journal); }
int cew_journal_seek_head(cew_journal *journal) { return api.seek_head(journal); }
int cew_journal_seek_realtime(cew_journal *journal, uint64_t usec) { return api.seek_realtime_usec(journal, usec); }
int cew_journal_seek_cursor(cew_journal *journal, const char *cursor) { return api.seek_cursor(journal, cursor); }
int cew_journal_test_cursor(cew_journal *journal, const char *cursor) { return api.test_cursor(journal, cursor); }
int cew_journal_next(cew_journal *journal) { return api.next(journal); }
int cew_journal_realtime(cew_journal *journal, uint64_t *usec) { return api.get_realtime_usec(journal, usec); }

int cew_journal_monotonic(cew_journal *journal, uint64_t *usec, char boot_id[33]) {
    cew_id128 id;
    int r = api.get_monotonic_usec(journal, usec, &id);
    if (r < 0) return r;
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        boot_id[2 * i] = digits[id.bytes[i] >> 4];
        boot_id[2 * i + 1] = digits[id.bytes[i] & 15];
    }
    boot_id[32] = 0;
    return r;
}

int cew_journal_field(cew_journal *journal, const char *field, const char **value, size_t *length) {
    const void *data = NULL;
    size_t size = 0;
    int r = api.get_data(journal, field, &data, &size);
    if (r < 0) return r;
    size_t prefix = strlen(field) + 1;
    if (size < prefix) return -EBADMSG;
    *value = (const char *)data + prefix;
    *length = size - prefix;
    return 0;
}

int cew_journal_cursor(cew_journal *journal, char **cursor) { return api.get_cursor(journal, cursor); }
void cew_journal_free(void *pointer) { free(pointer); }
