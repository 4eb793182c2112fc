/* SPDX-License-Identifier: MIT */
/*
 * The second VM of examples/axvisor/split.toml: it is given one virtio
 * device by its DT path, QEMU virt's virtio-mmio transport at 0x0a00_2e00
 * (transport 23, SPI 39: INTID 71) with the virtio-rng device the test plugs
 * in there, drives it through the legacy (version 1) MMIO interface — one
 * 8-entry queue, one 16-byte request — and takes the used-buffer interrupt
 * through the vGIC at QEMU virt's GICv3 addresses. Its RAM is identity-
 * mapped (linked at 0xa008_0000 by guests.mk): the device writes the
 * request's guest-physical address, which must be the host's, as nothing
 * translates device DMA. Every SPI is enabled, so an interrupt of the
 * other VM that reached this one would be taken and counted as foreign.
 * Prints to its emulated console; ends with PSCI SYSTEM_OFF.
 */
#include "guest.h"

#define GICD_BASE 0x08000000ul
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICR_BASE 0x080a0000ul
#define GICR_WAKER 0x0014
#define INTID_SPURIOUS 1023

#define VIO_BASE 0x0a002e00ul
#define VIO_INTID 71 /* SPI 39: QEMU virt's transport n raises SPI 16 + n */
#define VIO_MAGIC 0x000
#define VIO_VERSION 0x004
#define VIO_DEVICE_ID 0x008
#define VIO_GUEST_FEATURES 0x020
#define VIO_GUEST_PAGE_SIZE 0x028
#define VIO_QUEUE_SEL 0x030
#define VIO_QUEUE_NUM_MAX 0x034
#define VIO_QUEUE_NUM 0x038
#define VIO_QUEUE_ALIGN 0x03c
#define VIO_QUEUE_PFN 0x040
#define VIO_QUEUE_NOTIFY 0x050
#define VIO_INT_STATUS 0x060
#define VIO_INT_ACK 0x064
#define VIO_STATUS 0x070
#define VIO_ACK 1
#define VIO_DRIVER 2
#define VIO_DRIVER_OK 4
#define VIRTIO_ID_RNG 4
#define QNUM 8
#define DESC_WRITE 2

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* The legacy layout: descriptors and the available ring, the used ring at the next page. */

/*
 * Device registers by single ldr/str without writeback, whatever the
 * compiler would make of a loop: the hypervisor emulates only what the
 * syndrome describes (ISV = 1), and stops a VM for anything else.
 */
static inline uint32_t reg_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void reg_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline void reg_write64(uintptr_t addr, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static struct {
	struct desc desc[QNUM];
	uint16_t avail_flags, avail_idx, avail_ring[QNUM], used_event;
	uint8_t pad[4096 - QNUM * 16 - (4 + 2 * QNUM + 2)];
	uint16_t used_flags, used_idx;
	struct {
		uint32_t id, len;
	} used_ring[QNUM];
} ring __attribute__((aligned(4096)));
static uint8_t buf[16];

static void gic_setup(void)
{
	uint32_t lines = 32 * ((reg_read32(GICD_BASE + GICD_TYPER) & 0x1f) + 1);

	reg_write32(GICR_BASE + GICR_WAKER, 0);
	reg_write32(GICD_BASE + GICD_CTLR, 1u << 4 | 1u << 1); /* ARE, EnableGrp1 */
	for (uint32_t i = 32; i < lines; i += 32)
		reg_write32(GICD_BASE + GICD_IGROUPR + i / 8, 0xffffffffu);
	for (uint32_t i = 32; i < lines; i += 4)
		reg_write32(GICD_BASE + GICD_IPRIORITYR + i, 0xa0a0a0a0u);
	for (uint32_t i = 32; i < lines; i++)
		reg_write64(GICD_BASE + GICD_IROUTER + i * 8, guest_mpidr());
	for (uint32_t i = 32; i < lines; i += 32)
		reg_write32(GICD_BASE + GICD_ISENABLER + i / 8, 0xffffffffu);
	__asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffull));  /* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0\n\tisb" : : "r"(1ull)); /* ICC_IGRPEN1_EL1 */
}

