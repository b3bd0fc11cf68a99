# Build of the PSCI conformance test payload (payload/psci-test/), included by the top Makefile.
# `make psci-test`: $(BUILD)/flash-psci-test.img, muster plus the payload as a Linux multi-file
# image with tests/psci/$(PLATFORM).dts, and psci-test.elf. PSCI_CONDUIT=hvc: the ELF alone,
# calling through HVC, for QEMU's built-in PSCI (a machine without EL3, -kernel psci-test.elf).
# Beside it, flash-psci-test-<mode>.img for each of PSCI_TEST_MODES: the same payload, attacking
# the firmware from the Non-secure world, with "psci-test=<mode> $(PSCI_TEST_ARGS)" as its
# /chosen/bootargs (payload/psci-test/psci-test.c, "modes"; e.g. PSCI_TEST_ARGS=psci-test.seed=7).

PSCI_CONDUIT ?= smc
ifeq ($(filter $(PSCI_CONDUIT),smc hvc),)
$(error PSCI_CONDUIT must be smc or hvc, not '$(PSCI_CONDUIT)')
endif

PSCI_TEST_SRCS := payload/psci-test/start.S payload/psci-test/psci-test.c
PSCI_TEST_OBJS := $(addprefix $(BUILD)/,$(addsuffix .o,$(basename $(PSCI_TEST_SRCS))))
PSCI_TEST_DTS := tests/psci/$(PLATFORM).dts

.PHONY: psci-test

PSCI_TEST_MODES := fill secure-access fuzz
PSCI_TEST_ARGS ?=

ifeq ($(PSCI_CONDUIT),hvc)
psci-test: $(BUILD)/psci-test.elf
else
psci-test: $(BUILD)/flash-psci-test.img $(BUILD)/psci-test.elf \
	$(foreach m,$(PSCI_TEST_MODES),$(BUILD)/flash-psci-test-$(m).img)
endif

# The conduit is part of the objects' flags: switching it rebuilds them. Every object waits for
# this stamp, so a board without PSCI firmware stops here with a clear message.
$(BUILD)/psci-test.conduit: FORCE
	@test "$(call board_const,PLAT_HAS_PSCI)" = 1 || \
		{ echo "psci-test: PLATFORM=$(PLATFORM) has no PSCI firmware (board.h PLAT_HAS_PSCI)"; exit 2; }
	@mkdir -p $(@D)
	@echo '$(PSCI_CONDUIT)' | cmp -s - $@ || echo '$(PSCI_CONDUIT)' > $@

# private: the flag stays off $(BUILD)/flags and muster's own objects.
$(PSCI_TEST_OBJS): private CPPFLAGS += $(if $(filter hvc,$(PSCI_CONDUIT)),-DPSCI_TEST_HVC)
$(PSCI_TEST_OBJS): $(BUILD)/psci-test.conduit

$(BUILD)/psci-test.ld: payload/psci-test/psci-test.ld.S $(BUILD)/flags $(BUILD)/psci-test.conduit
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -D__ASSEMBLER__ -E -P -x c -MMD -MP -MT $@ -MF $@.d $< -o $@

$(BUILD)/psci-test.elf: $(PSCI_TEST_OBJS) $(BUILD)/psci-test.ld
	$(CC) $(LDFLAGS) -T $(BUILD)/psci-test.ld -Wl,-Map=$(BUILD)/psci-test.map $(PSCI_TEST_OBJS) -o $@
	$(call check-aligned,$@)

$(BUILD)/psci-test.bin: $(BUILD)/psci-test.elf
	$(OBJCOPY) -O binary $< $@

$(BUILD)/psci-test.dtb: $(wildcard $(PSCI_TEST_DTS)) | deps
	@test -f $(PSCI_TEST_DTS) || { echo "psci-test: no $(PSCI_TEST_DTS) for PLATFORM=$(PLATFORM)"; exit 2; }
	@mkdir -p $(@D)
	dtc -q -I dts -O dtb -o $@ $(PSCI_TEST_DTS)

$(BUILD)/flash-psci-test.img: $(BUILD)/muster.bin $(BUILD)/psci-test.bin $(BUILD)/psci-test.dtb \
		tools/mkflash.py $(BUILD)/mkflash-args
	$(MKFLASH) --muster $(BUILD)/muster.bin --out $@ --bootargs "" \
		--kernel $(BUILD)/psci-test.bin --dtb $(BUILD)/psci-test.dtb

# The mode images are rewritten when PSCI_TEST_ARGS changes.
$(BUILD)/psci-test.args: FORCE
	@mkdir -p $(@D)
	@echo '$(PSCI_TEST_ARGS)' | cmp -s - $@ || echo '$(PSCI_TEST_ARGS)' > $@

$(BUILD)/flash-psci-test-%.img: $(BUILD)/muster.bin $(BUILD)/psci-test.bin $(BUILD)/psci-test.dtb \
		tools/mkflash.py $(BUILD)/mkflash-args $(BUILD)/psci-test.args
	$(MKFLASH) --muster $(BUILD)/muster.bin --out $@ --bootargs "$(strip psci-test=$* $(PSCI_TEST_ARGS))" \
		--kernel $(BUILD)/psci-test.bin --dtb $(BUILD)/psci-test.dtb

-include $(PSCI_TEST_OBJS:.o=.d) $(BUILD)/psci-test.ld.d
