# Host tests of the real smp/ code on x86-64: cmocka unit tests (ASan+UBSan) and the stress (TSan+UBSan).
#
# Included by the top-level Makefile, or run alone from the repository root:
#   make -f tests/host/host.mk host-test | stress | stress-short
# Every name here starts with HOST_ so that nothing collides with the firmware build's variables
# (CC, CFLAGS, BUILD ... are the cross compiler's there).

HOST_CC ?= gcc
HOST_OUT ?= build/host
HOST_DIR := tests/host
HOST_FLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 -pthread -DMUSTER_HOST -DMUSTER_FAULTS \
	-I$(HOST_DIR) -Iinclude
# The real code under test, compiled unchanged (secondary.c is replaced by the sim's CPU thread:
# it branches to a 32-bit entry address, which a 64-bit host cannot do).
HOST_SMP_SRCS := smp/pen.c smp/coordinator.c smp/mailbox.c core/report.c
HOST_SIM_SRCS := $(HOST_DIR)/sim_platform.c

# Unit tests: a deadline the report lines can name (1000 ms on the sim's fake clock).
HOST_UNIT_ACK_TIMEOUT_MS ?= 1000
HOST_UNIT_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_UNIT_FLAGS := $(HOST_FLAGS) $(HOST_UNIT_SAN) -DMUSTER_ACK_TIMEOUT_MS=$(HOST_UNIT_ACK_TIMEOUT_MS)
HOST_UNIT_OUT := $(HOST_OUT)/obj-unit
HOST_UNIT_SRCS := $(HOST_SMP_SRCS) $(HOST_SIM_SRCS) $(HOST_DIR)/test_coordinator.c
HOST_UNIT_OBJS := $(addprefix $(HOST_UNIT_OUT)/,$(HOST_UNIT_SRCS:.c=.o))
HOST_UNIT_BIN := $(HOST_OUT)/test_coordinator

# Unit tests of the console parser and the payload checks (no threads, no sim): the oracles are
# Debian's mkimage, dtc and fdtget, run by the tests themselves.
HOST_PAYLOAD_SRCS := core/cmdline.c core/uimage.c core/crc32.c core/fdt.c core/fit.c core/sha256.c core/settings.c \
	$(HOST_DIR)/test_payload.c
HOST_PAYLOAD_OBJS := $(addprefix $(HOST_UNIT_OUT)/,$(HOST_PAYLOAD_SRCS:.c=.o))
HOST_PAYLOAD_BIN := $(HOST_OUT)/test_payload

# Stress: real time, a 2 ms deadline that the injected delays (0..4 ms) straddle. gcc 12 combines
# ThreadSanitizer with UBSan, so one binary checks both. -Wno-tsan: gcc warns that TSan does not
# model the C11 fences arch.h's host dmb()/dsb() expand to. TSan loses nothing by it here: every
# word two threads share goes through writel/readl (release/acquire atomics), which TSan does
# model, and the fences only add ordering on top of those.
HOST_STRESS_ACK_TIMEOUT_MS ?= 2
HOST_STRESS_SAN := -fsanitize=thread,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wno-tsan
HOST_STRESS_FLAGS := $(HOST_FLAGS) $(HOST_STRESS_SAN) -DMUSTER_ACK_TIMEOUT_MS=$(HOST_STRESS_ACK_TIMEOUT_MS)
HOST_STRESS_OUT := $(HOST_OUT)/obj-stress
HOST_STRESS_SRCS := $(HOST_SMP_SRCS) $(HOST_SIM_SRCS) $(HOST_DIR)/stress.c
HOST_STRESS_OBJS := $(addprefix $(HOST_STRESS_OUT)/,$(HOST_STRESS_SRCS:.c=.o))
HOST_STRESS_BIN := $(HOST_OUT)/stress

# The coordinator's power-state tracking on a board with a power controller (power/board.h, found
# before the sim's board.h): its own objects, since the board differs. No threads: the fake cores
# are stepped by the fake clock (cmocka: counted with the unit tests).
HOST_POWER_OUT := $(HOST_OUT)/obj-power
HOST_POWER_FLAGS := -I$(HOST_DIR)/power $(HOST_UNIT_FLAGS)
HOST_POWER_SRCS := smp/pen.c smp/coordinator.c smp/mailbox.c core/report.c $(HOST_DIR)/test_power.c
HOST_POWER_OBJS := $(addprefix $(HOST_POWER_OUT)/,$(HOST_POWER_SRCS:.c=.o))
HOST_POWER_BIN := $(HOST_OUT)/test_power

# The PSCI monitor's bakery lock under ThreadSanitizer (cmocka: counted with the unit tests).
HOST_BAKERY_SRCS := smp/bakery.c $(HOST_SMP_SRCS) $(HOST_SIM_SRCS) $(HOST_DIR)/test_bakery.c
HOST_BAKERY_OBJS := $(addprefix $(HOST_STRESS_OUT)/,$(HOST_BAKERY_SRCS:.c=.o))
HOST_BAKERY_BIN := $(HOST_OUT)/test_bakery

# Handshakes (one per secondary released, per release round) and the random seed.
STRESS_HANDSHAKES ?= 1000000
STRESS_SHORT_HANDSHAKES ?= 40000
STRESS_SEED ?= 1

