/* What the test guests share: console output through the PL011, PSCI calls. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#define UART_BASE 0x09000000ul
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_TXFF (1u << 5)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFE (1u << 7)

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_SYSTEM_OFF 0x84000008u

int main(void);

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

void put_char(char c);
void put_str(const char *s);
void put_hex(uint64_t v);

/* SMCCC fast calls: function ID in w0, result in x0. */
int64_t hvc_call(uint32_t fid);
int64_t smc_call(uint32_t fid);

/* PSCI SYSTEM_OFF through HVC; does not return. */
__attribute__((noreturn)) void guest_power_off(void);

#endif
