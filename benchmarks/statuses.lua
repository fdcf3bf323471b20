-- Counts the status codes wrk received, so that benchmarks/http.sh can refuse a run that measured anything but
-- the answers it meant to measure (200, or 429 on the exhausted endpoint).
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    ok, limited, other = 0, 0, 0
end

function response(status, headers, body)
    if status == 200 then
        ok = ok + 1
    elseif status == 429 then
        limited = limited + 1
    else
        other = other + 1
    end
end

function done(summary, latency, requests)
    local counts = {ok = 0, limited = 0, other = 0}
    for _, thread in ipairs(threads) do
        for name, _ in pairs(counts) do
            counts[name] = counts[name] + thread:get(name)
        end
    end
    io.write(string.format("statuses 200=%d 429=%d other=%d\n", counts.ok, counts.limited, counts.other))
end
