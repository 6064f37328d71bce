#include "CNVML.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

typedef void *nvmlDevice_t;
typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; unsigned int gpuInstanceId; unsigned int computeInstanceId; } nvmlProcessInfo_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; } nvmlProcessInfo_v1_t;

#define NVML_FUNCTION_NOT_FOUND 13

/* Every entry point holds this lock: the library handle, the probed symbols, the init flag and the
   XID event state are process-wide, and NVML calls are cheap next to a collection cycle. */
static pthread_mutex_t nvml_lock = PTHREAD_MUTEX_INITIALIZER;

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
typedef struct { nvmlDevice_t device; unsigned long long eventType; unsigned long long eventData; unsigned int gpuInstanceId; unsigned int computeInstanceId; } nvmlEventData_t;
static int (*p_eventSetCreate)(void **);
static int (*p_registerEvents)(nvmlDevice_t, unsigned long long, void *);
static int (*p_eventSetWait)(void *, nvmlEventData_t *, unsigned int);

/// The first of `names` the library exports.
static void *probe(const char *const *names) {
    for (; *names; names++) {
        void *symbol = dlsym(library, *names);
        if (symbol) return symbol;
    }
    return NULL;
}

#define PROBE(target, ...) do { static const char *const names[] = { __VA_ARGS__, NULL }; *(void **)(&target) = probe(names); } while (0)

static int cew_nvml_load_locked(const char *path) {
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
    PROBE(p_eventSetCreate, "nvmlEventSetCreate");
    PROBE(p_registerEvents, "nvmlDeviceRegisterEvents");
    PROBE(p_eventSetWait, "nvmlEventSetWait_v2", "nvmlEventSetWait");
    if ((!p_initWithFlags && !p_init) || !p_count || !p_handle) {
        dlclose(library);
        library = NULL;
        return -2;
    }
    return 0;
}

static int initialized;

static int cew_nvml_init_locked(void) {
    if (!library) return 12; /* NVML_ERROR_LIBRARY_NOT_FOUND */
    if (initialized) return 0;
    int rc = p_initWithFlags ? p_initWithFlags(1 /* NVML_INIT_FLAG_NO_GPUS */) : p_init();
    if (rc == 0) initialized = 1;
    return rc;
}

static int cew_nvml_device_count_locked(uint32_t *count) {
    if (!library) return 12;
    unsigned int value = 0;
    int rc = p_count(&value);
    *count = value;
    return rc;
}

#define CALL(fn, rc_field, ...) (out->rc_field = (fn) ? (fn)(__VA_ARGS__) : NVML_FUNCTION_NOT_FOUND)

static int cew_nvml_read_device_locked(uint32_t index, cew_nvml_device *out) {
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

#define CEW_MAX_GPUS 64
#define NVML_EVENT_TYPE_XID 0x0000000000000008ULL
static void *event_set;
static int event_rc = -1;
static nvmlDevice_t event_devices[CEW_MAX_GPUS];
static unsigned int event_device_count;
static uint64_t xid_last[CEW_MAX_GPUS], xid_total[CEW_MAX_GPUS];

static int cew_nvml_poll_xid_locked(void) {
    if (!library) return 12;
    if (event_rc == -1) {
        if (!p_eventSetCreate || !p_registerEvents || !p_eventSetWait) {
            event_rc = NVML_FUNCTION_NOT_FOUND;
        } else if ((event_rc = p_eventSetCreate(&event_set)) == 0) {
            unsigned int count = 0;
            p_count(&count);
            int registered = 0;
            for (unsigned int i = 0; i < count && i < CEW_MAX_GPUS; i++) {
                nvmlDevice_t device = NULL;
                if (p_handle(i, &device) != 0) continue;
                event_devices[i] = device;
                if (p_registerEvents(device, NVML_EVENT_TYPE_XID, event_set) == 0) registered++;
            }
            event_device_count = count < CEW_MAX_GPUS ? count : CEW_MAX_GPUS;
            event_rc = registered > 0 ? 0 : 3;
        }
    }
    if (event_rc != 0) return event_rc;
    for (int drained = 0; drained < 1024; drained++) {
        nvmlEventData_t data;
        memset(&data, 0, sizeof(data));
        if (p_eventSetWait(event_set, &data, 0) != 0) break; /* NVML_ERROR_TIMEOUT: nothing pending */
        for (unsigned int i = 0; i < event_device_count; i++) {
            if (event_devices[i] == data.device) {
                xid_last[i] = data.eventData;
                xid_total[i]++;
            }
        }
    }
    return 0;
}

static void cew_nvml_xid_locked(uint32_t index, uint64_t *last, uint64_t *total) {
    *last = index < CEW_MAX_GPUS ? xid_last[index] : 0;
    *total = index < CEW_MAX_GPUS ? xid_total[index] : 0;
}

static const char *cew_nvml_error_string_locked(int code) {
    if (library && p_error) return p_error(code);
    return code == 12 ? "NVML library not found" : "NVML error";
}

/* Locked entry points (see nvml_lock). */
int cew_nvml_load(const char *path) {
    pthread_mutex_lock(&nvml_lock);
    int result = cew_nvml_load_locked(path);
    pthread_mutex_unlock(&nvml_lock);
    return result;
}

int cew_nvml_init(void) {
    pthread_mutex_lock(&nvml_lock);
    int result = cew_nvml_init_locked();
    pthread_mutex_unlock(&nvml_lock);
    return result;
}

int cew_nvml_device_count(uint32_t *count) {
    pthread_mutex_lock(&nvml_lock);
    int result = cew_nvml_device_count_locked(count);
    pthread_mutex_unlock(&nvml_lock);
    return result;
}

int cew_nvml_read_device(uint32_t index, cew_nvml_device *out) {
    pthread_mutex_lock(&nvml_lock);
    int result = cew_nvml_read_device_locked(index, out);
    pthread_mutex_unlock(&nvml_lock);
    return result;
}

int cew_nvml_poll_xid(void) {
    pthread_mutex_lock(&nvml_lock);
    int result = cew_nvml_poll_xid_locked();
    pthread_mutex_unlock(&nvml_lock);
    return result;
}

void cew_nvml_xid(uint32_t index, uint64_t *last, uint64_t *total) {
    pthread_mutex_lock(&nvml_lock);
    cew_nvml_xid_locked(index, last, total);
    pthread_mutex_unlock(&nvml_lock);
}

const char *cew_nvml_error_string(int code) {
    pthread_mutex_lock(&nvml_lock);
    const char *result = cew_nvml_error_string_locked(code);
    pthread_mutex_unlock(&nvml_lock);
    return result;
}
