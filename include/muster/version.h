/* muster's version and build id (the Makefile passes both; a bare compile still builds). */
#ifndef MUSTER_VERSION_H
#define MUSTER_VERSION_H

#ifndef MUSTER_VERSION
#define MUSTER_VERSION "unknown"
#endif
#ifndef MUSTER_BUILD_ID
#define MUSTER_BUILD_ID "unknown"
#endif

#endif
