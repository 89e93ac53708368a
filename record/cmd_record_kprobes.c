/*
 * cmd_record_kprobes.c - `swaplab record --kprobes`: the swap access
 * pattern of a stock kernel (no module), without page contents.
 */
#include "cli/util.h"
#include "record/kernel_rec.h"

int cmd_record_kprobes(int argc, char **argv)
{
	return sl_err("--kprobes is not built yet");
}
