#include "CEdgewatchLinux.h"

#include <errno.h>
#include <string.h>
#if defined(__linux__)
#include <sys/statfs.h>
#include <sys/timex.h>
#endif

int cew_adjtimex_read(cew_timex_reading *out) {
#if defined(__linux__)
    struct timex tx;
    memset(&tx, 0, sizeof(tx));
    tx.modes = 0;
    int state = adjtimex(&tx);
    if (state < 0) {
        return -errno;
    }
    out->state = state;
    out->status = tx.status;
    out->offset = tx.offset;
    out->freq = tx.freq;
    out->maxerror = tx.maxerror;
    out->esterror = tx.esterror;
    out->constant = tx.constant;
    out->precision = tx.precision;
    out->tolerance = tx.tolerance;
    out->tick = tx.tick;
    out->ppsfreq = tx.ppsfreq;
    out->jitter = tx.jitter;
    out->shift = tx.shift;
    out->stabil = tx.stabil;
    out->jitcnt = tx.jitcnt;
    out->calcnt = tx.calcnt;
    out->errcnt = tx.errcnt;
    out->stbcnt = tx.stbcnt;
    out->tai = tx.tai;
    return 0;
#else
    (void)out;
    return -ENOSYS;
#endif
}

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int cew_release_free_heap(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

int cew_fix_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

int64_t cew_filesystem_type(int fd) {
#if defined(__linux__)
    struct statfs info;
    if (fstatfs(fd, &info) != 0) {
        return -1;
    }
    return (int64_t)info.f_type;
#else
    (void)fd;
    return -1;
#endif
}
