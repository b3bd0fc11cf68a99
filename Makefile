# muster: build the firmware out of tree (build/<platform>/), run it in QEMU, test it, benchmark it.

PLATFORMS := $(sort $(patsubst platform/%/platform.mk,%,$(wildcard platform/*/platform.mk)))
PLATFORM ?= vexpress-a9
ifeq ($(filter $(PLATFORM),$(PLATFORMS)),)
$(error unknown PLATFORM '$(PLATFORM)'; valid platforms: $(PLATFORMS))
endif
include platform/$(PLATFORM)/platform.mk

MUSTER_VERSION := 0.1.0
BUILD_ID := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# Knobs (see README): acknowledgment timeout, CPU count for `make run`, fault injection.
DEFAULT_ACK_TIMEOUT_MS := 5000
ACK_TIMEOUT_MS ?= $(DEFAULT_ACK_TIMEOUT_MS)
CPUS ?= $(QEMU_MAX_CPUS)
FAULT ?=
FAULT_CPU ?= 1
FAULT_DELAY_MS ?= 0
FAULT_SKIP ?= 0
FAULT_EVERY ?= 0
BOOT_RETRIES ?= 0
LINGER_MS ?= 0
HOLD_MS ?= 0
BOOTDELAY_MS ?= 2000
BENCH_WFE_PEN ?=
RELEASE ?=
# How often a parked CPU looks at its slot without a wake-up (include/muster/smp.h), 1000..1000000.
DEFAULT_PEN_POLL_US := 10000
PEN_POLL_US ?= $(DEFAULT_PEN_POLL_US)
ifneq ($(shell [ "$(PEN_POLL_US)" -ge 1000 ] 2>/dev/null && [ "$(PEN_POLL_US)" -le 1000000 ] && echo ok),ok)
$(error PEN_POLL_US must be a number of microseconds in 1000..1000000, not '$(PEN_POLL_US)')
endif
# How the demo payload wakes the CPUs it starts: sgi (right), or a payload's common mistakes:
# sev (only SEV, as code written for WFE pens does), none (forgets the wake-up).
DEMO_WAKE ?= sgi
ifeq ($(filter $(DEMO_WAKE),sgi sev none),)
$(error unknown DEMO_WAKE '$(DEMO_WAKE)'; valid: sgi sev none)
endif

FAULT_KINDS := never delay abort hang spurious-sev no-wake late-wake reporter
fault_num = $(if $(filter never,$1),1,$(if $(filter delay,$1),2,$(if $(filter abort,$1),3,$(if $(filter hang,$1),4,$(if $(filter spurious-sev,$1),5,$(if $(filter no-wake,$1),7,$(if $(filter late-wake,$1),8,$(if $(filter reporter,$1),9,))))))))
# Stage numbers: include/muster/mailbox.h MBOX_STAGE_*.
STAGES := reset=1 pen=2 command=3 arrived=4 proceed=5
default_stage = $(if $(filter hang,$1),proceed,$(if $(filter never,$1),pen,command))
FAULT_STAGE ?= $(call default_stage,$(FAULT))
stage_num = $(patsubst $1=%,%,$(filter $1=%,$(STAGES)))

VARIANT :=
ifneq ($(ACK_TIMEOUT_MS),$(DEFAULT_ACK_TIMEOUT_MS))
VARIANT := $(VARIANT)-t$(ACK_TIMEOUT_MS)
endif
ifneq ($(BOOT_RETRIES)$(LINGER_MS)$(HOLD_MS),000)
VARIANT := $(VARIANT)-r$(BOOT_RETRIES)-l$(LINGER_MS)-h$(HOLD_MS)
endif
ifneq ($(BENCH_WFE_PEN),)
ifneq ($(RELEASE),)
$(error a release build cannot use the benchmark-only WFE pen)
endif
VARIANT := $(VARIANT)-wfepen
endif
ifneq ($(PEN_POLL_US),$(DEFAULT_PEN_POLL_US))
VARIANT := $(VARIANT)-poll$(PEN_POLL_US)
endif
ifneq ($(DEMO_WAKE),sgi)
VARIANT := $(VARIANT)-demowake-$(DEMO_WAKE)
endif
ifneq ($(FAULT),)
ifeq ($(filter $(FAULT),$(FAULT_KINDS)),)
$(error unknown FAULT '$(FAULT)'; valid: $(FAULT_KINDS))
endif
ifeq ($(call stage_num,$(FAULT_STAGE)),)
$(error unknown FAULT_STAGE '$(FAULT_STAGE)'; valid: $(STAGES))
endif
ifneq ($(RELEASE),)
$(error a release build cannot contain fault injection (FAULT=$(FAULT)))
endif
VARIANT := $(VARIANT)-$(FAULT)-cpu$(FAULT_CPU)-$(FAULT_STAGE)-$(FAULT_DELAY_MS)ms$(if $(filter-out 0,$(FAULT_SKIP)),-skip$(FAULT_SKIP))$(if $(filter-out 0,$(FAULT_EVERY)),-every$(FAULT_EVERY))
endif
BUILD ?= build/$(PLATFORM)$(VARIANT)

CROSS ?= arm-none-eabi-
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
SIZE := $(CROSS)size

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wundef
CPPFLAGS := -Iinclude -Iplatform/$(PLATFORM) -DMUSTER_ACK_TIMEOUT_MS=$(ACK_TIMEOUT_MS) \
	-DMUSTER_BOOTDELAY_MS=$(BOOTDELAY_MS) -DMUSTER_PEN_POLL_US=$(PEN_POLL_US)U \
	-DMUSTER_BOOT_RETRIES=$(BOOT_RETRIES) -DMUSTER_LINGER_MS=$(LINGER_MS) -DMUSTER_HOLD_MS=$(HOLD_MS) \
	$(if $(BENCH_WFE_PEN),-DMUSTER_BENCH_WFE_PEN) \
	-DDEMO_WAKE_SEV=$(if $(filter sgi sev,$(DEMO_WAKE)),1,0) -DDEMO_WAKE_SGI=$(if $(filter sgi,$(DEMO_WAKE)),1,0) \
	-DMUSTER_VERSION='"$(MUSTER_VERSION)"' -DMUSTER_BUILD_ID='"$(BUILD_ID)"' \
	$(if $(RELEASE),-DMUSTER_RELEASE) \
	$(if $(FAULT),-DMUSTER_FAULTS -DMUSTER_FAULT_KIND=$(call fault_num,$(FAULT)) \
		-DMUSTER_FAULT_CPU=$(if $(filter all,$(FAULT_CPU)),255,$(FAULT_CPU)) -DMUSTER_FAULT_STAGE=$(call stage_num,$(FAULT_STAGE)) \
		-DMUSTER_FAULT_DELAY_MS=$(FAULT_DELAY_MS) -DMUSTER_FAULT_SKIP=$(FAULT_SKIP) \
		-DMUSTER_FAULT_EVERY=$(FAULT_EVERY))
# MMU off means Strongly-ordered memory, where a misaligned access faults: never emit one.
CFLAGS := $(PLAT_CFLAGS) -std=gnu11 -O2 -g -ffreestanding -fno-common -mno-unaligned-access \
	-ffunction-sections -fdata-sections -fno-unwind-tables -fno-asynchronous-unwind-tables $(WARN)
ASFLAGS := $(PLAT_CFLAGS) -g -D__ASSEMBLER__
# Libraries (newlib-nano, libgcc) come from the toolchain's default multilib, ARMv4T soft-float A32:
# an ARMv4T library cannot contain an unaligned access. The multilib that -mcpu=cortex-a* picks
# (thumb/v7-a/nofp) is built with unaligned access allowed, and its printf stores a halfword to an
# odd stack address, which faults with the MMU off (docs/porting.md, "Memory rules").
LIBC_MULTILIB := -marm -march=armv4t -mfloat-abi=soft
LDFLAGS := $(LIBC_MULTILIB) -nostartfiles --specs=nano.specs -Wl,--gc-sections \
	-Wl,--fatal-warnings -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack
# After each link: the linker carries Tag_CPU_unaligned_access into the image when any input,
# a library's object included, was built to use unaligned accesses. Such an image is deleted.
check-aligned = @! $(CROSS)readelf -A $1 | grep -q Tag_CPU_unaligned_access || \
	{ echo "$1: links code built for unaligned access (readelf -A); with the MMU off it faults"; \
	  rm -f $1; exit 1; }

SRCS := boot/start.S boot/monitor.S smp/mailbox.c smp/pen.c smp/coordinator.c smp/secondary.c \
	smp/psci.c smp/bakery.c \
	core/main.c core/report.c core/psci_os.c core/console.c core/exception.c core/syscalls.c core/boot.c core/uimage.c \
	core/crc32.c core/fdt.c core/fit.c core/sha256.c core/settings.c core/cmdline.c core/shell.c core/probe.S $(PLAT_SRCS) $(if $(FAULT),core/fault.c)
OBJS := $(addprefix $(BUILD)/,$(addsuffix .o,$(basename $(SRCS))))
DEMO_SRCS := payload/demo/start.S payload/demo/demo.c core/syscalls.c
DEMO_OBJS := $(addprefix $(BUILD)/,$(addsuffix .o,$(basename $(DEMO_SRCS))))

.PHONY: all deps run run-flash flash test bench clean check size help print-qemu
.DEFAULT_GOAL := all

all: $(BUILD)/muster.bin $(BUILD)/size.txt $(BUILD)/flash-demo.img

# Every entry point that needs tools installs the missing ones first (a no-op when present).
deps:
	@bash tools/install-deps.sh

# Rebuild when the flags change (fault builds, timeouts, release).
$(BUILD)/flags: FORCE | deps
	@mkdir -p $(@D)
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' > $@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.S $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/muster.ld: linker/muster.ld.S $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -D__ASSEMBLER__ -E -P -x c -MMD -MP -MT $@ -MF $@.d $< -o $@

$(BUILD)/muster.elf: $(OBJS) $(BUILD)/muster.ld
	$(CC) $(LDFLAGS) -T $(BUILD)/muster.ld -Wl,-Map=$(BUILD)/muster.map $(OBJS) -o $@
	$(call check-aligned,$@)

$(BUILD)/muster.bin: $(BUILD)/muster.elf
	$(OBJCOPY) -O binary $< $@

# The SMP demo: a standalone payload that uses only the mailbox ABI and muster's bootinfo services.
$(BUILD)/payload.ld: payload/payload.ld.S $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -D__ASSEMBLER__ -E -P -x c -MMD -MP -MT $@ -MF $@.d $< -o $@

$(BUILD)/payload-demo.elf: $(DEMO_OBJS) $(BUILD)/payload.ld
	$(CC) $(LDFLAGS) -T $(BUILD)/payload.ld $(DEMO_OBJS) -o $@
	$(call check-aligned,$@)

$(BUILD)/payload-demo.bin: $(BUILD)/payload-demo.elf
	$(OBJCOPY) -O binary $< $@

# Flash images (tools/mkflash.py): muster, the settings record, a uImage payload made by mkimage.
BOOTDELAY ?= 2
# Linux's console device on the board's first serial port (platform.mk LINUX_CONSOLE; a PL011's by default).
LINUX_CONSOLE ?= ttyAMA0
BOOTARGS ?= console=$(LINUX_CONSOLE)
MKFLASH := /usr/bin/python3 tools/mkflash.py --board-dir platform/$(PLATFORM) --cc $(CC) \
	--ack-timeout-ms $(if $(filter $(origin ACK_TIMEOUT_MS),command line environment),$(ACK_TIMEOUT_MS),0) \
	--bootdelay-ms $$(( $(BOOTDELAY) * 1000 ))

# Regenerate the flash image when its settings change.
$(BUILD)/mkflash-args: FORCE | deps
	@mkdir -p $(@D)
	@echo '$(MKFLASH) $(BOOTARGS)' | cmp -s - $@ || echo '$(MKFLASH) $(BOOTARGS)' > $@

$(BUILD)/flash-demo.img: $(BUILD)/muster.bin $(BUILD)/payload-demo.bin tools/mkflash.py $(BUILD)/mkflash-args
	$(MKFLASH) --muster $(BUILD)/muster.bin --standalone $(BUILD)/payload-demo.bin --out $@ \
		--bootargs "$(BOOTARGS)"

# `make flash KERNEL=zImage DTB=board.dtb [INITRD=...] [BOOTARGS=...] [ACK_TIMEOUT_MS=] [BOOTDELAY=s]`;
# without KERNEL the payload is the SMP demo. PSCI=0: on a PSCI board, leave the DTB's SMP method alone.
# FIT=1: a FIT instead (each image at its own load address, sha256-hashed), MODULES="file@addr[:compat] ..."
# its extra loadables, XEN_BOOTARGS/DOM0_BOOTARGS Xen's /chosen command lines (docs/xen.md);
# PAYLOAD=image: a uImage or FIT made elsewhere, written as it is.
flash: $(BUILD)/muster.bin $(BUILD)/payload-demo.bin | deps
	$(MKFLASH) --muster $(BUILD)/muster.bin --out $(BUILD)/flash.img --bootargs "$(BOOTARGS)" \
		$(if $(PAYLOAD),--payload $(PAYLOAD), \
		$(if $(KERNEL),--kernel $(KERNEL) $(if $(DTB),--dtb $(DTB)) $(if $(INITRD),--initrd $(INITRD)) \
			$(if $(KERNEL_ONLY),--kernel-only) $(if $(filter 0,$(PSCI)),--no-psci) \
			$(if $(filter all,$(CPU_NODES)),--add-cpu-nodes) $(if $(filter 1,$(FIT)),--fit) $(foreach m,$(MODULES),--module $(m)) \
			$(if $(XEN_BOOTARGS),--xen-bootargs "$(XEN_BOOTARGS)") \
			$(if $(DOM0_BOOTARGS),--dom0-bootargs "$(DOM0_BOOTARGS)"), \
		--standalone $(BUILD)/payload-demo.bin))

$(BUILD)/size.txt: $(BUILD)/muster.elf $(BUILD)/muster.bin
	@{ $(SIZE) -A $< | grep -E '^\.(vectors|text|rodata|data|bss|mailbox|stacks) '; \
	   $(SIZE) $<; echo "flash image: $$(stat -c %s $(BUILD)/muster.bin) bytes"; } > $@
	@cat $@

size: $(BUILD)/size.txt

# Host unit tests and stress of the real smp/ code (host-test, stress, stress-short).
include tests/host/host.mk
# libFuzzer over the console parser and image checks (fuzz, fuzz-short).
include tests/fuzz/fuzz.mk
# The bare-metal PSCI conformance payload (boards with PLAT_HAS_PSCI).
-include payload/psci-test/psci-test.mk

-include $(OBJS:.o=.d) $(DEMO_OBJS:.o=.d) $(BUILD)/muster.ld.d $(BUILD)/payload.ld.d

# QEMU >= 10 by default (tools/get-qemu.sh: the system's, or Debian's backport unpacked into
# build/qemu/); QEMU=/path/to/qemu-system-arm chooses another.
QEMU ?= $(shell bash tools/get-qemu.sh)
# The serial console on stdio: Ctrl-C goes to muster (it cancels a line or a stress), Ctrl-A X quits.
QEMU_CONSOLE := -display none -chardev stdio,id=con,mux=on,signal=off -serial chardev:con -monitor none
QEMU_ARGS := -M $(QEMU_MACHINE) -m $(QEMU_MEM) -smp $(CPUS) $(QEMU_CONSOLE) -nic none $(QEMU_QUIET)

# QEMU_MIN_CPUS: a machine with a fixed core count (orangepi-pc: exactly 4) refuses fewer.
QEMU_MIN_CPUS ?= 1
check-cpus = @test $(CPUS) -ge $(QEMU_MIN_CPUS) -a $(CPUS) -le $(QEMU_MAX_CPUS) || \
	{ echo "CPUS must be $(QEMU_MIN_CPUS)..$(QEMU_MAX_CPUS) on $(PLATFORM)"; exit 2; }
PFLASH = -drive if=pflash,format=raw,snapshot=on,file=$1
# A numeric constant of the board, as board.h defines it.
board_const = $(shell echo $1 | $(CC) -Iplatform/$(PLATFORM) -include board.h -E -P - | tail -n 1)
# Boards without NOR flash (QEMU_FLASH = loader in platform.mk): QEMU's generic loader puts
# muster.bin at MUSTER_FLASH_BASE and starts CPU0 there (cpu-num=0 sets its PC at every reset:
# the board's reset address may hold a boot ROM QEMU does not model), and the whole flash image at
# the board's flash window in RAM.
LOADER_FLASH = -device loader,file=$(dir $1)muster.bin,addr=$(call board_const,MUSTER_FLASH_BASE),force-raw=on,cpu-num=0 \
	-device loader,file=$1,addr=$(call board_const,PLAT_FLASH_BASE),force-raw=on
BOOT_FLASH = $(if $(filter loader,$(QEMU_FLASH)),$(call LOADER_FLASH,$1),$(call PFLASH,$1))

# `make run`: boot from flash as hardware would (no -kernel, no -bios): the demo payload, all CPUs.
run: $(BUILD)/flash-demo.img
	$(check-cpus)
	$(QEMU) $(QEMU_ARGS) $(call BOOT_FLASH,$<)

# `make run-flash`: boot whatever `make flash` wrote.
run-flash:
	$(check-cpus)
	@test -f $(BUILD)/flash.img || { echo "no $(BUILD)/flash.img: run make flash first"; exit 2; }
	$(QEMU) $(QEMU_ARGS) $(call BOOT_FLASH,$(BUILD)/flash.img)

test: | deps
	@bash tools/run-tests.sh

bench: | deps
	@/usr/bin/python3 tools/bench.py

check: | deps
	@bash tools/static-checks.sh

# For the test harness: this board's QEMU settings.
print-qemu:
	@echo "QEMU=$(QEMU)"
	@echo "PLAT_CFLAGS=$(PLAT_CFLAGS)"
	@echo "QEMU_MACHINE=$(QEMU_MACHINE)"
	@echo "QEMU_MEM=$(QEMU_MEM)"
	@echo "QEMU_MAX_CPUS=$(QEMU_MAX_CPUS)"
	@echo "QEMU_QUIET=$(QEMU_QUIET)"
	@echo "QEMU_KERNEL_BOOT=$(or $(QEMU_KERNEL_BOOT),yes)"
	@echo "QEMU_MIN_CPUS=$(QEMU_MIN_CPUS)"
	@echo "QEMU_FLASH=$(or $(QEMU_FLASH),pflash)"
	@echo "QEMU_RESET_SINCE=$(or $(QEMU_RESET_SINCE),0)"
	@echo "QEMU_STAY_UP_VARS=$(QEMU_STAY_UP_VARS)"
	@echo "LINUX_DTB=$(LINUX_DTB)"
	@echo "LINUX_CONSOLE=$(LINUX_CONSOLE)"
	@echo "QEMU_CPU_HOLD=$(or $(QEMU_CPU_HOLD),no)"
	@echo "QEMU_ABORT_ADDR=$(QEMU_ABORT_ADDR)"
	@echo "PSCI_LINUX_FAULTS=$(or $(PSCI_LINUX_FAULTS),no)"
	@echo "PSCI_HOTPLUG_ROUNDS=$(PSCI_HOTPLUG_ROUNDS)"
	@echo "PSCI_LINUX_SYSTEM_OFF=$(or $(PSCI_LINUX_SYSTEM_OFF),yes)"
	@echo "PLAT_BOOT_IMAGE=$(PLAT_BOOT_IMAGE)"
	@echo "OS_ENTRY_MODE=$(OS_ENTRY_MODE)"
	@echo "QEMU_XEN=$(or $(QEMU_XEN),no)"
	@echo "PLAT_FLASH_BASE=$(call board_const,PLAT_FLASH_BASE)"
	@echo "MUSTER_FLASH_BASE=$(call board_const,MUSTER_FLASH_BASE)"
	@echo "MUSTER_FLASH_SIZE=$(call board_const,MUSTER_FLASH_SIZE)"
	@echo "PLAT_CORES_PER_CLUSTER=$$(printf '%s\n' '#include <board.h>' PLAT_CORES_PER_CLUSTER | $(CC) -Iplatform/$(PLATFORM) -E -P - | tail -n 1)"
	@echo "MUSTER_RAM_BASE=$$(printf '%s\n' '#include <board.h>' MUSTER_RAM_BASE | $(CC) -Iplatform/$(PLATFORM) -E -P - | tail -n 1)"
	@for c in MUSTER_RAM_SIZE PLAT_RAM_BASE PLAT_RAM_SIZE PLAT_LINUX_LOAD PLAT_LINUX_INITRD_ADDR PLAT_LINUX_DTB_ADDR \
		PLAT_HAS_PSCI PLAT_HAS_LINUX_SMP_PEN PLAT_MUSTER_MEMORY_SECURE PLAT_HAS_TZASC; do v=$$(printf '%s\n' '#include <muster/platform.h>' $$c | \
		$(CC) -Iinclude -Iplatform/$(PLATFORM) -D__ASSEMBLER__ -E -P - | tail -n 1 | sed -E 's/([0-9a-fA-F])U\b/\1/g'); \
		printf '%s=0x%08x\n' $$c $$(($$v)); done
	@for c in PLAT_FLASH_SIZE MUSTER_SETTINGS_OFFSET MUSTER_PAYLOAD_OFFSET MUSTER_SETTINGS_ADDR MUSTER_PAYLOAD_ADDR \
		PLAT_HAS_CPU_POWER PLAT_LINUX_STARTS_CORES; do v=$$(printf '%s\n' '#include <muster/platform.h>' $$c | \
		$(CC) -Iinclude -Iplatform/$(PLATFORM) -D__ASSEMBLER__ -E -P - | tail -n 1 | sed -E 's/([0-9a-fA-F])U\b/\1/g'); \
		printf '%s=0x%08x\n' $$c $$(($$v)); done
	@for c in MUSTER_PEN_POLL_US MUSTER_PEN_UNWOKEN_POLLS; do v=$$(printf '%s\n' '#include <muster/smp.h>' $$c | \
		$(CC) -Iinclude -Iplatform/$(PLATFORM) -DMUSTER_PEN_POLL_US=$(PEN_POLL_US)U -E -P - | tail -n 1 | sed -E 's/([0-9a-fA-F])U\b/\1/g'); \
		printf '%s=0x%08x\n' $$c $$(($$v)); done

# A board's own build rules, e.g. the image its boot ROM loads (PLAT_BOOT_IMAGE, which `all` then
# builds): platform/<name>/rules.mk, read after everything above so that it may use $(BUILD).
-include platform/$(PLATFORM)/rules.mk

clean:
	rm -rf build

help:
	@echo "targets: all run test bench check clean; PLATFORM=$(PLATFORMS) CPUS=n ACK_TIMEOUT_MS=ms"
	@echo "pen: PEN_POLL_US=us (1000..1000000, default $(DEFAULT_PEN_POLL_US)): how often a parked CPU looks without a wake-up"
	@echo "demo payload mistakes: DEMO_WAKE=<sgi|sev|none> (sgi: right; sev: SEV only; none: no wake-up)"
	@echo "fault builds: FAULT=<$(FAULT_KINDS)> FAULT_CPU=n FAULT_STAGE=<reset|pen|command|arrived|proceed> FAULT_DELAY_MS=ms FAULT_SKIP=n FAULT_EVERY=n"
