/* SPDX-License-Identifier: MIT */
/*
 * The kernel and the initramfs of the Linux VM in one ELF, for a direct boot
 * that QEMU loads the way it loads the hypervisor's image (bench/linux/run.py's
 * elf-1). QEMU's -kernel path for a raw arm64 Image spends about 340 ms more
 * before the first instruction than for an ELF of the same size (a 32 MiB
 * image), which a boot through the hypervisor never pays.
 *
 * For an ELF, QEMU does not follow the Linux boot protocol: x0 holds no DTB
 * address. This trampoline does what the protocol asks (arm64 booting.rst: x0 the
 * DTB's physical address, x1-x3 zero, MMU off) and jumps to the Image. QEMU
 * puts the DTB (-dtb linux.dtb, whose /chosen holds the command line and the
 * initramfs range) at the start of RAM; the addresses are linux.toml's.
 */
	.section .entry, "ax"
	.global _start
_start:
	ldr	x0, =0x40000000	/* RAM's start: QEMU's DTB for an ELF */
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	ldr	x4, =0x40200000	/* linux.toml's kernel_load_addr */
	br	x4
	.ltorg

	.section .kimage, "a"
	.incbin	"vmlinuz"

	.section .initrd, "a"
	.incbin	"initrd.cpio"
