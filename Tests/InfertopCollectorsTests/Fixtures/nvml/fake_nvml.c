/*
 * A fake libnvidia-ml.so.1 for the NVML collector tests.
 *
 * It exports the documented NVML symbols (versioned names first, as the real library does)
 * with the documented x86-64 struct layouts, and answers fixture values: two
 * "NVIDIA H100 80GB HBM3", 18 NVLinks each (GPU 1 has links 3 and 7 down), NVLink byte and error
 * counters and a PCIe replay counter that advance on every call, a HwThermal|HwSlowdown
 * throttle mask on GPU 0 and one pending XID 79 event on GPU 0.
 *
 * Build: cc -shared -fPIC -o <dir>/libnvidia-ml.so.1 fake_nvml.c [variant]
 * Variants: -DFAKE_OLD_NAMES       only the unversioned/old names (no _v2, no V forms)
 *           -DFAKE_BROKEN          no nvmlDeviceGetPowerUsage, garbled field value type,
 *                                  GPU 1 utilization fails with NVML_ERROR_UNKNOWN
 *           -DFAKE_DRIVER_NOT_LOADED  nvmlInit_v2 answers NVML_ERROR_DRIVER_NOT_LOADED
 *           -DFAKE_NO_INIT         no init symbol at all
 */
#include <stddef.h>
#include <string.h>
#include <unistd.h>

typedef int nvmlReturn_t;
typedef struct fake_device { int index; } *nvmlDevice_t;
typedef struct fake_event_set { int registered; } *nvmlEventSet_t;

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct {
    unsigned int version;
    unsigned long long total, reserved, free, used;
} nvmlMemory_v2_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct { unsigned int version; int sensorType; int temperature; } nvmlTemperature_v1_t;
typedef union {
    double dVal; unsigned int uiVal; unsigned long ulVal; unsigned long long ullVal;
    signed long long sllVal; signed int siVal; unsigned short usVal;
} nvmlValue_t;
typedef struct {
    unsigned int fieldId, scopeId;
    long long timestamp, latencyUsec;
    int valueType;
    nvmlReturn_t nvmlReturn;
    nvmlValue_t value;
} nvmlFieldValue_t;
typedef struct {
    nvmlDevice_t device;
    unsigned long long eventType, eventData;
    unsigned int gpuInstanceId, computeInstanceId;
} nvmlEventData_t;

_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t");
_Static_assert(sizeof(nvmlMemory_v2_t) == 40 && offsetof(nvmlMemory_v2_t, total) == 8, "nvmlMemory_v2_t");
_Static_assert(sizeof(nvmlUtilization_t) == 8, "nvmlUtilization_t");
_Static_assert(sizeof(nvmlTemperature_v1_t) == 12, "nvmlTemperature_v1_t");
_Static_assert(sizeof(nvmlFieldValue_t) == 40 && offsetof(nvmlFieldValue_t, value) == 32, "nvmlFieldValue_t");
_Static_assert(sizeof(nvmlEventData_t) == 32 && offsetof(nvmlEventData_t, eventData) == 16, "nvmlEventData_t");

enum { OK = 0, INVALID_ARGUMENT = 2, NOT_SUPPORTED = 3, TIMEOUT = 10, ARG_VERSION = 25, UNKNOWN = 999 };
#define GPUS 2
#define LINKS 18
#define TOTAL_BYTES 85520809984ULL
#define RESERVED_BYTES 536870912ULL

static struct fake_device devices[GPUS] = {{0}, {1}};
static struct fake_event_set event_set;
static int xid_delivered;
static unsigned long long nvlink_kib[GPUS][2];
static unsigned long long nvlink_errors[GPUS][LINKS][4];
static unsigned int pcie_replays[GPUS];
static const unsigned long long used_bytes[GPUS] = {64424509440ULL, 1073741824ULL};

static int valid(nvmlDevice_t d) { return d == &devices[0] || d == &devices[1]; }

const char *nvmlErrorString(nvmlReturn_t r) {
    switch (r) {
    case OK: return "Success";
    case INVALID_ARGUMENT: return "Invalid Argument";
    case NOT_SUPPORTED: return "Not Supported";
    case 9: return "Driver Not Loaded";
    case TIMEOUT: return "Timeout";
    default: return "Unknown Error";
    }
}

