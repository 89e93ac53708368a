/* decompress_lzo_rle: the kernel's lzo-rle decompressor on arbitrary input */
#define FUZZ_CODEC "lzo-rle"
#include "../decompress.h"
