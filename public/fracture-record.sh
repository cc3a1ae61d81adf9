#!/bin/sh
# fracture-record.sh: record how a Linux host's direct map fractures over time, for Fracture.
#
# POSIX sh plus the utilities every Linux has (date, sleep, grep, uname; gzip only to read
# /proc/config.gz). Nothing is installed and nothing on the host is changed: the script only reads
# /proc and /sys, and with --trace runs bpftrace. A missing file, privilege or tool becomes one
# "# note:" line in the recording and on stderr; the recording goes on with what it can read.
#
# File format "fracture-record 1" (line-based, so a file cut short still holds every whole line):
#   # fracture-record 1                 first line: format and version
#   # ...                               comments; "# note: ..." says what could not be read
#   key=value                           header facts (kernel, cmdline, config.*, e820.N, ...)
#   sample t=<s> wall=<epoch s> K=V...  one sample per line: t from /proc/uptime (monotonic),
#                                       DirectMap* in kB as /proc/meminfo prints them and the
#                                       /proc/vmstat direct_map_* counters, named as the kernel does
#   ptdump t=<s> wall=<epoch s> ...     a page-table dump of the direct-map region, one line per
#   <note_page() lines>                 run, up to "ptdump-end"
#   trace t=<s> fn=<name> K=V...        one recorded set_memory_*() / set_direct_map_*() call
#   end t=<s> wall=<epoch s> samples=N  written on Ctrl-C, TERM or the end of the duration
# Readers must ignore keys and line kinds they do not know.
#
# Sources: arch_report_meminfo() (arch/x86/mm/pat/set_memory.c) prints DirectMap*; vmstat's
# direct_map_level{2,3}_{splits,collapses}; ptdump_walk_pgd_level_debugfs() for page_tables/kernel.

FORMAT_VERSION=1
RECORDER_VERSION=1

usage() {
	cat <<'EOF'
Usage: sh fracture-record.sh [options]

Records /proc/meminfo DirectMap* and /proc/vmstat direct_map_* counters at a fixed interval, plus
once the kernel release, architecture, command line, the kernel config options that change the
direct map and the firmware memory map, into a text file that Fracture opens as a timeline.
Needs no root for the basic recording; nothing is installed or changed on the host.

Options:
  --duration SECONDS  how long to record (default 60); 0 records until Ctrl-C
  --interval SECONDS  time between samples (default 1; decimals such as 0.5 allowed)
  --output FILE       where to write (default ./fracture-<UTC date and time>.frec); "-" = stdout
  --ptdump EVERY      also dump the direct-map page tables every EVERY seconds (first at start).
                      Needs root, CONFIG_PTDUMP_DEBUGFS and debugfs mounted; the kernel walks all
                      page tables under init_mm's lock for each dump, so keep EVERY large (>= 60)
  --trace             also record calls that change the direct map (set_memory_ro/rox/np/4k/uc/
                      wc/wb, set_direct_map_*_noflush, set_mce_nospec) with their kernel stacks,
                      through bpftrace kprobes. Needs root and bpftrace; only functions listed
                      in /proc/kallsyms are probed
  --raw-addresses     keep kernel virtual addresses as they are. By default direct-map addresses
                      are stored as offsets from the direct-map base (page_offset_base), so the
                      file does not reveal the KASLR layout, and other kernel addresses are left out
  --hostname          record the host name (left out by default)
  --help              show this help
  --version           print the recorder and file format versions

Recorded once: uname -r, uname -m, /proc/cmdline, config options (CONFIG_KFENCE, ...),
/sys/firmware/memmap (root), dmesg's "Using GB pages" and "Memory failure" lines when readable.
Ctrl-C, TERM or the end of the duration all leave a complete file ending with an "end" line.

Environment (for testing): FRACTURE_PROC (default /proc; kallsyms is read there too),
FRACTURE_PTDUMP (default /sys/kernel/debug/page_tables/kernel), FRACTURE_BPFTRACE (a command run
in place of bpftrace, as root or not).

Example: sh fracture-record.sh --duration 3600 --interval 10 --output host.frec
EOF
}

die() {
	printf 'fracture-record: %s\n' "$1" >&2
	printf "Try 'sh fracture-record.sh --help'.\n" >&2
	exit 2
}