#ifndef FAKE_NO_INIT
static nvmlReturn_t fake_init(void) {
#ifdef FAKE_DRIVER_NOT_LOADED
    return 9;
#else
    return OK;
#endif
}
#ifdef FAKE_OLD_NAMES
nvmlReturn_t nvmlInit(void) { return fake_init(); }
#else
nvmlReturn_t nvmlInit_v2(void) { return fake_init(); }
nvmlReturn_t nvmlInit(void) { return fake_init(); }
#endif
#endif
nvmlReturn_t nvmlShutdown(void) { return OK; }

static nvmlReturn_t fake_count(unsigned int *n) { if (!n) return INVALID_ARGUMENT; *n = GPUS; return OK; }
static nvmlReturn_t fake_handle(unsigned int i, nvmlDevice_t *d) {
    if (i >= GPUS || !d) return INVALID_ARGUMENT;
    *d = &devices[i];
    return OK;
}
#ifndef FAKE_OLD_NAMES
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *n) { return fake_count(n); }
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d) { return fake_handle(i, d); }
#endif
nvmlReturn_t nvmlDeviceGetCount(unsigned int *n) { return fake_count(n); }
nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int i, nvmlDevice_t *d) { return fake_handle(i, d); }

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int length) {
    if (!valid(d) || !name || length < 22) return INVALID_ARGUMENT;
    strcpy(name, "NVIDIA H100 80GB HBM3");
    return OK;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int length) {
    if (!valid(d) || !uuid || length < 41) return INVALID_ARGUMENT;
    strcpy(uuid, d->index == 0 ? "GPU-6f1c2a8e-0000-4000-8000-000000000000" : "GPU-6f1c2a8e-0000-4000-8000-000000000001");
    return OK;
}

#ifndef FAKE_OLD_NAMES
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t d, nvmlMemory_v2_t *m) {
    if (!valid(d) || !m) return INVALID_ARGUMENT;
    if (m->version != 0x02000028) return ARG_VERSION;
    m->total = TOTAL_BYTES;
    m->reserved = RESERVED_BYTES;
    m->used = used_bytes[d->index];
    m->free = TOTAL_BYTES - RESERVED_BYTES - m->used;
    return OK;
}
#endif
/* v1: `used` includes the reserve. */
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m) {
    if (!valid(d) || !m) return INVALID_ARGUMENT;
    m->total = TOTAL_BYTES;
    m->used = used_bytes[d->index] + RESERVED_BYTES;
    m->free = TOTAL_BYTES - m->used;
    return OK;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u) {
    if (!valid(d) || !u) return INVALID_ARGUMENT;
#ifdef FAKE_BROKEN
    if (d->index == 1) return UNKNOWN;
#endif
    u->gpu = d->index == 0 ? 87 : 3;
    u->memory = d->index == 0 ? 41 : 0;
    return OK;
}

#ifndef FAKE_BROKEN
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw) {
    if (!valid(d) || !mw) return INVALID_ARGUMENT;
    *mw = d->index == 0 ? 612345 : 95000;
    return OK;
}
#endif

static int temperature(nvmlDevice_t d) { return d->index == 0 ? 71 : 45; }
#ifndef FAKE_OLD_NAMES
nvmlReturn_t nvmlDeviceGetTemperatureV(nvmlDevice_t d, nvmlTemperature_v1_t *t) {
    if (!valid(d) || !t || t->sensorType != 0) return INVALID_ARGUMENT;
    if (t->version != 0x0100000C) return ARG_VERSION;
    t->temperature = temperature(d);
    return OK;
}
#endif
/* Where the V form exists the collector must use it: the old form then answers a sentinel. */
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t) {
    if (!valid(d) || !t || sensor != 0) return INVALID_ARGUMENT;
#ifdef FAKE_OLD_NAMES
    *t = temperature(d);
#else
    *t = 1000;
#endif
    return OK;
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *mhz) {
    if (!valid(d) || !mhz || type < 0 || type > 3) return INVALID_ARGUMENT;
    *mhz = type == 1 ? (d->index == 0 ? 1755 : 1980) : 1111;
    return OK;
}

nvmlReturn_t nvmlDeviceGetMaxClockInfo(nvmlDevice_t d, int type, unsigned int *mhz) {
    if (!valid(d) || !mhz || type < 0 || type > 3) return INVALID_ARGUMENT;
    *mhz = type == 1 ? 1980 : 2222;
    return OK;
}

