/*
 * commands.h - every subcommand's entry point.  Each lives in its own
 * file (record/cmd_gen.c, replay/cmd_replay.c, ...), parses its own
 * options and returns an exit code from util.h; only main() exits.
 */
#ifndef SL_COMMANDS_H
#define SL_COMMANDS_H

int cmd_gen(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_dict(int argc, char **argv);
int cmd_fidelity(int argc, char **argv);
int cmd_parity(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif /* SL_COMMANDS_H */
