/* SPDX-License-Identifier: MIT */
/*
 * TOML floats on the host: the freestanding parser keeps a float as its
 * text; this turns the text into the nearest double with the C library's
 * strtod, which glibc rounds correctly.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/toml.h"

int vmcfg_toml_float_to_double(const char *text, size_t len, double *out)
{
	if (!text || !out)
		return VMCFG_EINVAL;

	size_t sign = len && (text[0] == '+' || text[0] == '-');
	bool neg = sign && text[0] == '-';
	if (len - sign == 3 && !memcmp(text + sign, "inf", 3)) {
		*out = neg ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (len - sign == 3 && !memcmp(text + sign, "nan", 3)) {
		*out = neg ? -NAN : NAN;
		return 0;
	}
	/* Only decimal notation: strtod would also take hex, "infinity", spaces. */
	if (len == sign || text[sign] < '0' || text[sign] > '9')
		return VMCFG_ESYNTAX;
	for (size_t i = sign; i < len; i++)
		if (!strchr("0123456789.eE+-", text[i]) || text[i] == '\0')
			return VMCFG_ESYNTAX;

	/* strtod wants a NUL-terminated string and the locale's decimal point. */
	char small[64];
	char *buf = len < sizeof small ? small : malloc(len + 1);
	if (!buf)
		return VMCFG_ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\0';
	const char *point = localeconv()->decimal_point;
	char *dot = strchr(buf, '.');
	if (dot && point[0] && !point[1])
		*dot = point[0];

	char *end;
	double d = strtod(buf, &end); /* overflow gives ±HUGE_VAL: IEEE rounding of a huge value */
	int rc = end == buf + len ? 0 : VMCFG_ESYNTAX;
	if (buf != small)
		free(buf);
	if (!rc)
		*out = d;
	return rc;
}
