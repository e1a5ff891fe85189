// zlib, as the system has it (zlib1g-dev): deflate/inflate for recordings, crc32 for their chunks.
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>
#endif
