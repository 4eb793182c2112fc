/* The emulated PL011-subset console (register map in vuart.h). */
#include "core/vuart.h"
#include "core/libc.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFE (1u << 7)

void vuart_init(struct vuart *u, const char *name, const struct vmcfg_writer *out)
{
	u->name = name;
	u->out = *out;
	u->len = 0;
}

/* Writes "[name] <line>\n" in one piece, so it stays whole on the console. */
static void emit_line(struct vuart *u)
{
	char buf[VUART_LINE_MAX + 64];
	size_t n = 0, name_len = strlen(u->name);

	if (name_len > sizeof buf - VUART_LINE_MAX - 4)
		name_len = sizeof buf - VUART_LINE_MAX - 4;
	buf[n++] = '[';
	memcpy(buf + n, u->name, name_len);
	n += name_len;
	buf[n++] = ']';
	buf[n++] = ' ';
	memcpy(buf + n, u->line, u->len);
	n += u->len;
	buf[n++] = '\n';
	vmcfg_write(&u->out, buf, n);
	u->len = 0;
}

void vuart_flush(struct vuart *u)
{
	if (u->len)
		emit_line(u);
}

static void put_char(struct vuart *u, char c)
{
	if (c == '\n') {
		emit_line(u);
		return;
	}
	if (c == '\r')
		return; /* lines end with \n on the hypervisor console */
	if ((unsigned char)c < 0x20 || c == 0x7f)
		c = '?'; /* no control sequences from guests onto the host terminal */
	u->line[u->len++] = c;
	if (u->len == VUART_LINE_MAX)
		emit_line(u); /* an overlong line continues on the next one */
}

static int vuart_read(void *dev, uint64_t offset, unsigned size, uint64_t *value)
{
	(void)dev;
	(void)size;
	*value = offset == UART_FR ? UART_FR_TXFE | UART_FR_RXFE : 0;
	return 0;
}

static int vuart_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
	(void)size;
	if (offset == UART_DR)
		put_char(dev, (char)(value & 0xff));
	return 0;
}

const struct mmio_ops vuart_ops = { .read = vuart_read, .write = vuart_write };
