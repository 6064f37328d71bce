#include "CJournal.h"

#include "CLibraryLoader.h"

#include <errno.h>
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

static cew_library libsystemd = CEW_LIBRARY_INIT;

int cew_journal_load(void) {
    static const char *const names[] = {
        "sd_journal_open",
        "sd_journal_open_directory",
        "sd_journal_close",
        "sd_journal_add_match",
        "sd_journal_add_disjunction",
        "sd_journal_seek_head",
        "sd_journal_seek_realtime_usec",
        "sd_journal_seek_cursor",
        "sd_journal_test_cursor",
        "sd_journal_next",
        "sd_journal_get_realtime_usec",
        "sd_journal_get_monotonic_usec",
        "sd_journal_get_data",
        "sd_journal_get_cursor"};
    void **const targets[] = {
        (void **)&api.open,
        (void **)&api.open_directory,
        (void **)&api.close,
        (void **)&api.add_match,
        (void **)&api.add_disjunction,
        (void **)&api.seek_head,
        (void **)&api.seek_realtime_usec,
        (void **)&api.seek_cursor,
        (void **)&api.test_cursor,
        (void **)&api.next,
        (void **)&api.get_realtime_usec,
        (void **)&api.get_monotonic_usec,
        (void **)&api.get_data,
        (void **)&api.get_cursor};
    /* EDGEWATCH_SYSTEMD_LIBRARY names another library (tests: a missing one). */
    const char *path = getenv("EDGEWATCH_SYSTEMD_LIBRARY");
    const char *library = path != NULL && *path != 0 ? path : "libsystemd.so.0";
    return cew_library_load(&libsystemd, library, sizeof names / sizeof names[0], names, targets) == 0 ? 0 : -ENOSYS;
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
    /* Only an opened journal is ever passed here, so the library is loaded. */
    if (journal != NULL) api.close(journal);
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
