#include "CNVML.h"

#include <dlfcn.h>
#include <string.h>

typedef void *nvmlDevice_t;
typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; unsigned int gpuInstanceId; unsigned int computeInstanceId; } nvmlProcessInfo_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; } nvmlProcessInfo_v1_t;

#define NVML_FUNCTION_NOT_FOUND 13

static void *library;
static int (*p_initWithFlags)(unsigned int);
static int (*p_init)(void);
static int (*p_count)(unsigned int *);
static int (*p_handle)(unsigned int, nvmlDevice_t *);
static int (*p_name)(nvmlDevice_t, char *, unsigned int);
static int (*p_uuid)(nvmlDevice_t, char *, unsigned int);
static int (*p_util)(nvmlDevice_t, nvmlUtilization_t *);
static int (*p_memory)(nvmlDevice_t, nvmlMemory_t *);
static int (*p_temperature)(nvmlDevice_t, int, unsigned int *);
static int (*p_power)(nvmlDevice_t, unsigned int *);
static int (*p_energy)(nvmlDevice_t, unsigned long long *);
static int (*p_clock)(nvmlDevice_t, int, unsigned int *);
static int (*p_replay)(nvmlDevice_t, unsigned int *);
static int (*p_throttle)(nvmlDevice_t, unsigned long long *);
static int (*p_processes)(nvmlDevice_t, unsigned int *, nvmlProcessInfo_t *);
static int (*p_processes_v1)(nvmlDevice_t, unsigned int *, nvmlProcessInfo_v1_t *);
static const char *(*p_error)(int);

/// The first of `names` the library exports.
static void *probe(const char *const *names) {
    for (; *names; names++) {
        void *symbol = dlsym(library, *names);
        if (symbol) return symbol;
    }
    return NULL;
}

#define PROBE(target, ...) do { static const char *const names[] = { __VA_ARGS__, NULL }; *(void **)(&target) = probe(names); } while (0)

int cew_nvml_load(const char *path) {
    if (library) return 0;
    library = dlopen(path ? path : "libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) return -1;
    PROBE(p_initWithFlags, "nvmlInitWithFlags");
    PROBE(p_init, "nvmlInit_v2", "nvmlInit");
    PROBE(p_count, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
    PROBE(p_handle, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
    PROBE(p_name, "nvmlDeviceGetName");
    PROBE(p_uuid, "nvmlDeviceGetUUID");
    PROBE(p_util, "nvmlDeviceGetUtilizationRates");
    PROBE(p_memory, "nvmlDeviceGetMemoryInfo");
    PROBE(p_temperature, "nvmlDeviceGetTemperature");
    PROBE(p_power, "nvmlDeviceGetPowerUsage");
    PROBE(p_energy, "nvmlDeviceGetTotalEnergyConsumption");
    PROBE(p_clock, "nvmlDeviceGetClockInfo");
    PROBE(p_replay, "nvmlDeviceGetPcieReplayCounter");
    PROBE(p_throttle, "nvmlDeviceGetCurrentClocksEventReasons", "nvmlDeviceGetCurrentClocksThrottleReasons");
    PROBE(p_processes, "nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2");
    PROBE(p_processes_v1, "nvmlDeviceGetComputeRunningProcesses");
    PROBE(p_error, "nvmlErrorString");
    if ((!p_initWithFlags && !p_init) || !p_count || !p_handle) {
        dlclose(library);
        library = NULL;
        return -2;
    }
    return 0;
}

static int initialized;

int cew_nvml_init(void) {
    if (!library) return 12; /* NVML_ERROR_LIBRARY_NOT_FOUND */
    if (initialized) return 0;
    int rc = p_initWithFlags ? p_initWithFlags(1 /* NVML_INIT_FLAG_NO_GPUS */) : p_init();
    if (rc == 0) initialized = 1;
    return rc;
}

int cew_nvml_device_count(uint32_t *count) {
    if (!library) return 12;
    unsigned int value = 0;
    int rc = p_count(&value);
    *count = value;
    return rc;
}

#define CALL(fn, rc_field, ...) (out->rc_field = (fn) ? (fn)(__VA_ARGS__) : NVML_FUNCTION_NOT_FOUND)

int cew_nvml_read_device(uint32_t index, cew_nvml_device *out) {
    memset(out, 0, sizeof(*out));
    if (!library) return 12;
    nvmlDevice_t device = NULL;
    int rc = p_handle(index, &device);
    if (rc != 0) return rc;
    CALL(p_name, name_rc, device, out->name, sizeof(out->name));
    if (p_uuid) p_uuid(device, out->uuid, sizeof(out->uuid));
    nvmlUtilization_t util = {0, 0};
    CALL(p_util, util_rc, device, &util);
    out->gpu_util = util.gpu;
    out->mem_util = util.memory;
    nvmlMemory_t memory = {0, 0, 0};
    CALL(p_memory, memory_rc, device, &memory);
    out->fb_total = memory.total;
    out->fb_free = memory.free;
    out->fb_used = memory.used;
    CALL(p_temperature, temperature_rc, device, 0 /* NVML_TEMPERATURE_GPU */, &out->temperature);
    CALL(p_power, power_rc, device, &out->power_mw);
    unsigned long long energy = 0;
    CALL(p_energy, energy_rc, device, &energy);
    out->energy_mj = energy;
    CALL(p_clock, sm_clock_rc, device, 1 /* NVML_CLOCK_SM */, &out->sm_clock_mhz);
    CALL(p_clock, mem_clock_rc, device, 2 /* NVML_CLOCK_MEM */, &out->mem_clock_mhz);
    CALL(p_replay, pcie_replay_rc, device, &out->pcie_replay);
    unsigned long long reasons = 0;
    CALL(p_throttle, throttle_rc, device, &reasons);
    out->throttle_reasons = reasons;
    unsigned int count = CEW_NVML_MAX_PROCESSES;
    if (p_processes) {
        nvmlProcessInfo_t infos[CEW_NVML_MAX_PROCESSES];
        out->processes_rc = p_processes(device, &count, infos);
        if (out->processes_rc == 0) {
            out->process_count = count;
            for (unsigned int i = 0; i < count && i < CEW_NVML_MAX_PROCESSES; i++) {
                out->process_pid[i] = infos[i].pid;
                out->process_memory[i] = infos[i].usedGpuMemory;
            }
        }
    } else if (p_processes_v1) {
        nvmlProcessInfo_v1_t infos[CEW_NVML_MAX_PROCESSES];
        out->processes_rc = p_processes_v1(device, &count, infos);
        if (out->processes_rc == 0) {
            out->process_count = count;
            for (unsigned int i = 0; i < count && i < CEW_NVML_MAX_PROCESSES; i++) {
                out->process_pid[i] = infos[i].pid;
                out->process_memory[i] = infos[i].usedGpuMemory;
            }
        }
    } else {
        out->processes_rc = NVML_FUNCTION_NOT_FOUND;
    }
    return 0;
}

const char *cew_nvml_error_string(int code) {
    if (library && p_error) return p_error(code);
    return code == 12 ? "NVML library not found" : "NVML error";
}
