#ifndef C_CRYPTO_SHIM_H
#define C_CRYPTO_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256 of `length` bytes into `digest` (32 bytes) through the system's libcrypto, opened with
/// dlopen on first use so processes that never hash (the agent) never map it. Returns 0, or -1
/// when no libcrypto (libcrypto.so.3, else libcrypto.so) can be opened.
int cew_sha256(const uint8_t *data, size_t length, uint8_t *digest);

#endif
