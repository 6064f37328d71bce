#ifndef C_EDGEWATCH_LINUX_H
#define C_EDGEWATCH_LINUX_H

#include <stdint.h>

/// A flat copy of `struct timex` (whose padding bitfields Swift cannot import), read with modes = 0.
typedef struct {
    int32_t state;
    int32_t status;
    int64_t offset;
    int64_t freq;
    int64_t maxerror;
    int64_t esterror;
    int64_t constant;
    int64_t precision;
    int64_t tolerance;
    int64_t tick;
    int64_t ppsfreq;
    int64_t jitter;
    int32_t shift;
    int64_t stabil;
    int64_t jitcnt;
    int64_t calcnt;
    int64_t errcnt;
    int64_t stbcnt;
    int32_t tai;
} cew_timex_reading;

/// Reads the kernel clock state without changing it. Returns 0 on success, -errno on failure.
int cew_adjtimex_read(cew_timex_reading *out);

/// Gives the allocator's free pages back to the kernel (glibc's malloc_trim(0)); 1 when some were.
int cew_release_free_heap(void);

/// Fixes glibc's mmap threshold at `bytes` (mallopt M_MMAP_THRESHOLD), which otherwise rises to the
/// largest block freed, so that large buffers then come from the heap and stay resident. 1 on success.
int cew_fix_mmap_threshold(int bytes);

/// The type of the filesystem holding the open file `fd` (statfs's `f_type`: 0x62656572 sysfs,
/// 0x9fa0 proc, …); -1 when fstatfs(2) fails.
int64_t cew_filesystem_type(int fd);

#endif
