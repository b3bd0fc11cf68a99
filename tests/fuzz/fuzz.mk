# libFuzzer (clang) over the console parser and the image checks: `make fuzz` (>= 10,000,000 runs), `fuzz-short`.
FUZZ_CC ?= clang
FUZZ_OUT ?= build/fuzz
FUZZ_RUNS ?= 10000000
FUZZ_SHORT_RUNS ?= 300000
FUZZ_FLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -DMUSTER_HOST -Itests/host -Iinclude
FUZZ_SRCS := tests/fuzz/fuzz_console.c core/cmdline.c core/uimage.c core/crc32.c core/fdt.c core/fit.c core/sha256.c
FUZZ_BIN := $(FUZZ_OUT)/fuzz_console

.PHONY: fuzz fuzz-short

$(FUZZ_BIN): $(FUZZ_SRCS) include/muster/cmdline.h include/muster/uimage.h include/muster/fdt.h include/muster/fit.h | deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_SRCS) -o $@

# A fresh corpus each run; libFuzzer prints "Done N runs" and exits non-zero on any crash or hang.
fuzz: $(FUZZ_BIN)
	@rm -rf $(FUZZ_OUT)/corpus && mkdir -p $(FUZZ_OUT)/corpus
	$(FUZZ_BIN) -runs=$(FUZZ_RUNS) -max_len=4096 -timeout=5 -seed=1 $(FUZZ_OUT)/corpus

fuzz-short: $(FUZZ_BIN)
	@rm -rf $(FUZZ_OUT)/corpus-short && mkdir -p $(FUZZ_OUT)/corpus-short
	$(FUZZ_BIN) -runs=$(FUZZ_SHORT_RUNS) -max_len=4096 -timeout=5 -seed=1 $(FUZZ_OUT)/corpus-short