int main(void)
{
	uint32_t got = 0, foreign = 0, used = 0;
	uint64_t deadline, start = counter();

	/*
	 * In examples/axvisor/split.toml the other VM owns the host's PL011 and
	 * writes to it byte by byte, while this VM's console lines reach the same
	 * UART through the hypervisor: start after the other has printed its
	 * lines and taken the test's typing (tests/axvisor/run), so that neither
	 * cuts into the other's lines.
	 */
	while (counter() - start < 3 * counter_freq())
		;
	if (reg_read32(VIO_BASE + VIO_MAGIC) != 0x74726976u ||
	    reg_read32(VIO_BASE + VIO_DEVICE_ID) != VIRTIO_ID_RNG) {
		put_str("virtio-irq: no virtio-rng at 0x0a002e00: FAILED\n");
		return 0;
	}
	put_str("virtio-irq: virtio-rng at 0x0a002e00, version ");
	put_dec(reg_read32(VIO_BASE + VIO_VERSION));
	put_str("\n");
	gic_setup();

	reg_write32(VIO_BASE + VIO_STATUS, 0);
	reg_write32(VIO_BASE + VIO_STATUS, VIO_ACK | VIO_DRIVER);
	reg_write32(VIO_BASE + VIO_GUEST_FEATURES, 0);
	reg_write32(VIO_BASE + VIO_GUEST_PAGE_SIZE, 4096);
	reg_write32(VIO_BASE + VIO_QUEUE_SEL, 0);
	if (reg_read32(VIO_BASE + VIO_QUEUE_NUM_MAX) < QNUM) {
		put_str("virtio-irq: queue too small: FAILED\n");
		return 0;
	}
	reg_write32(VIO_BASE + VIO_QUEUE_NUM, QNUM);
	reg_write32(VIO_BASE + VIO_QUEUE_ALIGN, 4096);
	reg_write32(VIO_BASE + VIO_QUEUE_PFN, (uint32_t)((uintptr_t)&ring >> 12));
	reg_write32(VIO_BASE + VIO_STATUS, VIO_ACK | VIO_DRIVER | VIO_DRIVER_OK);

	ring.desc[0] = (struct desc){ (uint64_t)(uintptr_t)buf, sizeof buf, DESC_WRITE, 0 };
	ring.avail_ring[0] = 0;
	__asm__ volatile("dmb sy" : : : "memory");
	ring.avail_idx = 1;
	__asm__ volatile("dmb sy" : : : "memory");
	reg_write32(VIO_BASE + VIO_QUEUE_NOTIFY, 0);

	deadline = counter() + 10 * counter_freq();
	while (!got && counter() < deadline) {
		uint64_t intid;

		cpu_yield();
		__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid) : : "memory"); /* ICC_IAR1_EL1 */
		if (intid == INTID_SPURIOUS)
			continue;
		if (intid == VIO_INTID) {
			reg_write32(VIO_BASE + VIO_INT_ACK, reg_read32(VIO_BASE + VIO_INT_STATUS));
			__asm__ volatile("dmb sy" : : : "memory");
			used = *(volatile uint16_t *)&ring.used_idx;
			got = used ? ((volatile uint32_t *)&ring.used_ring[0].len)[0] : 0;
		} else {
			foreign++;
			put_str("virtio-irq: foreign INTID ");
			put_dec((int64_t)intid);
			put_str("\n");
		}
		__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(intid) : "memory"); /* EOIR1 */
	}
	put_str("virtio-irq: used ring ");
	put_dec(used);
	put_str(", ");
	put_dec(got);
	put_str(" random byte(s) after INTID 71, ");
	put_dec(foreign);
	put_str(" foreign\n");
	put_str(got && !foreign ? "virtio-irq: ok\n" : "virtio-irq: FAILED\n");
	return 0;
}
