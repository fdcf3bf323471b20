# Sourced by benchmarks/http.sh and benchmarks/profile.sh: whether a wrk run (with statuses.lua) counted only the
# answers its endpoint is meant to give, 200, or 429 from the exhausted one, and at least one of them.
# Usage: expected_statuses <endpoint> <wrk's output>
expected_statuses() {
    local pattern='200=[1-9][0-9]* 429=0 other=0'
    [[ $1 == exhausted ]] && pattern='200=0 429=[1-9][0-9]* other=0'
    [[ $(grep '^statuses ' <<<"$2") =~ $pattern ]]
}
