// SPDX-License-Identifier: MIT
//
// Embedding libvmcfg in a C++ program: the same as embed.c (load a VM file,
// check it, print its findings as `vmcfg check` does and its memory map),
// with the library's objects owned by std::unique_ptr.
//
//   c++ -std=c++17 embed.cpp $(pkg-config --cflags --libs vmcfg) -o embed-cxx
//   ./embed-cxx VM.toml     exit status 0 fine, 1 errors in the file, 2 I/O error
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <vmcfg/check.h>
#include <vmcfg/config.h>
#include <vmcfg/diag.h>
#include <vmcfg/host.h>
#include <vmcfg/spec.h>

namespace {

struct SpecFree {
	void operator()(vmcfg_vm_spec *s) const { vmcfg_vm_spec_free(s); }
};
struct ConfigFree {
	void operator()(vmcfg_vm_config *c) const { vmcfg_vm_config_free(c); }
};
struct DiagsFree {
	void operator()(vmcfg_diags *d) const { vmcfg_diags_free(d); delete d; }
};
struct TextFree {
	void operator()(char *t) const { std::free(t); }
};

// The renderer's output, piece by piece, to std::cout.
int put(void *, const char *buf, size_t len)
{
	std::cout.write(buf, static_cast<std::streamsize>(len));
	return std::cout ? 0 : VMCFG_EIO;
}

// The findings as `vmcfg check` prints them (vmcfg_diag_render): each with
// its source line and carets, the related place, the hint, then the
// "N errors, N warnings" line. No colour; at most 100 findings per file, as
// the CLI.
void print_diags(const vmcfg_diags &d, const char *file, const char *text, size_t len)
{
	vmcfg_diag_source src = {file, text, len};
	vmcfg_render_opts opts = {false, 0, 0, 100, 1000};
	vmcfg_diag_render(&d, &src, 1, &opts, put, nullptr);
}

const char *map_type_name(vmcfg_map_type t)
{
	return t == VMCFG_MAP_ALLOC ? "MapAlloc" : t == VMCFG_MAP_IDENTICAL ? "MapIdentical" : "MapReserved";
}

void print_memory_map(const vmcfg_vm_config &cfg)
{
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF];
	std::cout << "memory map of VM `" << cfg.name << "` (id " << cfg.id << "):\n";
	for (size_t i = 0; i < cfg.region_count; i++) {
		const vmcfg_vm_mem_region &r = cfg.regions[i];
		std::string size = vmcfg_fmt_size(s, r.size);
		size.resize(size.size() < 8 ? 8 : size.size(), ' ');
		std::cout << "  [" << vmcfg_fmt_hex(a, r.gpa) << ", " << vmcfg_fmt_hex(b, r.gpa + r.size)
			  << ") " << size << ' ' << (r.flags & VMCFG_MEM_READ ? 'r' : '-')
			  << (r.flags & VMCFG_MEM_WRITE ? 'w' : '-')
			  << (r.flags & VMCFG_MEM_EXECUTE ? 'x' : '-') << ' ' << map_type_name(r.map_type)
			  << '\n';
	}
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::cerr << "usage: " << argv[0] << " VM.toml\n";
		return 2;
	}
	const char *path = argv[1];
	const vmcfg_allocator *alloc = &vmcfg_host_allocator;
	char *raw;
	size_t len;
	if (int err = vmcfg_read_file(path, &raw, &len)) {
		std::cerr << path << ": " << vmcfg_strerror(err) << '\n';
		return 2;
	}
	std::unique_ptr<char, TextFree> text(raw);

	std::unique_ptr<vmcfg_diags, DiagsFree> diags(new vmcfg_diags);
	vmcfg_diags_init(diags.get(), alloc);
	vmcfg_vm_spec *s = nullptr;
	int err = vmcfg_vm_spec_load(text.get(), len, path, alloc, diags.get(), &s);
	std::unique_ptr<vmcfg_vm_spec, SpecFree> spec(s);
	if (!err && spec)
		err = vmcfg_check_vm(spec.get(), nullptr, nullptr, diags.get());
	if (err) {
		std::cerr << path << ": " << vmcfg_strerror(err) << '\n';
		return 2;
	}
	vmcfg_diags_sort(diags.get());
	print_diags(*diags, path, text.get(), len);
	if (diags->errors)
		return 1;

	vmcfg_vm_config *c = nullptr;
	if ((err = vmcfg_vm_config_from_spec(spec.get(), alloc, &c))) {
		std::cerr << path << ": " << vmcfg_strerror(err) << '\n';
		return 2;
	}
	std::unique_ptr<vmcfg_vm_config, ConfigFree> cfg(c);
	print_memory_map(*cfg);
	return 0;
}
