#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes tools/vmcfg/cmd_schema.c: the JSON Schema `vmcfg schema` prints. Run after a format change.
import json
u64 = {"type": "integer", "minimum": 0, "maximum": 18446744073709551615}
def addr(desc): return dict(u64, description=desc)
def u32(desc, mx=4294967295): return {"type":"integer","minimum":0,"maximum":mx,"description":desc}
def record(name, fields, required_n, desc):
    """fields: list of (name, schema). Positional: prefixItems, min required_n, max len."""
    pos = {"type": "array", "prefixItems": [f[1] for f in fields], "items": False,
           "minItems": required_n, "maxItems": len(fields),
           "description": desc + " — positional form: [" + ", ".join(f[0] for f in fields) + "]"}
    named = {"type": "object", "properties": {f[0]: f[1] for f in fields},
             "required": [f[0] for f in fields[:required_n]], "additionalProperties": False,
             "description": desc + " — named form"}
    return {"oneOf": [pos, named]}
flags = u32("READ 0x1 | WRITE 0x2 | EXECUTE 0x4 | USER 0x8 | DEVICE 0x10 | UNCACHED 0x20", 0x3f)
map_type = {"enum": [0, 1, 2], "description": "0 MapAlloc, 1 MapIdentical, 2 MapReserved"}
emu_type = {"enum": [0, 1, 2, 10, 32, 33, 34, 48, 225, 226, 227],
            "description": "0x00 Dummy, 0x01 InterruptController, 0x02 Console, 0x0A IVCChannel, 0x20 GPPTRedistributor, 0x21 GPPTDistributor, 0x22 GPPTITS, 0x30 PPPTGlobal, 0xE1 VirtioBlk, 0xE2 VirtioNet, 0xE3 VirtioConsole"}
s = {
 "$schema": "https://json-schema.org/draft/2020-12/schema",
 "$id": "https://vmcfg.invalid/schema/vm.json",
 "title": "vmcfg VM configuration (AxVisor format)",
 "description": "One VM per file. Every record may be written as a positional array or as a table with named fields.",
 "type": "object", "required": ["base", "kernel", "devices"], "additionalProperties": False,
 "$defs": {
  "region": record("region", [("gpa", addr("guest physical address")), ("size", addr("size in bytes")), ("flags", flags), ("map_type", map_type)], 4, "guest memory region"),
  "emu_device": record("emu", [("name", {"type": "string"}), ("base_gpa", addr("guest physical base")), ("length", addr("window length")), ("irq_id", u32("interrupt id, 0 = none")), ("emu_type", emu_type), ("cfg_list", {"type": "array", "items": u64})], 6, "emulated device"),
  "pt_device": record("pt", [("name", {"type": "string", "description": "device name, or a device-tree path when it is the only field"}), ("base_gpa", addr("guest physical base")), ("base_hpa", addr("host physical base")), ("length", addr("window length")), ("irq_id", u32("informational interrupt id"))], 1, "passthrough device"),
  "pt_address": record("pt_address", [("base_gpa", addr("guest physical base (identity-mapped)")), ("length", addr("window length"))], 2, "passthrough address window"),
 },
 "properties": {
  "base": {"type": "object", "additionalProperties": False, "required": ["id", "name", "vm_type", "cpu_num"], "properties": {
    "id": dict(u64, description="VM id, unique in a system"),
    "name": {"type": "string", "description": "VM name"},
    "vm_type": {"enum": [0, 1, 2], "description": "0 host VM, 1 RTOS, 2 Linux"},
    "cpu_num": u32("number of vCPUs", 512) | {"minimum": 1},
    "phys_cpu_ids": {"type": "array", "items": u64, "description": "per vCPU physical id (MPIDR on ARM); cpu_num entries"},
    "phys_cpu_sets": {"type": "array", "items": u64, "description": "per vCPU bitmask of allowed physical CPUs; cpu_num entries"}}},
  "kernel": {"type": "object", "additionalProperties": False, "required": ["entry_point", "kernel_path", "kernel_load_addr", "memory_regions"], "properties": {
    "entry_point": addr("GPA where the vCPUs start"),
    "kernel_path": {"type": "string"}, "kernel_load_addr": addr("GPA of the kernel image"),
    "bios_path": {"type": "string"}, "bios_load_addr": addr("GPA of the firmware image"),
    "dtb_path": {"type": "string"}, "dtb_load_addr": addr("GPA of the device tree blob"),
    "ramdisk_path": {"type": "string"}, "ramdisk_load_addr": addr("GPA of the initial ramdisk"),
    "image_location": {"enum": ["fs", "memory"]},
    "cmdline": {"type": "string", "description": "kernel command line (guest DT /chosen/bootargs)"},
    "disk_path": {"type": "string"},
    "memory_regions": {"type": "array", "items": {"$ref": "#/$defs/region"}}}},
  "devices": {"type": "object", "additionalProperties": False, "required": ["emu_devices", "passthrough_devices"], "properties": {
    "emu_devices": {"type": "array", "items": {"$ref": "#/$defs/emu_device"}},
    "passthrough_devices": {"type": "array", "items": {"$ref": "#/$defs/pt_device"}},
    "interrupt_mode": {"enum": ["no_irq", "no", "none", "emu", "emulated", "passthrough", "pt"], "default": "no_irq"},
    "excluded_devices": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}, "description": "device-tree paths not passed through"},
    "passthrough_addresses": {"type": "array", "items": {"$ref": "#/$defs/pt_address"}}}}}
}
text = json.dumps(s, indent=2) + "\n"
json.loads(text)
lines = text.split("\n")
out = ['/* vmcfg schema: a JSON Schema (draft 2020-12) of the VM file format, for editors. */',
 '#include <getopt.h>', '#include <stdio.h>', '#include <string.h>', '', '#include "commands.h"', '',
 '/* Keep in step with lib/spec (decode) and docs/config-reference.md. */',
 'static const char schema[] =']
for l in lines[:-1]:
    out.append('\t"' + l.replace('\\','\\\\').replace('"','\\"') + '\\n"')
out[-1] += ';'
out += ['', 'int cmd_schema(int argc, char **argv)', '{',
 '\tif (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {',
 '\t\tprintf("usage: vmcfg schema\\n\\nPrints a JSON Schema (draft 2020-12) of the VM file format,\\n"',
 '\t\t       "describing both the positional and the named form of every record.\\n");',
 '\t\treturn 0;', '\t}',
 '\tif (argc != 1) {', '\t\tfprintf(stderr, "usage: vmcfg schema\\n");', '\t\treturn 2;', '\t}',
 '\tfputs(schema, stdout);', '\treturn 0;', '}', '']
open(__import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'tools', 'vmcfg', 'cmd_schema.c'), 'w').write("\n".join(out))
