/*
 * cmd_import_tracedat.c - `swaplab import trace-dat FILE`: a trace-cmd
 * recording (trace.dat) of the swaplab tracepoints or of the swap kprobes
 * (`p:swap_out swap_writepage entry=+40(%di):u64`, ... see
 * docs/recording.md) as an access-pattern trace.
 *
 * A trace.dat holds no page contents, so the result is SWT_F_NO_CONTENT:
 * `info` and pattern analyses read it, replay refuses it.  libtracecmd
 * reads the file and merges its CPUs by time; events of the swaplab
 * tracepoints are then ordered by their seq field when every one has it.
 *
 * libtracecmd has no static library, so the VM's static binary is linked
 * without it: its symbols are weak here, and that binary says so instead
 * of importing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "cli/util.h"
#include "format/swt.h"
#include "record/kernel_rec.h"
#include "record/pattern.h"
#include "record/rec_common.h"

#pragma weak tracecmd_open
#pragma weak tracecmd_close
#pragma weak tracecmd_get_tep
#pragma weak tracecmd_iterate_events
#pragma weak tracecmd_set_loglevel

static const char tracedat_usage[] =
"usage: swaplab import trace-dat FILE [--device N] -o OUT.swt\n"
"\n"
"Make an access-pattern trace (no page contents: replay refuses it,\n"
"info works) from a trace-cmd recording of the swaplab:swaplab_* events\n"
"or of the swap kprobes swap_out, swap_in, swap_free, zram_rw, zram_free.\n"
"\n"
"  --device N       swaplab device number or swap type (default: the\n"
"                   first one in the file)\n"
"  -o FILE          output trace (written atomically)\n"
"  --force          replace an existing file at -o (never an input)\n";

static int on_record(struct tracecmd_input *h, struct tep_record *rec,
		     int cpu, void *data)
{
	return pat_classify(data, tracecmd_get_tep(h), rec, cpu);
}

int cmd_import_tracedat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* permuting: "trace-dat FILE" comes before the options */
	struct rec_opts ro = {
		.usage = tracedat_usage, .shortopts = "o:h", .longopts = opts,
	};
	struct pev_list l = { 0 };
	struct swt_header hdr = { 0 };
	struct tracecmd_input *h;
	struct swt_totals tot;
	const char *out = NULL, *file;
	uint64_t v;
	struct stat st;
	char magic[3];
	int c, fd, dev = -1, ret;

	while ((c = rec_getopt(&ro, argc, argv)) != -1) {
		switch (c) {
		case 'D':
			if (!sl_parse_u64(optarg, &v) || v > 1000000)
				return sl_usage_err("bad --device '%s'", optarg);
			dev = v;
			break;
		}
	}
	if (ro.ret >= 0)
		return ro.ret;
	out = ro.out;
	if (argc - optind != 2 || strcmp(argv[optind], "trace-dat") || !out)
		return sl_usage_err("want trace-dat FILE and -o OUT");
	file = argv[optind + 1];
	if (rec_check_out(&ro, file))
		return EXIT_TROUBLE;
	if (!tracecmd_open)
		return sl_err("this build has no libtracecmd: import trace-dat with the dynamic build");
	/* libtracecmd prints its own complaints about foreign files */
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sl_err_errno("cannot open '%s'", file);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return sl_err("'%s' is not a regular file", file);
	}
	if (read(fd, magic, 3) != 3 || memcmp(magic, "\027\010\104", 3)) {
		close(fd);
		return sl_err("'%s' is not a trace-cmd recording (trace.dat)", file);
	}
	close(fd);
	if (tracecmd_set_loglevel)
		tracecmd_set_loglevel(TEP_LOG_NONE);
	h = tracecmd_open(file, 0);
	if (!h)
		return sl_err("cannot read '%s': damaged or unsupported trace.dat", file);
	if (tracecmd_iterate_events(h, NULL, 0, on_record, &l) < 0) {
		tracecmd_close(h);
		pat_free(&l);
		return sl_err("cannot read the events of '%s'", file);
	}
	tracecmd_close(h);
	hdr.page_size = 4096;
	hdr.clock = SWT_CLOCK_UNKNOWN;
	snprintf(hdr.source, sizeof(hdr.source), "import:trace-dat");
	snprintf(hdr.host, sizeof(hdr.host), "unknown");
	snprintf(hdr.kernel, sizeof(hdr.kernel), "unknown");
	snprintf(hdr.description, sizeof(hdr.description),
		 "swaplab import trace-dat %s", file);
	ret = pat_write(&l, out, &hdr, dev, &tot);
	if (ret) {
		pat_free(&l);
		return ret;
	}
	printf("%s: %llu events (%llu stores, %llu loads, %llu frees) from %s, no page contents\n",
	       out, (unsigned long long)tot.events,
	       (unsigned long long)tot.stores, (unsigned long long)tot.loads,
	       (unsigned long long)tot.frees, file);
	if (l.lost)
		sl_warn("%llu events are missing (gaps in seq): the recording lost them",
			(unsigned long long)l.lost);
	pat_free(&l);
	return EXIT_YES;
}