# A positive decimal number of seconds (at most two decimals) → centiseconds; empty if invalid.
to_cs() {
	case $1 in '' | *[!0-9.]* | *.*.* | .) return ;; esac
	_i=${1%%.*} _f=00
	case $1 in *.) ;; *.?) _f=${1#*.}0 ;; *.??) _f=${1#*.} ;; *.*) return ;; esac
	# Leading zeros would read as octal: strip them ("1$_f - 100" does it for the decimals).
	while case $_i in 0?*) true ;; *) false ;; esac; do _i=${_i#0}; done
	printf '%s' "$((${_i:-0} * 100 + 1$_f - 100))"
}

DURATION=60
INTERVAL=1
OUTPUT=
PTDUMP_EVERY=
TRACE=0
RAW=0
WITH_HOST=0

while [ $# -gt 0 ]; do
	case $1 in
	--*=*)
		# --opt=value is read as --opt value.
		_o=${1%%=*} _v=${1#*=}
		shift
		set -- "$_o" "$_v" "$@"
		continue
		;;
	--duration | --interval | --output | --ptdump)
		[ $# -ge 2 ] || die "$1 needs a value"
		case $1 in
		--duration) DURATION=$2 ;;
		--interval) INTERVAL=$2 ;;
		--output) OUTPUT=$2 ;;
		*) PTDUMP_EVERY=$2 ;;
		esac
		shift
		;;
	--trace) TRACE=1 ;;
	--raw-addresses) RAW=1 ;;
	--hostname) WITH_HOST=1 ;;
	-h | --help) usage && exit 0 ;;
	--version) printf 'fracture-record.sh %s (file format fracture-record %s)\n' "$RECORDER_VERSION" "$FORMAT_VERSION" && exit 0 ;;
	*) die "unknown option: $1" ;;
	esac
	shift
done

PROC=${FRACTURE_PROC:-/proc}
PTDUMP_PATH=${FRACTURE_PTDUMP:-/sys/kernel/debug/page_tables/kernel}
BPFTRACE=${FRACTURE_BPFTRACE:-bpftrace}

DUR_CS=$(to_cs "$DURATION")
[ -n "$DUR_CS" ] || die "--duration: '$DURATION' is not a number of seconds"
INT_CS=$(to_cs "$INTERVAL")
{ [ -n "$INT_CS" ] && [ "$INT_CS" -gt 0 ]; } ||
	die "--interval: '$INTERVAL' is not a positive number of seconds (at most two decimals)"
PT_CS=
if [ -n "$PTDUMP_EVERY" ]; then
	PT_CS=$(to_cs "$PTDUMP_EVERY")
	{ [ -n "$PT_CS" ] && [ "$PT_CS" -gt 0 ]; } || die "--ptdump: '$PTDUMP_EVERY' is not a positive number of seconds"
fi
[ -n "$OUTPUT" ] || OUTPUT="fracture-$(date -u +%Y%m%dT%H%M%SZ).frec"

if [ "$OUTPUT" = - ]; then exec 3>&1; else
	{ exec 3>"$OUTPUT"; } 2>/dev/null || die "cannot write $OUTPUT"
fi

emit() { printf '%s\n' "$1" >&3; }
note() { printf '# note: %s\n' "$1" >&3; printf 'fracture-record: note: %s\n' "$1" >&2; }

