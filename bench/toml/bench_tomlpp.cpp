/* SPDX-License-Identifier: MIT */
// Throughput of toml++ (Debian libtomlplusplus-dev, used header-only and
// compiled with the same -O2 as the harness), for bench/toml/run_bench.py.
//
//   bench_tomlpp [--min-time SECONDS] [--min-iters N] FILE...
//
// Same protocol and output as bench_toml.c: all files are read into memory
// first; one iteration parses each file from a std::string_view and
// destroys the table. Heap bytes are counted by replacing the global
// operator new/delete (malloc_usable_size of each block, so slightly more
// than requested); peak_alloc is the peak above the level before parsing.
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

static size_t g_in_use, g_peak;

static void *counted_alloc(size_t n)
{
	void *p = std::malloc(n ? n : 1);
	if (!p)
		throw std::bad_alloc();
	g_in_use += malloc_usable_size(p);
	if (g_in_use > g_peak)
		g_peak = g_in_use;
	return p;
}

static void counted_free(void *p) noexcept
{
	if (p) {
		g_in_use -= malloc_usable_size(p);
		std::free(p);
	}
}

void *operator new(size_t n) { return counted_alloc(n); }
void *operator new[](size_t n) { return counted_alloc(n); }
void operator delete(void *p) noexcept { counted_free(p); }
void operator delete[](void *p) noexcept { counted_free(p); }
void operator delete(void *p, size_t) noexcept { counted_free(p); }
void operator delete[](void *p, size_t) noexcept { counted_free(p); }

struct fingerprint {
	unsigned long long leaves = 0, int_sum = 0, str_bytes = 0;
};

static void walk(const toml::node &n, fingerprint &fp)
{
	if (auto t = n.as_table()) {
		for (auto &&kv : *t)
			walk(kv.second, fp);
		return;
	}
	if (auto a = n.as_array()) {
		for (auto &&e : *a)
			walk(e, fp);
		return;
	}
	if (auto i = n.as_integer())
		fp.int_sum += static_cast<unsigned long long>(i->get());
	else if (auto s = n.as_string())
		fp.str_bytes += s->get().size();
	fp.leaves++;
}

// Peak RSS in KiB: VmHWM (see bench_toml.c for why not ru_maxrss alone).
static long max_rss_kb()
{
	long kb = -1;
	if (FILE *f = std::fopen("/proc/self/status", "r")) {
		char line[256];
		while (std::fgets(line, sizeof line, f))
			if (std::sscanf(line, "VmHWM: %ld", &kb) == 1)
				break;
		std::fclose(f);
	}
	if (kb < 0) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		kb = ru.ru_maxrss;
	}
	return kb;
}

int main(int argc, char **argv)
{
	double min_time = 1.0;
	long min_iters = 5, plain = -1;
	int first = 1;
	while (first + 1 < argc && std::strncmp(argv[first], "--", 2) == 0) {
		if (!std::strcmp(argv[first], "--plain"))
			plain = std::atol(argv[first + 1]);
		else if (!std::strcmp(argv[first], "--min-time"))
			min_time = std::atof(argv[first + 1]);
		else if (!std::strcmp(argv[first], "--min-iters"))
			min_iters = std::atol(argv[first + 1]);
		else
			break;
		first += 2;
	}
	if (first >= argc) {
		std::fprintf(stderr, "usage: %s [--min-time S] [--min-iters N] FILE...\n", argv[0]);
		return 2;
	}

	std::vector<std::string> in;
	size_t total = 0;
	for (int i = first; i < argc; i++) {
		std::ifstream f(argv[i], std::ios::binary);
		if (!f) {
			std::perror(argv[i]);
			return 1;
		}
		std::ostringstream ss;
		ss << f.rdbuf();
		in.push_back(ss.str());
		total += in.back().size();
	}
	if (plain >= 0) { /* --plain N: N parses of each file, nothing else (bench/toml/measure.py) */
		std::printf("parser=toml++ plain=%ld", plain);
		for (long k = 0; k < plain; k++) {
			struct rusage r0, r1;
			getrusage(RUSAGE_SELF, &r0);
			auto t0 = std::chrono::steady_clock::now();
			for (const auto &doc : in)
				toml::table t = toml::parse(std::string_view(doc));
			auto t1 = std::chrono::steady_clock::now();
			getrusage(RUSAGE_SELF, &r1);
			std::printf(" parse%ld_s=%.6f parse%ld_faults=%ld", k,
				    std::chrono::duration<double>(t1 - t0).count(), k,
				    r1.ru_minflt - r0.ru_minflt);
		}
		std::printf("\n");
		return 0;
	}
	std::vector<double> times;
	times.reserve(1 << 16);
	long rss_base = max_rss_kb();
	size_t base_in_use = g_in_use;
	g_peak = g_in_use;

	using clock = std::chrono::steady_clock;
	auto start = clock::now();
	size_t ok = 0;
	for (;;) {
		auto t0 = clock::now();
		ok = 0;
		for (const auto &doc : in) {
			try {
				toml::table t = toml::parse(std::string_view(doc));
				ok++;
			} catch (const toml::parse_error &) {
			}
		}
		auto t1 = clock::now();
		times.push_back(std::chrono::duration<double>(t1 - t0).count());
		if (std::chrono::duration<double>(t1 - start).count() >= min_time &&
		    (long)times.size() >= min_iters)
			break;
	}
	long rss_peak = max_rss_kb();
	size_t peak_alloc = g_peak - base_in_use;

	fingerprint fp;
	for (size_t i = 0; i < in.size(); i++) {
		try {
			toml::table t = toml::parse(std::string_view(in[i]));
			walk(t, fp);
		} catch (const toml::parse_error &e) {
			std::fprintf(stderr, "%s:%u:%u: %s\n", argv[first + (int)i],
				     e.source().begin.line, e.source().begin.column,
				     std::string(e.description()).c_str());
		}
	}

	std::sort(times.begin(), times.end());
	size_t n = times.size();
	double best = times[0], median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
	std::printf("parser=toml++ files=%zu bytes=%zu iters=%zu best_s=%.6f median_s=%.6f "
		    "best_mbps=%.2f median_mbps=%.2f ok=%zu leaves=%llu int_sum=%llu str_bytes=%llu "
		    "peak_alloc=%zu rss_base_kb=%ld rss_peak_kb=%ld\n",
		    in.size(), total, n, best, median, total / best / 1e6, total / median / 1e6, ok,
		    fp.leaves, fp.int_sum, fp.str_bytes, peak_alloc, rss_base, rss_peak);
	return 0;
}