# A sanitizer report is a failure: stop at the first one with a non-zero status.
HOST_TSAN_OPTIONS := halt_on_error=1 exitcode=66 second_deadlock_stack=1
HOST_UBSAN_OPTIONS := halt_on_error=1 print_stacktrace=1
HOST_ASAN_OPTIONS := halt_on_error=1 detect_leaks=1 abort_on_error=0
# A hung test is a failed test, not a hung `make test`.
HOST_TIMEOUT ?= timeout --foreground

.PHONY: host-test stress stress-short host-clean

# Alone (make -f tests/host/host.mk), the default is the unit tests; included, the including
# Makefile's default stands.
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := host-test
endif

$(HOST_UNIT_OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_UNIT_FLAGS) -MMD -MP -c $< -o $@

$(HOST_STRESS_OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_STRESS_FLAGS) -MMD -MP -c $< -o $@

$(HOST_POWER_OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_POWER_FLAGS) -MMD -MP -c $< -o $@

# Rebuild when the flags change (a different deadline, say).
$(HOST_UNIT_OBJS) $(HOST_PAYLOAD_OBJS): $(HOST_UNIT_OUT)/flags
$(HOST_STRESS_OBJS) $(HOST_BAKERY_OBJS): $(HOST_STRESS_OUT)/flags
$(HOST_POWER_OBJS): $(HOST_POWER_OUT)/flags
$(HOST_UNIT_OUT)/flags: HOST_FORCE
	@mkdir -p $(@D)
	@echo '$(HOST_CC) $(HOST_UNIT_FLAGS)' | cmp -s - $@ || echo '$(HOST_CC) $(HOST_UNIT_FLAGS)' > $@
$(HOST_STRESS_OUT)/flags: HOST_FORCE
	@mkdir -p $(@D)
	@echo '$(HOST_CC) $(HOST_STRESS_FLAGS)' | cmp -s - $@ || echo '$(HOST_CC) $(HOST_STRESS_FLAGS)' > $@
$(HOST_POWER_OUT)/flags: HOST_FORCE
	@mkdir -p $(@D)
	@echo '$(HOST_CC) $(HOST_POWER_FLAGS)' | cmp -s - $@ || echo '$(HOST_CC) $(HOST_POWER_FLAGS)' > $@
HOST_FORCE:

$(HOST_UNIT_BIN): $(HOST_UNIT_OBJS)
	$(HOST_CC) $(HOST_UNIT_FLAGS) $^ -lcmocka -o $@

$(HOST_PAYLOAD_BIN): $(HOST_PAYLOAD_OBJS)
	$(HOST_CC) $(HOST_UNIT_FLAGS) $^ -lcmocka -o $@

$(HOST_STRESS_BIN): $(HOST_STRESS_OBJS)
	$(HOST_CC) $(HOST_STRESS_FLAGS) $^ -o $@

$(HOST_BAKERY_BIN): $(HOST_BAKERY_OBJS)
	$(HOST_CC) $(HOST_STRESS_FLAGS) $^ -lcmocka -o $@

$(HOST_POWER_BIN): $(HOST_POWER_OBJS)
	$(HOST_CC) $(HOST_POWER_FLAGS) $^ -lcmocka -o $@

-include $(HOST_UNIT_OBJS:.o=.d) $(HOST_STRESS_OBJS:.o=.d) $(HOST_PAYLOAD_OBJS:.o=.d) $(HOST_BAKERY_OBJS:.o=.d) \
	$(HOST_POWER_OBJS:.o=.d)

# cmocka prints its own [ PASSED ] / [ FAILED ] summary; the exit status is non-zero on failure.
host-test: $(HOST_UNIT_BIN) $(HOST_PAYLOAD_BIN) $(HOST_BAKERY_BIN) $(HOST_POWER_BIN)
	ASAN_OPTIONS='$(HOST_ASAN_OPTIONS)' UBSAN_OPTIONS='$(HOST_UBSAN_OPTIONS)' \
		$(HOST_TIMEOUT) 600 ./$(HOST_UNIT_BIN)
	ASAN_OPTIONS='$(HOST_ASAN_OPTIONS)' UBSAN_OPTIONS='$(HOST_UBSAN_OPTIONS)' \
		$(HOST_TIMEOUT) 600 ./$(HOST_POWER_BIN)
	ASAN_OPTIONS='$(HOST_ASAN_OPTIONS)' UBSAN_OPTIONS='$(HOST_UBSAN_OPTIONS)' \
		$(HOST_TIMEOUT) 600 ./$(HOST_PAYLOAD_BIN)
	TSAN_OPTIONS='$(HOST_TSAN_OPTIONS)' UBSAN_OPTIONS='$(HOST_UBSAN_OPTIONS)' \
		$(HOST_TIMEOUT) 600 ./$(HOST_BAKERY_BIN)

stress: $(HOST_STRESS_BIN)
	TSAN_OPTIONS='$(HOST_TSAN_OPTIONS)' UBSAN_OPTIONS='$(HOST_UBSAN_OPTIONS)' \
		$(HOST_TIMEOUT) 3600 ./$(HOST_STRESS_BIN) --handshakes $(STRESS_HANDSHAKES) --seed $(STRESS_SEED)

stress-short: $(HOST_STRESS_BIN)
	TSAN_OPTIONS='$(HOST_TSAN_OPTIONS)' UBSAN_OPTIONS='$(HOST_UBSAN_OPTIONS)' \
		$(HOST_TIMEOUT) 300 ./$(HOST_STRESS_BIN) --handshakes $(STRESS_SHORT_HANDSHAKES) --seed $(STRESS_SEED)

host-clean:
	rm -rf $(HOST_OUT)