static unsigned long long throttle(nvmlDevice_t d) { return d->index == 0 ? (0x40 | 0x8) : 0x1; }
#ifdef FAKE_OLD_NAMES
nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t d, unsigned long long *r) {
#else
nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t d, unsigned long long *r) {
#endif
    if (!valid(d) || !r) return INVALID_ARGUMENT;
    *r = throttle(d);
    return OK;
}

/* +5 replays per call on GPU 0. */
nvmlReturn_t nvmlDeviceGetPcieReplayCounter(nvmlDevice_t d, unsigned int *value) {
    if (!valid(d) || !value) return INVALID_ARGUMENT;
    if (d->index == 0) pcie_replays[0] += 5;
    *value = pcie_replays[d->index];
    return OK;
}

nvmlReturn_t nvmlDeviceGetNvLinkState(nvmlDevice_t d, unsigned int link, int *active) {
    if (!valid(d) || !active || link >= LINKS) return INVALID_ARGUMENT;
    *active = (d->index == 1 && (link == 3 || link == 7)) ? 0 : 1;
    return OK;
}

/* GPU 0: link 0 DL_REPLAY +3 and link 1 DL_CRC_FLIT +1 per call; DL_CRC_DATA not supported. */
nvmlReturn_t nvmlDeviceGetNvLinkErrorCounter(nvmlDevice_t d, unsigned int link, int counter,
                                             unsigned long long *value) {
    if (!valid(d) || !value || link >= LINKS || counter < 0 || counter > 4) return INVALID_ARGUMENT;
    if (counter == 3) return NOT_SUPPORTED;
    if (d->index == 0 && link == 0 && counter == 0) nvlink_errors[0][0][0] += 3;
    if (d->index == 0 && link == 1 && counter == 2) nvlink_errors[0][1][2] += 1;
    *value = nvlink_errors[d->index][link][counter];
    return OK;
}

/* Fields 138/139 (cumulative KiB, all links): GPU 0 TX +1,000,000 and RX +2,000,000 per call. */
nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t d, int count, nvmlFieldValue_t *values) {
    if (!valid(d) || !values || count < 0) return INVALID_ARGUMENT;
    for (int i = 0; i < count; i++) {
        nvmlFieldValue_t *v = &values[i];
        if ((v->fieldId != 138 && v->fieldId != 139) || v->scopeId != 0xFFFFFFFFu) {
            v->nvmlReturn = NOT_SUPPORTED;
            continue;
        }
        int rx = v->fieldId == 139;
        if (d->index == 0) nvlink_kib[0][rx] += rx ? 2000000ULL : 1000000ULL;
        v->timestamp = 1700000000000000LL;
        v->latencyUsec = 0;
#ifdef FAKE_BROKEN
        v->valueType = 77;
#else
        v->valueType = 3;
#endif
        v->nvmlReturn = OK;
        v->value.ullVal = nvlink_kib[d->index][rx];
    }
    return OK;
}

nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
    if (!set) return INVALID_ARGUMENT;
    *set = &event_set;
    return OK;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t d, unsigned long long types, nvmlEventSet_t set) {
    if (!valid(d) || set != &event_set || !(types & 0x8ULL)) return INVALID_ARGUMENT;
    __atomic_fetch_add(&event_set.registered, 1, __ATOMIC_SEQ_CST);
    return OK;
}

/* The first wait delivers XID 79 on GPU 0; later waits sleep (at most 20 ms) and time out. */
static nvmlReturn_t fake_wait(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
    if (set != &event_set || !data) return INVALID_ARGUMENT;
    if (__atomic_load_n(&event_set.registered, __ATOMIC_SEQ_CST) > 0 &&
        !__atomic_exchange_n(&xid_delivered, 1, __ATOMIC_SEQ_CST)) {
        data->device = &devices[0];
        data->eventType = 0x8;
        data->eventData = 79;
        data->gpuInstanceId = data->computeInstanceId = 0xFFFFFFFFu;
        return OK;
    }
    usleep((timeoutms < 20 ? timeoutms : 20) * 1000);
    return TIMEOUT;
}
#ifdef FAKE_OLD_NAMES
nvmlReturn_t nvmlEventSetWait(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
    return fake_wait(set, data, timeoutms);
}
#else
nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
    return fake_wait(set, data, timeoutms);
}
#endif

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) { return set == &event_set ? OK : INVALID_ARGUMENT; }
