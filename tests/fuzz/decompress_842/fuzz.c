/* decompress_842: the kernel's 842 decompressor on arbitrary input */
#define FUZZ_CODEC "842"
#include "../decompress.h"
