# sweep.mk - sweeps and merges (issue 19), tested against the real engines.
#
#   make sweep-test     tests/cli/sweep.sh: plans, hashes, local runs,
#                       resume after a kill, failures, bad plans, merge,
#                       GNU parallel over the emitted job list
#   make slurm-test     tests/cli/slurm.sh: a single-node Slurm brought up
#                       and torn down by the test (root only; loudly
#                       skipped otherwise), an array sweep merged and
#                       checked against a local run

.PHONY: sweep-test slurm-test
CHECK_EXTRA += sweep-test slurm-test

sweep-test: $(BUILD)/swaplab
	SWAPLAB=$(BUILD)/swaplab tests/cli/sweep.sh

slurm-test: $(BUILD)/swaplab
	SWAPLAB=$(BUILD)/swaplab tests/cli/slurm.sh
