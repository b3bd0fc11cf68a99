/* SHA-256 (FIPS 180-4): the hash U-Boot's FIT images name most ("sha256"), checked before a boot. */
#ifndef MUSTER_SHA256_H
#define MUSTER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

/* The digest of len bytes at data, into out[SHA256_DIGEST_SIZE]. Reads data bytewise (any alignment). */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#endif
