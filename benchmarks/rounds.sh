# Sourced by benchmarks/http.sh and benchmarks/profile.sh: what a round runs, and whether a run was what it measured.

# The order of the three endpoints in round N (counted from 0). Six rounds put each endpoint twice in each place of
# a round; as every permutation appears once in them, a server that speeds up or slows down steadily through a launch
# weighs on the three alike. Alternating one order with its reverse kept the limited endpoint always in the middle,
# where in the control with the limiter off it read under 1.000 in every launch.
# Usage: round_order <N> [<first> <second> <third>]   the names, by default unlimited limited exhausted
round_order() {
    local names=("${@:2}") orders=("0 1 2" "2 1 0" "1 2 0" "0 2 1" "2 0 1" "1 0 2") i
    ((${#names[@]} == 3)) || names=(unlimited limited exhausted)
    for i in ${orders[$(($1 % 6))]}; do echo -n "${names[i]} "; done
    echo
}

# Whether a wrk run (with statuses.lua) counted only the answers its endpoint is meant to give, 200, or 429 from the
# exhausted one, and at least one of them.
# Usage: expected_statuses <endpoint> <wrk's output>
expected_statuses() {
    local pattern='200=[1-9][0-9]* 429=0 other=0'
    [[ $1 == exhausted ]] && pattern='200=0 429=[1-9][0-9]* other=0'
    [[ $(grep '^statuses ' <<<"$2") =~ $pattern ]]
}
