// glibc's malloc tuning (mallopt), which the Glibc module does not export.
#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
#ifdef __linux__
#include <malloc.h>
#endif
#endif
