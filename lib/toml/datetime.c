/* SPDX-License-Identifier: MIT */
/*
 * Dates and times (RFC 3339 as TOML 1.0 restricts it): offset and local
 * date-times, local dates, local times. Fields are range-checked,
 * including the day of the month in leap years. Second 60 is accepted
 * (a leap second; RFC 3339 allows it and no leap-second table is kept).
 */
#include "internal.h"

static bool digits(const unsigned char *s, const unsigned char *e, size_t n)
{
	if (s > e || (size_t)(e - s) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The value of n digits (checked by digits()). */
static unsigned number(const unsigned char *s, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

static unsigned days_in_month(unsigned year, unsigned month)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
	return month == 2 && leap ? 29 : days[month - 1];
}

static int bad(struct parser *p, const unsigned char *t, size_t n, const char *why)
{
	int shown = n > 48 ? 48 : (int)n;
	return vmcfg_tp_fail(p, t, VMCFG_ESYNTAX, "invalid date-time '%.*s%s': %s", shown,
		       (const char *)t, (size_t)shown < n ? "..." : "", why);
}

int vmcfg_tp_parse_datetime(struct parser *p, const unsigned char *t, size_t n, struct vmcfg_toml_value *v)
{
	const unsigned char *s = t, *e = t + n;
	bool has_date = false, has_time = false, has_offset = false, need_time = true;
	struct toml_datetime dt;

	memset(&dt, 0, sizeof dt);

	if (n > 4 && t[4] == '-') {
		if (e - s < 10 || !digits(s, e, 4) || !digits(s + 5, e, 2) || s[7] != '-' ||
		    !digits(s + 8, e, 2))
			return bad(p, t, n, "expected a date as YYYY-MM-DD");
		unsigned year = number(s, 4), month = number(s + 5, 2), day = number(s + 8, 2);
		if (month < 1 || month > 12)
			return bad(p, t, n, "the month must be 01 to 12");
		if (day < 1 || day > days_in_month(year, month))
			return bad(p, t, n, "no such day in that month");
		dt.year = (uint16_t)year;
		dt.month = (uint8_t)month;
		dt.day = (uint8_t)day;
		has_date = true;
		s += 10;
		need_time = s < e;
		if (need_time) {
			if (*s != 'T' && *s != 't' && *s != ' ')
				return bad(p, t, n, "expected 'T' between the date and the time");
			s++;
		}
	}
	if (need_time) {
		if (e - s < 8 || !digits(s, e, 2) || s[2] != ':' || !digits(s + 3, e, 2) ||
		    s[5] != ':' || !digits(s + 6, e, 2))
			return bad(p, t, n, "expected a time as HH:MM:SS");
		unsigned hour = number(s, 2), minute = number(s + 3, 2), second = number(s + 6, 2);
		if (hour > 23 || minute > 59 || second > 60)
			return bad(p, t, n, "hour, minute or second out of range");
		dt.hour = (uint8_t)hour;
		dt.minute = (uint8_t)minute;
		dt.second = (uint8_t)second;
		has_time = true;
		s += 8;
		if (s < e && *s == '.') {
			/* Nanoseconds: further digits are truncated, not rounded. */
			unsigned k = 0;
			uint32_t ns = 0;
			for (s++; s < e && *s >= '0' && *s <= '9'; s++, k++)
				if (k < 9)
					ns = ns * 10 + (uint32_t)(*s - '0');
			if (k == 0)
				return bad(p, t, n, "digits must follow '.'");
			dt.frac_digits = (uint8_t)(k < 9 ? k : 9);
			for (; k < 9; k++)
				ns *= 10;
			dt.nanosecond = ns;
		}
	}
	if (s < e && has_date) {
		if (*s == 'Z' || *s == 'z') {
			v->flags |= VALUE_OFFSET_Z;
			s++;
		} else if (*s == '+' || *s == '-') {
			if (e - s < 6 || !digits(s + 1, e, 2) || s[3] != ':' ||
			    !digits(s + 4, e, 2))
				return bad(p, t, n, "expected an offset as Z or +HH:MM");
			unsigned hours = number(s + 1, 2), minutes = number(s + 4, 2);
			if (hours > 23 || minutes > 59)
				return bad(p, t, n, "offset out of range");
			int off = (int)(hours * 60 + minutes);
			dt.offset_minutes = (int16_t)(*s == '-' ? -off : off);
			s += 6;
		} else {
			return bad(p, t, n, "unexpected characters after the time");
		}
		has_offset = true;
	}
	if (s != e)
		return bad(p, t, n,
			   has_time ? "unexpected characters after the time"
				    : "unexpected characters after the date");
	if (!(v->as.dt = tp_alloc(p, sizeof dt, 4)))
		return vmcfg_tp_fail_nomem(p);
	*v->as.dt = dt;
	v->type = has_offset             ? VMCFG_TOML_DATETIME
		  : has_date && has_time ? VMCFG_TOML_DATETIME_LOCAL
		  : has_date             ? VMCFG_TOML_DATE_LOCAL
					 : VMCFG_TOML_TIME_LOCAL;
	return 0;
}

size_t vmcfg_toml_format_datetime(const struct vmcfg_toml_datetime *dt, char *buf, size_t size)
{
	char tmp[64];
	size_t n = 0;

	if (dt->has_date)
		n += vmcfg_snprintf(tmp, sizeof tmp, "%04u-%02u-%02u", dt->year, dt->month,
				    dt->day);
	if (dt->has_date && dt->has_time)
		tmp[n++] = 'T';
	if (dt->has_time) {
		n += vmcfg_snprintf(tmp + n, sizeof tmp - n, "%02u:%02u:%02u", dt->hour, dt->minute,
				    dt->second);
		unsigned digits_kept = dt->frac_digits > 9 ? 9 : dt->frac_digits;
		if (digits_kept) {
			uint32_t frac = dt->nanosecond % 1000000000u;
			for (unsigned k = digits_kept; k < 9; k++)
				frac /= 10;
			n += vmcfg_snprintf(tmp + n, sizeof tmp - n, ".%0*u", (int)digits_kept,
					    (unsigned)frac);
		}
	}
	if (dt->has_offset) {
		if (dt->offset_z) {
			tmp[n++] = 'Z';
		} else {
			int off = dt->offset_minutes;
			unsigned a = (unsigned)(off < 0 ? -off : off);
			n += vmcfg_snprintf(tmp + n, sizeof tmp - n, "%c%02u:%02u",
					    off < 0 ? '-' : '+', a / 60, a % 60);
		}
	}
	tmp[n] = '\0';
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return n;
}