# /proc/uptime ("12345.67 ...", CLOCK_BOOTTIME) in centiseconds: monotonic, and needs no fork.
now_cs() {
	read -r _up _rest </proc/uptime
	NOW=$((${_up%.*} * 100 + 1${_up#*.} - 100))
}
# Centiseconds → "S.CC" in T.
fmt_t() {
	_c=$(($1 % 100))
	[ "$_c" -ge 10 ] || _c=0$_c
	T="$(($1 / 100)).$_c"
}

# --- once: what the kernel is and how it was built ------------------------------------------

header() {
	emit "# fracture-record $FORMAT_VERSION"
	emit "# Written by fracture-record.sh for Fracture (open it in Fracture's import). Lines:"
	emit "# key=value header, 'sample' lines, '# note:' for what could not be read, 'end' last."
	emit "recorder=fracture-record.sh $RECORDER_VERSION"
	emit "interval_s=$INTERVAL"
	emit "duration_s=$DURATION"
	emit "kernel_release=$(uname -r)"
	emit "machine=$(uname -m)"
	_ps=$(getconf PAGESIZE 2>/dev/null) && emit "page_size=$_ps"
	if [ "$RAW" = 1 ]; then emit "addresses=raw"; else emit "addresses=offset"; fi
	if [ "$WITH_HOST" = 1 ]; then
		if [ -r /proc/sys/kernel/hostname ]; then
			read -r _hn </proc/sys/kernel/hostname
		else
			_hn=$(uname -n)
		fi
		emit "hostname=$_hn"
	fi
	if [ -r "$PROC/cmdline" ]; then
		IFS= read -r _cl <"$PROC/cmdline"
		emit "cmdline=$_cl"
	else
		note "$PROC/cmdline is not readable"
	fi
	if [ -r "$PROC/meminfo" ]; then
		while read -r _k _v _u; do
			case $_k in MemTotal:) emit "meminfo.MemTotal=$_v" ;; esac
		done <"$PROC/meminfo"
	fi
	kernel_config
	firmware_memmap
	dmesg_lines
}

CONFIG_RE='^(# )?CONFIG_(KFENCE|KFENCE_SAMPLE_INTERVAL|STRICT_KERNEL_RWX|STRICT_MODULE_RWX|PTDUMP_CORE|PTDUMP_DEBUGFS|X86_PTDUMP|ARM64_PTDUMP_DEBUGFS|DEBUG_PAGEALLOC|DEBUG_PAGEALLOC_ENABLE_DEFAULT|SECRETMEM|EXECMEM|ARCH_HAS_EXECMEM_ROX|AMD_MEM_ENCRYPT|KVM_AMD|KVM_AMD_SEV|INTEL_TDX_HOST|X86_DIRECT_GBPAGES|X86_5LEVEL|RANDOMIZE_MEMORY|MEMORY_HOTPLUG|MEMORY_FAILURE|BPF_JIT|KPROBES|DEBUG_WX|HUGETLB_PAGE_OPTIMIZE_VMEMMAP|RODATA_FULL_DEFAULT_ENABLED|ARM64_4K_PAGES|ARM64_16K_PAGES|ARM64_64K_PAGES|ARM64_VA_BITS|PPC_RADIX_MMU)[= ]'

# config.CONFIG_X=<value as in .config>, or =n for "# CONFIG_X is not set"; options the config
# does not mention at all are left out (they do not exist in this kernel or its architecture).
kernel_config() {
	_src=
	if [ -r "$PROC/config.gz" ]; then
		_src="$PROC/config.gz"
		if ! command -v gzip >/dev/null 2>&1; then note "$_src exists but gzip is missing: kernel config not recorded"; return; fi
	elif [ -r "/boot/config-$(uname -r)" ]; then
		_src="/boot/config-$(uname -r)"
	else
		note "no kernel config: neither $PROC/config.gz (CONFIG_IKCONFIG_PROC) nor /boot/config-$(uname -r) is readable"
		return
	fi
	emit "config_source=$_src"
	case $_src in
	*.gz) gzip -dc "$_src" 2>/dev/null ;;
	*) cat "$_src" ;;
	esac | grep -E "$CONFIG_RE" | while IFS= read -r _l; do
		case $_l in
		'# CONFIG_'*' is not set') _l=${_l#'# '} && emit "config.${_l%' is not set'}=n" ;;
		CONFIG_*) emit "config.$_l" ;;
		esac
	done
}

# /sys/firmware/memmap/N/{start,end,type}: the firmware (e820) map, end inclusive; root only.
firmware_memmap() {
	_mm=/sys/firmware/memmap
	if [ ! -d "$_mm" ]; then note "no $_mm (CONFIG_FIRMWARE_MEMMAP off or not x86): e820 map not recorded"; return; fi
	if [ ! -r "$_mm/0/start" ]; then note "$_mm is readable by root only: e820 map not recorded"; return; fi
	emit "e820_source=$_mm (start-end inclusive, type)"
	# shellcheck disable=SC2012 # the entries are numbers 0, 1, 2, ...
	for _n in $(ls "$_mm" | sort -n); do
		read -r _s <"$_mm/$_n/start" || continue
		read -r _e <"$_mm/$_n/end" || continue
		IFS= read -r _ty <"$_mm/$_n/type" || continue
		emit "e820.$_n=$_s-$_e $_ty"
	done
}

