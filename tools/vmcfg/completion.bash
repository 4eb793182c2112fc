# SPDX-License-Identifier: MIT
# bash completion for vmcfg (installed as share/bash-completion/completions/vmcfg).
# tests/install checks that every command and option of `vmcfg ... --help` is here.

_vmcfg() {
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	local commands="check show json fmt generate schema build map dtb lsp toml2json explain help"
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--color | --colour) ((i++)) ;; # the global option's value is no command
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	if [ -z "$cmd" ]; then
		case $prev in
		--color | --colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "$commands --color --help --version" -- "$cur")) ;;
		esac
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
	--color | --colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--draft) COMPREPLY=($(compgen -W "07 2020-12" -- "$cur")); return ;;
	--arch) COMPREPLY=($(compgen -W "aarch64 riscv64 x86_64" -- "$cur")); return ;;
	-W) [ "$cmd" = check ] && COMPREPLY=($(compgen -W "error" -- "$cur")); return ;; # or a CODE
	-A | -D | --docs-url) return ;; # a CODE (vmcfg explain CODE), a URL
	-O | --out-format) COMPREPLY=($(compgen -W "dtb dts" -- "$cur")); return ;;
	--platform) COMPREPLY=($(compgen -f -X '!*.dt[sb]' -- "$cur") $(compgen -d -- "$cur")); return ;;
	--system)
		if [ "$cmd" != schema ]; then # schema --system is a flag
			COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur"))
			return
		fi ;;
	--svg) COMPREPLY=($(compgen -f -X '!*.svg' -- "$cur") $(compgen -d -- "$cur")); return ;;
	-o | --output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--name | --id | --cpus | --ram | --ramdisk-size) return ;;
	esac

	local opts
	case $cmd in
	check) opts="--system --platform --arch --format --docs-url --color -A -W -D --strict -q --quiet -h --help" ;;
	build) opts="--system --platform --arch --format --dump-pt --color -h --help" ;;
	dtb) opts="--platform --system --arch -o --output -O --out-format --ramdisk-size --generate -v --verbose --color -h --help" ;;
	map) opts="--system --platform --svg --color -h --help" ;;
	show) opts="--color -h --help" ;;
	json) opts="--spec --color -h --help" ;;
	fmt) opts="-w --write --check --color -h --help" ;;
	generate) opts="--arch --name --id --cpus --ram --color -h --help" ;;
	schema) opts="--system --draft --color -h --help" ;;
	lsp) opts="--stdio --color -h --help" ;;
	toml2json) opts="--color -h --help" ;;
	explain) opts="--color -h --help" ;;
	help) opts="--color -h --help" ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		case $cmd in
		generate | schema | lsp | explain) ;; # no FILE (explain takes a CODE)
		help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur")) ;;
		esac
	fi
}
complete -o filenames -F _vmcfg vmcfg
