// SPDX-License-Identifier: MIT
//! The Rust `toml` crate for bench/toml/measure.py, same protocol as bench_toml.c:
//!
//!     bench-toml-rust --plain N FILE...
//!
//! reads every FILE, parses each N times into a `toml::Value` (N = 0: reads
//! only) and prints "parser=rust-toml plain=N peak_alloc=BYTES" (the peak of
//! bytes allocated through the global allocator while parsing) and, for each
//! round k, its wall-clock time and minor page faults (parsek_s=, parsek_faults=).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = System.alloc(l);
        if !p.is_null() {
            let now = IN_USE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        IN_USE.fetch_sub(l.size(), Ordering::Relaxed);
        System.dealloc(p, l)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Minor page faults of this process so far (/proc/self/stat, field 10).
fn minor_faults() -> i64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    after.split_whitespace().nth(7).and_then(|f| f.parse().ok()).unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 || args[1] != "--plain" {
        eprintln!("usage: {} --plain N FILE...", args[0]);
        std::process::exit(2);
    }
    let n: usize = args[2].parse().expect("N");
    let inputs: Vec<String> = args[3..]
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut line = String::new();
    for k in 0..n {
        let f0 = minor_faults();
        let t0 = std::time::Instant::now();
        for s in &inputs {
            let v: toml::Value = s.parse().expect("parse");
            drop(v);
        }
        let t = t0.elapsed().as_secs_f64();
        line += &format!(" parse{}_s={:.6} parse{}_faults={}", k, t, k, minor_faults() - f0);
    }
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!("parser=rust-toml plain={} peak_alloc={}{}", n, peak, line);
}
