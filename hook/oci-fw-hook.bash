# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for oci-fw-hook: verbs, each verb's options, policy names
# for check and print (from --policy-dir, or the default directories), and
# podman's running containers for show, refresh and reload (not after --pid
# or --all), users after --user,
# directories for doctor.
# shellcheck shell=bash

# _oci_fw_hook_options VERB: the options VERB takes.
_oci_fw_hook_options() {
	case $1 in
	apply) echo --policy-dir --allow-path --default-policy --allowed-policies \
		--allow-unsafe --refuse-host-network --log-level --syslog-socket --help ;;
	check) echo --policy-dir --help ;;
	print) echo --policy-dir --bundle --help ;;
	refresh) echo --pid --help ;;
	show) echo --json --pid --help ;;
	doctor) echo --hooks-dir --policy-dir --json --help ;;
	reload) echo --all --user --policy-dir --default-policy --allowed-policies \
		--allow-unsafe --allow-path --syslog-socket --help ;;
	ps) echo --json --policy-dir --runtime-root --help ;;
	esac
}

# _oci_fw_hook_policy_names: the NAME of every NAME.json in the policy
# directories: those given with --policy-dir before the word being
# completed, else the hook's defaults.
_oci_fw_hook_policy_names() {
	local -a dirs=()
	local i w d f
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--policy-dir=*) dirs+=("${w#--policy-dir=}") ;;
		--policy-dir)
			# "--policy-dir=DIR" arrives as three words when '=' breaks words.
			[ "${COMP_WORDS[i + 1]}" = = ] && ((i++))
			((i + 1 < COMP_CWORD)) && dirs+=("${COMP_WORDS[i + 1]}")
			;;
		esac
	done
	[ ${#dirs[@]} -gt 0 ] ||
		dirs=(~/.config/oci-fw-hook/policies /etc/oci-fw-hook/policies /usr/share/oci-fw-hook/policies)
	for d in "${dirs[@]}"; do
		# A "~/" the user typed arrives unexpanded.
		# shellcheck disable=SC2088
		[[ $d == "~/"* ]] && d=$HOME/${d#"~/"}
		for f in "$d"/*.json; do
			[ -f "$f" ] || continue
			f=${f##*/}
			printf '%s\n' "${f%.json}"
		done
	done | sort -u
}

# _oci_fw_hook_policies: COMPREPLY for a POLICY word: names (after the last
# comma of a list a,b), or paths once the word holds a '/' or starts a path.
_oci_fw_hook_policies() {
	local cur=$1 prefix='' name
	if [[ $cur == */* || $cur == .* || $cur == "~"* ]]; then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
	fi
	[[ $cur == *,* ]] && prefix=${cur%,*},
	COMPREPLY=()
	while IFS= read -r name; do
		[[ $prefix$name == "$cur"* ]] && COMPREPLY+=("$prefix$name")
	done < <(_oci_fw_hook_policy_names)
}

_oci_fw_hook() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local verb=${COMP_WORDS[1]} containers
	COMPREPLY=()

	if ((COMP_CWORD == 1)); then
		mapfile -t COMPREPLY < <(compgen -W "apply check doctor print ps refresh reload show --help --version" -- "$cur")
		return
	fi
	# "--opt=VALUE" arrives as "--opt" "=" "VALUE" when '=' breaks words.
	if [ "$prev" = = ] && ((COMP_CWORD >= 3)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [ "$cur" = = ]; then
		cur=
	fi
	case $prev in
	--policy-dir | --bundle | --hooks-dir | --runtime-root)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	--default-policy | --allowed-policies)
		_oci_fw_hook_policies "$cur"
		return
		;;
	--user)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		return
		;;
	--log-level)
		mapfile -t COMPREPLY < <(compgen -W "error warning info" -- "$cur")
		return
		;;
	--syslog-socket)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -W none -- "$cur"; compgen -f -- "$cur")
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_oci_fw_hook_options "$verb")" -- "$cur")
		return
	fi
	case $verb in
	check | print)
		_oci_fw_hook_policies "$cur"
		;;
	show | refresh | reload)
		# after --pid comes a PID: nothing to offer; --all takes no name
		[ "$prev" = --pid ] && return
		[[ " ${COMP_WORDS[*]} " == *" --all "* ]] && return
		command -v podman >/dev/null 2>&1 || return
		containers=$(podman ps --format '{{.Names}}' 2>/dev/null)
		mapfile -t COMPREPLY < <(compgen -W "$containers" -- "$cur")
		;;
	esac
	# apply reads its state on stdin: nothing to offer.
}

complete -F _oci_fw_hook oci-fw-hook