# The dmesg lines that tell the direct map's state: "Using GB pages for direct mapping"
# (init_mem_mapping()) and memory_failure()'s "Memory failure:" (pages unmapped by set_mce_nospec()).
dmesg_lines() {
	if ! command -v dmesg >/dev/null 2>&1; then note "dmesg is not installed: boot messages not recorded"; return; fi
	if ! dmesg >/dev/null 2>&1; then note "dmesg is not readable (kernel.dmesg_restrict): boot messages not recorded"; return; fi
	_i=0
	dmesg 2>/dev/null | grep -E 'Using GB pages for direct mapping|Memory failure:' | head -n 50 |
		while IFS= read -r _l; do
			emit "dmesg.$_i=$_l"
			_i=$((_i + 1))
		done
}

# --- every interval: the counters ---------------------------------------------------------------

HAVE_DM=1
HAVE_VM=1
N=0

sample() {
	now_cs
	fmt_t $((NOW - START))
	_line="sample t=$T wall=$(date +%s)"
	if [ "$HAVE_DM" = 1 ]; then
		_got=0
		if [ -r "$PROC/meminfo" ]; then
			while read -r _k _v _u; do
				case $_k in DirectMap*:) _line="$_line ${_k%:}=$_v" _got=1 ;; esac
			done <"$PROC/meminfo"
		fi
		if [ $_got = 0 ]; then
			HAVE_DM=0
			note "no DirectMap lines in $PROC/meminfo (this architecture or kernel does not report them)"
		fi
	fi
	if [ "$HAVE_VM" = 1 ]; then
		_got=0
		if [ -r "$PROC/vmstat" ]; then
			while read -r _k _v; do
				case $_k in direct_map_*) _line="$_line $_k=$_v" _got=1 ;; esac
			done <"$PROC/vmstat"
		fi
		if [ $_got = 0 ]; then
			HAVE_VM=0
			note "no direct_map_* counters in $PROC/vmstat (the kernel does not count direct-map splits)"
		fi
	fi
	emit "$_line"
	N=$((N + 1))
}

# --- --ptdump: the direct-map region of the kernel page tables ----------------------------------

IN_PTDUMP=0

ptdump_unavailable() {
	if [ "$(id -u)" != 0 ]; then
		note "--ptdump needs root (debugfs is root only): no page-table dumps"
	elif [ -d /sys/kernel/debug ] && [ -z "$(ls -A /sys/kernel/debug 2>/dev/null)" ]; then
		note "--ptdump: debugfs is not mounted (mount -t debugfs none /sys/kernel/debug): no page-table dumps"
	else
		note "--ptdump: $PTDUMP_PATH is missing (CONFIG_PTDUMP_DEBUGFS off?): no page-table dumps"
	fi
	PT_CS=
}

