# SPDX-License-Identifier: MIT
# bash completion for vmcfg (installed as share/bash-completion/completions/vmcfg).
# tests/install checks that every command and option of `vmcfg ... --help` is here.

_vmcfg() {
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	local commands="check show json fmt generate schema build map dtb toml2json"
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi

	# Values of options that take one.
	case $prev in
	--format)
		case $cmd in
		check) COMPREPLY=($(compgen -W "text json sarif" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		esac
		return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--arch) COMPREPLY=($(compgen -W "aarch64 riscv64 x86_64" -- "$cur")); return ;;
	-W) COMPREPLY=($(compgen -W "error" -- "$cur")); return ;;
	-O | --out-format) COMPREPLY=($(compgen -W "dtb dts" -- "$cur")); return ;;
	--platform) COMPREPLY=($(compgen -f -X '!*.dt[sb]' -- "$cur") $(compgen -d -- "$cur")); return ;;
	--system) COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur")); return ;;
	--svg) COMPREPLY=($(compgen -f -X '!*.svg' -- "$cur") $(compgen -d -- "$cur")); return ;;
	-o | --output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--name | --id | --cpus | --ram | --ramdisk-size) return ;;
	esac

	local opts
	case $cmd in
	check) opts="--system --platform --format --color --strict -W -q --quiet -h --help" ;;
	build) opts="--system --platform --arch --format --dump-pt -h --help" ;;
	dtb) opts="--platform --system -o --output -O --out-format --ramdisk-size -v --verbose -h --help" ;;
	map) opts="--system --platform --svg -h --help" ;;
	show) opts="-h --help" ;;
	json) opts="--spec -h --help" ;;
	fmt) opts="-w --write -h --help" ;;
	generate) opts="--arch --name --id --cpus --ram -h --help" ;;
	schema) opts="-h --help" ;;
	toml2json) opts="-h --help" ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [ "$cmd" != generate ] && [ "$cmd" != schema ]; then
		COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur"))
	fi
}
complete -o filenames -F _vmcfg vmcfg
