#ifndef C_NVML_H
#define C_NVML_H

#include <stdint.h>

/// NVML loaded at run time with dlopen, so edgewatch runs where no NVIDIA driver is installed.
/// Only the handful of NVML calls edgewatch uses are declared here (ABI as in nvml.h);
/// versioned symbols (_v3, _v2) are probed before the plain ones.

#define CEW_NVML_MAX_PROCESSES 64

/// One GPU's readings. Each *_rc field holds the NVML return code of its call
/// (0 success, 3 not supported, 15 GPU lost, …; 13 when the symbol is missing).
typedef struct {
    char name[96];
    char uuid[96];
    int32_t name_rc;
    uint32_t gpu_util;
    uint32_t mem_util;
    int32_t util_rc;
    uint64_t fb_total;
    uint64_t fb_free;
    uint64_t fb_used;
    int32_t memory_rc;
    uint32_t temperature;
    int32_t temperature_rc;
    uint32_t power_mw;
    int32_t power_rc;
    uint64_t energy_mj;
    int32_t energy_rc;
    uint32_t sm_clock_mhz;
    int32_t sm_clock_rc;
    uint32_t mem_clock_mhz;
    int32_t mem_clock_rc;
    uint32_t pcie_replay;
    int32_t pcie_replay_rc;
    uint64_t throttle_reasons;
    int32_t throttle_rc;
    uint32_t process_count;
    uint32_t process_pid[CEW_NVML_MAX_PROCESSES];
    uint64_t process_memory[CEW_NVML_MAX_PROCESSES];
    int32_t processes_rc;
} cew_nvml_device;

/// dlopen()s `path` (NULL: "libnvidia-ml.so.1") and resolves symbols. 0 on success, -1 when the
/// library cannot be loaded, -2 when a required symbol is missing. Idempotent.
int cew_nvml_load(const char *path);
/// nvmlInitWithFlags(NO_GPUS) or nvmlInit_v2; the NVML return code.
int cew_nvml_init(void);
/// nvmlDeviceGetCount; the NVML return code.
int cew_nvml_device_count(uint32_t *count);
/// Fills `out` for GPU `index`; the return code of getting its handle.
int cew_nvml_read_device(uint32_t index, cew_nvml_device *out);
/// Drains pending XID events (registering for them on first use). The NVML return code of
/// registering (0 when events work, 3 when the GPU or driver does not support them).
int cew_nvml_poll_xid(void);
/// The last XID seen on GPU `index` and how many were seen since the agent started.
void cew_nvml_xid(uint32_t index, uint64_t *last, uint64_t *total);
/// nvmlErrorString, or a fixed text when the library is not loaded.
const char *cew_nvml_error_string(int code);

#endif
