/* decompress_lzo: the kernel's lzo decompressor on arbitrary input */
#define FUZZ_CODEC "lzo"
#include "../decompress.h"