# Hex address → offset from the base in OFF, 64-bit safe: shell arithmetic is signed, so the two
# 32-bit halves are subtracted separately.
hex_off() {
	_h=${1#0x}
	if [ ${#_h} -eq 16 ]; then
		_hh=${_h%????????}
		OFF=$(((0x$_hh - BASE_HI) * 4294967296 + 0x${_h#????????} - BASE_LO))
	else
		OFF=$((0x$_h - BASE_LO))
	fi
}

take_ptdump() {
	if [ ! -r "$PTDUMP_PATH" ]; then
		ptdump_unavailable
		return
	fi
	now_cs
	fmt_t $((NOW - START))
	emit "ptdump t=$T wall=$(date +%s) addresses=$([ "$RAW" = 1 ] && echo raw || echo offset)"
	IN_PTDUMP=1
	_in=0
	_base=
	_kept=0
	while IFS= read -r _l; do
		case $_l in
		'---['*)
			[ $_in = 1 ] && break
			case $_l in
			*'Low Kernel Mapping'* | *'Linear Mapping'* | *'Linear mapping'*)
				_in=1
				emit "$_l"
				;;
			esac
			;;
		0x*)
			[ $_in = 1 ] || continue
			_a=${_l%%-*}
			_r=${_l#*-}
			_b=${_r%%[!0-9a-fA-Fx]*}
			_r=${_r#"$_b"}
			if [ "$RAW" = 1 ]; then
				emit "$_l"
			else
				if [ -z "$_base" ]; then
					_base=$_a
					_h=${_a#0x}
					if [ ${#_h} -eq 16 ]; then
						BASE_HI=$((0x${_h%????????}))
						BASE_LO=$((0x${_h#????????}))
					else
						BASE_HI=0
						BASE_LO=$((0x$_h))
					fi
				fi
				hex_off "$_a"
				_o1=$OFF
				hex_off "$_b"
				printf '0x%016x-0x%016x%s\n' "$_o1" "$OFF" "$_r" >&3
			fi
			_kept=$((_kept + 1))
			;;
		*) [ $_in = 1 ] && emit "$_l" ;;
		esac
	done <"$PTDUMP_PATH"
	emit "ptdump-end lines=$_kept"
	IN_PTDUMP=0
	[ $_kept -gt 0 ] || note "--ptdump: no 'Low Kernel Mapping' or 'Linear Mapping' region in $PTDUMP_PATH"
}

# --- --trace: who changes the direct map, through bpftrace kprobes ------------------------------

TRACE_FNS_ADDR='set_memory_ro set_memory_rox set_memory_np set_memory_4k set_memory_uc set_memory_wc set_memory_wb'
TRACE_FNS_PAGE='set_direct_map_invalid_noflush set_direct_map_default_noflush set_direct_map_valid_noflush'
TRACE_FNS_PFN='set_mce_nospec'
TMPD=
BPF_PID=
READER_PID=

# bpftrace program for the functions in $1 (kallsyms symbol lines). Direct-map offsets are computed
# inside the probe from page_offset_base / vmemmap_base, so raw kernel addresses never leave the
# kernel unless --raw-addresses; a function's address outside the direct map is then left out.
# struct page is taken as 64 bytes (x86-64 without debug options) to turn a struct page * into a pfn.
# shellcheck disable=SC2016 # $b, $e, $v are bpftrace variables, not shell ones
bpf_program() {
	_syms=$1
	_has() { case "
$_syms
" in *" $1
"*) return 0 ;; esac; return 1; }
	_pob=0
	_vmm=0
	_has page_offset_base && _has vmalloc_base && _pob=1
	_has vmemmap_base && _vmm=1
	# No such variables (CONFIG_RANDOMIZE_MEMORY off): x86-64's fixed 4- and 5-level bases of
	# Documentation/arch/x86/x86_64/mm.rst, which reveal nothing.
	[ "$(uname -m)" = x86_64 ] && { [ $_pob = 1 ] || _pob=2; [ $_vmm = 1 ] || _vmm=2; }
	_in='if (arg0 >= $b && arg0 < $e) { printf("A dm_offset=0x%lx\n", arg0 - $b); } else { printf("A region=outside\n"); } '
	printf 'BEGIN { printf("B %%llu\\n", nsecs); }\n'
	for _f in $TRACE_FNS_ADDR; do
		_has "$_f" || continue
		printf 'kprobe:%s { printf("T %%llu %%s %%d %%d %%s\\n", nsecs, func, pid, arg1, comm); ' "$_f"
		if [ "$RAW" = 1 ]; then
			printf 'printf("A addr=0x%%lx\\n", arg0); '
		elif [ $_pob = 1 ]; then
			printf '$b = *(uint64 *)kaddr("page_offset_base"); $e = *(uint64 *)kaddr("vmalloc_base"); %s' "$_in"
		elif [ $_pob = 2 ]; then
			printf '$b = arg0 < 0xffff888000000000 ? 0xff11000000000000 : 0xffff888000000000; '
			printf '$e = $b == 0xffff888000000000 ? 0xffffc88000000000 : 0xff91000000000000; %s' "$_in"
		else
			printf 'printf("A region=withheld\\n"); '
		fi
		printf 'printf("%%s\\n", kstack(16)); }\n'
	done
	for _f in $TRACE_FNS_PAGE; do
		_has "$_f" || continue
		# set_direct_map_valid_noflush(page, nr, valid); the other two take one page.
		case $_f in
		set_direct_map_valid_noflush) _nr=arg1 ;;
		*) _nr=1 ;;
		esac
		printf 'kprobe:%s { printf("T %%llu %%s %%d %%d %%s\\n", nsecs, func, pid, %s, comm); ' "$_f" "$_nr"
		if [ "$RAW" = 1 ]; then
			printf 'printf("A page=0x%%lx\\n", arg0); '
		elif [ $_vmm != 0 ]; then
			if [ $_vmm = 1 ]; then printf '$v = *(uint64 *)kaddr("vmemmap_base"); '
			else printf '$v = arg0 < 0xffffea0000000000 ? 0xffd4000000000000 : 0xffffea0000000000; '; fi
			printf 'printf("A dm_offset=0x%%lx\\n", ((arg0 - $v) / 64) * 4096); '
		else
			printf 'printf("A region=withheld\\n"); '
		fi
		printf 'printf("%%s\\n", kstack(16)); }\n'
	done
	for _f in $TRACE_FNS_PFN; do
		_has "$_f" || continue
		# set_mce_nospec(pfn): a physical page number, which is also its direct-map offset on x86.
		printf 'kprobe:%s { printf("T %%llu %%s %%d 1 %%s\\n", nsecs, func, pid, comm); ' "$_f"
		printf 'printf("A dm_offset=0x%%lx\\n", arg0 * 4096); printf("%%s\\n", kstack(16)); }\n'
	done
}

# bpftrace output → one "trace" line per call: T line, A line, stack frames, blank line.
trace_reader() {
	_ev=
	_st=
	while IFS= read -r _l; do
		case $_l in
		'B '*) ;;
		'T '*)
			[ -n "$_ev" ] && trace_flush
			set -f
			# shellcheck disable=SC2086 # word splitting is wanted here
			set -- $_l
			set +f
			_ns=$2
			_fn=$3
			_pid=$4
			_pg=$5
			shift 5
			_comm=$*
			_comm=$(printf '%s' "$_comm" | tr ' =' '__')
			_ev="fn=$_fn pid=$_pid pages=$_pg comm=$_comm"
			_st=
			;;
		'A '*) _ev="$_ev ${_l#A }" ;;
		'')
			# kstack starts with an empty line and ends with one: only the second ends the call.
			[ -n "$_ev" ] && [ -n "$_st" ] && trace_flush
			;;
		*)
			[ -n "$_ev" ] || continue
			_fr=${_l#"${_l%%[! 	]*}"}
			# A module's frame may carry its name after a space ("kvm_vcpu_ioctl+676 [kvm]"):
			# the line's fields are space-separated, so the space goes.
			while case $_fr in *' '*) true ;; *) false ;; esac do _fr="${_fr%% *}${_fr#* }"; done
			# An unsymbolised frame is a raw kernel address: leave it out unless asked.
			case $_fr in 0x*) [ "$RAW" = 1 ] || _fr='?' ;; esac
			if [ -z "$_st" ]; then _st=$_fr; else _st="$_st;$_fr"; fi
			;;
		esac
	done
	[ -n "$_ev" ] && trace_flush
}

trace_flush() {
	# nsecs is CLOCK_MONOTONIC; /proc/uptime is CLOCK_BOOTTIME. They agree unless the host was
	# suspended, which servers are not.
	fmt_t $((_ns / 10000000 - START))
	emit "trace t=$T $_ev stack=$_st"
	_ev=
}

start_trace() {
	if [ "$(id -u)" != 0 ] && [ -z "$FRACTURE_BPFTRACE" ]; then note "--trace needs root (kprobes): no calls recorded"; return; fi
	if ! command -v "$BPFTRACE" >/dev/null 2>&1; then note "--trace: bpftrace is not installed: no calls recorded"; return; fi
	if [ ! -r "$PROC/kallsyms" ]; then note "--trace: $PROC/kallsyms is not readable: no calls recorded"; return; fi
	if [ -r "$PROC/config.gz" ] && command -v gzip >/dev/null 2>&1 &&
		gzip -dc "$PROC/config.gz" 2>/dev/null | grep -q '^# CONFIG_KPROBES is not set'; then
		note "--trace: this kernel is built without CONFIG_KPROBES: no calls recorded"
		return
	fi
	_syms=$(grep -E ' [A-Za-z] (set_memory_(ro|rox|np|4k|uc|wc|wb)|set_direct_map_(invalid|default|valid)_noflush|set_mce_nospec|page_offset_base|vmalloc_base|vmemmap_base)$' "$PROC/kallsyms" 2>/dev/null |
		while read -r _a _t _n; do printf ' %s\n' "$_n"; done)
	_missing=
	_n=0
	for _f in $TRACE_FNS_ADDR $TRACE_FNS_PAGE $TRACE_FNS_PFN; do
		case "$_syms
" in *" $_f
"*) _n=$((_n + 1)) ;; *) _missing="$_missing $_f" ;; esac
	done
	if [ $_n = 0 ]; then note "--trace: none of the traced functions is in /proc/kallsyms: no calls recorded"; return; fi
	[ -z "$_missing" ] || note "--trace: not in /proc/kallsyms (inlined or absent), not traced:$_missing"
	if [ "$RAW" = 0 ] && [ "$(uname -m)" != x86_64 ]; then
		note "--trace: no direct-map base known on $(uname -m): set_memory_*() addresses left out"
	fi
	TMPD=$(mktemp -d 2>/dev/null) || { TMPD=${TMPDIR:-/tmp}/fracture-record.$$ && mkdir -m 700 "$TMPD"; } ||
		{ note "--trace: cannot make a temporary directory: no calls recorded"; TMPD=; return; }
	bpf_program "$_syms" >"$TMPD/probe.bt"
	mkfifo "$TMPD/out" || { note "--trace: mkfifo failed: no calls recorded"; return; }
	trace_reader <"$TMPD/out" &
	READER_PID=$!
	"$BPFTRACE" -B line "$TMPD/probe.bt" >"$TMPD/out" 2>"$TMPD/err" &
	BPF_PID=$!
	emit "trace_functions=$(printf '%s\n' "$_syms" | grep '^ set_' | tr -d '\n' | sed 's/^ //')"
	emit "trace_clock=monotonic"
	emit "trace_struct_page_bytes=64"
}

stop_trace() {
	[ -n "$BPF_PID" ] || return
	kill "$BPF_PID" 2>/dev/null
	wait "$BPF_PID" 2>/dev/null
	[ -n "$READER_PID" ] && wait "$READER_PID" 2>/dev/null
	if [ -s "$TMPD/err" ]; then
		_e=$(grep -v -e '^Attaching' -e '^$' "$TMPD/err" | head -n 1)
		[ -n "$_e" ] && note "--trace: bpftrace said: $_e"
	fi
	rm -rf "$TMPD"
	BPF_PID=
}

# --- the loop -----------------------------------------------------------------------------------

SLEEP_PID=
FRACTIONAL_SLEEP=1
sleep 0.01 2>/dev/null || FRACTIONAL_SLEEP=0

# Sleep $1 centiseconds, in the background so that a trapped signal ends the wait at once.
sleep_cs() {
	if [ $FRACTIONAL_SLEEP = 1 ]; then
		fmt_t "$1"
		sleep "$T" &
	else
		sleep $((($1 + 99) / 100)) &
	fi
	SLEEP_PID=$!
	wait "$SLEEP_PID"
	SLEEP_PID=
}

finish() {
	trap '' INT TERM HUP
	[ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null
	# A dump cut by the signal is closed so that its lines are not read as something else.
	[ "$IN_PTDUMP" = 1 ] && emit "ptdump-end cut=1"
	stop_trace
	now_cs
	fmt_t $((NOW - START))
	emit "end t=$T wall=$(date +%s) samples=$N reason=$1"
	[ "$OUTPUT" = - ] || printf 'fracture-record: %s samples written to %s\n' "$N" "$OUTPUT" >&2
	exit 0
}

START=0
header
trap 'finish signal' INT TERM HUP
# t=0 is now, after the header (reading the config and dmesg can take a while on a busy host);
# the trace reader, a subshell, takes START with it.
now_cs
START=$NOW
fmt_t "$START"
emit "started_uptime=$T"
emit "started_wall=$(date +%s)"
emit "started_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
[ "$TRACE" = 1 ] && start_trace
[ -n "$PT_CS" ] && take_ptdump
NEXT_PT=$((START + ${PT_CS:-0}))
sample
NEXT=$START
while :; do
	NEXT=$((NEXT + INT_CS))
	[ "$DUR_CS" -gt 0 ] && [ $((NEXT - START)) -gt "$DUR_CS" ] && break
	now_cs
	[ $((NEXT - NOW)) -gt 0 ] && sleep_cs $((NEXT - NOW))
	sample
	if [ -n "$PT_CS" ] && [ "$NOW" -ge "$NEXT_PT" ]; then
		take_ptdump
		NEXT_PT=$((NEXT_PT + PT_CS))
	fi
done
finish complete
