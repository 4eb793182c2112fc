/* SPDX-License-Identifier: MIT */
/* Jumps into its console's device window: stage 2 never maps it executable, so it is stopped. */
#include "guest.h"

int main(void)
{
	void (*code)(void) = (void (*)(void))GUEST_CONSOLE_BASE;

	put_str("rogue-exec: jumping to the console window\n");
	code();
	put_str("rogue-exec: still running\n");
	return 0;
}
