/* A scriptable stand-in for libnvidia-ml.so.1, built by the tests (cc -shared -fPIC).
 * Behaviour comes from the file named by NVML_STUB_CONFIG, `key=value` lines:
 *   init_rc=18            what nvmlInit* returns (0 default)
 *   devices=2             GPU count
 *   lost=1                a GPU index whose handle answers NVML_ERROR_GPU_IS_LOST (15)
 *   power_rc=3            what nvmlDeviceGetPowerUsage returns (3: not supported)
 *   processes=123:1048576,456:2097152   compute processes on GPU 0 (pid:bytes)
 *   xid=79                one XID event pending on GPU 0 (events exist only in the non-LEGACY build)
 * Build with -DLEGACY for a driver that only exports the unversioned symbols (no _v2/_v3),
 * no energy counter and no clocks-event reasons. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *nvmlDevice_t;
typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; unsigned int gpuInstanceId; unsigned int computeInstanceId; } nvmlProcessInfo_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; } nvmlProcessInfo_v1_t;

static int loaded, init_rc, devices = 1, lost = -1, power_rc, xid, xid_delivered;
static unsigned int process_pid[16];
static unsigned long long process_bytes[16];
static unsigned int process_count;
static long handles[16];

static void load(void) {
    if (loaded) return;
    loaded = 1;
    const char *path = getenv("NVML_STUB_CONFIG");
    FILE *file = path ? fopen(path, "r") : NULL;
    if (!file) return;
    char line[512];
    while (fgets(line, sizeof(line), file)) {
        char *value = strchr(line, '=');
        if (!value) continue;
        *value++ = 0;
        if (!strcmp(line, "init_rc")) init_rc = atoi(value);
        else if (!strcmp(line, "devices")) devices = atoi(value);
        else if (!strcmp(line, "lost")) lost = atoi(value);
        else if (!strcmp(line, "power_rc")) power_rc = atoi(value);
        else if (!strcmp(line, "xid")) xid = atoi(value);
        else if (!strcmp(line, "processes")) {
            for (char *item = strtok(value, ",\n"); item && process_count < 16; item = strtok(NULL, ",\n")) {
                process_pid[process_count] = (unsigned int)strtoul(item, &item, 10);
                if (*item == ':') process_bytes[process_count] = strtoull(item + 1, NULL, 10);
                process_count++;
            }
        }
    }
    fclose(file);
}

static int index_of(nvmlDevice_t device) { return (int)((long *)device - handles); }

const char *nvmlErrorString(int code) { return code == 15 ? "GPU is lost" : code == 18 ? "RM has detected an NVML/RM version mismatch" : "stub error"; }

#ifdef LEGACY
int nvmlInit(void) { load(); return init_rc; }
int nvmlDeviceGetCount(unsigned int *count) { *count = (unsigned int)devices; return 0; }
int nvmlDeviceGetHandleByIndex(unsigned int index, nvmlDevice_t *device) {
#else
int nvmlInitWithFlags(unsigned int flags) { (void)flags; load(); return init_rc; }
int nvmlInit_v2(void) { load(); return init_rc; }
int nvmlDeviceGetCount_v2(unsigned int *count) { *count = (unsigned int)devices; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
#endif
    if ((int)index >= devices || index >= 16) return 2;
    if ((int)index == lost) return 15;
    *device = &handles[index];
    return 0;
}

int nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) { (void)device; snprintf(name, length, "NVIDIA A2 (stub)"); return 0; }
int nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
    snprintf(uuid, length, "GPU-5eb0000%d-1111-2222-3333-444455556666", index_of(device));
    return 0;
}
int nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *util) { util->gpu = 40 + index_of(device); util->memory = 20; return 0; }
int nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
    memory->total = 16ULL << 30;
    memory->used = (unsigned long long)(index_of(device) + 1) << 30;
    memory->free = memory->total - memory->used;
    return 0;
}
int nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *temp) { (void)sensor; *temp = 50 + index_of(device); return 0; }
int nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *milliwatts) { (void)device; *milliwatts = 71250; return power_rc; }
int nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int *clock) { (void)device; *clock = type == 1 ? 1410 : 1215; return 0; }
int nvmlDeviceGetPcieReplayCounter(nvmlDevice_t device, unsigned int *value) { (void)device; *value = 3; return 0; }

#ifdef LEGACY
int nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_v1_t *infos) {
#else
int nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) { (void)device; *energy = 123456789ULL; return 0; }
int nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t device, unsigned long long *reasons) { (void)device; *reasons = 4; return 0; }
typedef struct { nvmlDevice_t device; unsigned long long eventType; unsigned long long eventData; unsigned int gpuInstanceId; unsigned int computeInstanceId; } nvmlEventData_t;
static int event_set_token;
int nvmlEventSetCreate(void **set) { *set = &event_set_token; return 0; }
int nvmlDeviceRegisterEvents(nvmlDevice_t device, unsigned long long types, void *set) { (void)device; (void)types; (void)set; return 0; }
int nvmlEventSetWait_v2(void *set, nvmlEventData_t *data, unsigned int timeout) {
    (void)set; (void)timeout;
    if (!xid || xid_delivered) return 10; /* NVML_ERROR_TIMEOUT */
    xid_delivered = 1;
    data->device = &handles[0];
    data->eventType = 8;
    data->eventData = (unsigned long long)xid;
    return 0;
}
int nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_t *infos) {
#endif
    unsigned int n = index_of(device) == 0 ? process_count : 0;
    if (*count < n) { *count = n; return 7; /* INSUFFICIENT_SIZE */ }
    for (unsigned int i = 0; i < n; i++) { infos[i].pid = process_pid[i]; infos[i].usedGpuMemory = process_bytes[i]; }
    *count = n;
    return 0;
}
