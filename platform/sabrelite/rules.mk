# sabrelite build rules beyond muster's own (the Makefile includes this after its rules).
# muster.imx: what the i.MX 6 boot ROM loads into OCRAM and starts (board.h, README.md): muster.bin
# behind the image header mkimage -T imximage writes, its DCD lines from IMX_DCD=file if given.
IMX_DCD ?=
PLAT_BOOT_IMAGE := muster.imx

$(BUILD)/imximage.cfg: platform/sabrelite/imximage.cfg $(IMX_DCD) $(BUILD)/flags
	cat platform/sabrelite/imximage.cfg $(IMX_DCD) > $@

$(BUILD)/muster.imx: $(BUILD)/muster.bin $(BUILD)/imximage.cfg
	mkimage -n $(BUILD)/imximage.cfg -T imximage -e $(call board_const,MUSTER_FLASH_BASE) -d $< $@ >/dev/null

all: $(BUILD)/muster.imx
