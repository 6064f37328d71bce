#ifndef C_SYSTEMD_SHIM_H
#define C_SYSTEMD_SHIM_H

#include <systemd/sd-daemon.h>

#endif
