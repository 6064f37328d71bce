#ifndef CJOURNAL_H
#define CJOURNAL_H

#include <stddef.h>
#include <stdint.h>

/* libsystemd's sd-journal API, opened with dlopen on first use so that neither the agent nor a
 * machine without systemd maps libsystemd unless logs are read. Every call returns a negative
 * errno on failure, as sd-journal does; -ENOSYS when libsystemd.so.0 is missing. */

typedef struct cew_journal cew_journal;

/* 0 when libsystemd.so.0 and every needed symbol were found. */
int cew_journal_load(void);

/* path == NULL: the local system journal. */
int cew_journal_open(const char *path, cew_journal **out);
void cew_journal_close(cew_journal *journal);
int cew_journal_add_match(cew_journal *journal, const char *match);
int cew_journal_add_disjunction(cew_journal *journal);
int cew_journal_seek_head(cew_journal *journal);
int cew_journal_seek_realtime(cew_journal *journal, uint64_t usec);
int cew_journal_seek_cursor(cew_journal *journal, const char *cursor);
int cew_journal_test_cursor(cew_journal *journal, const char *cursor);
int cew_journal_next(cew_journal *journal);
int cew_journal_realtime(cew_journal *journal, uint64_t *usec);
/* boot_id receives 32 lowercase hex digits and a NUL. */
int cew_journal_monotonic(cew_journal *journal, uint64_t *usec, char boot_id[33]);
/* The value of FIELD (without "FIELD="), not NUL-terminated; valid until the next call. */
int cew_journal_field(cew_journal *journal, const char *field, const char **value, size_t *length);
/* A malloc'ed cursor the caller frees with cew_journal_free. */
int cew_journal_cursor(cew_journal *journal, char **cursor);
void cew_journal_free(void *pointer);

#endif
