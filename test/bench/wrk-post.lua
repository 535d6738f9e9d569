-- wrk script for the benchmarks: POSTs JSON bodies read from a file (one per line, used in turn
-- from a different starting point per thread) with optional headers, and prints one parseable line.
--   WRK_BODIES=<file> WRK_HEADERS='Authorization: Bearer …|Cookie: …' wrk -s wrk-post.lua …
local bodies = {}
for line in io.lines(os.getenv("WRK_BODIES")) do bodies[#bodies + 1] = line end
local counter = 0

function setup(thread)
  thread:set("offset", math.random(1, #bodies))
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  local extra = os.getenv("WRK_HEADERS") or ""
  for pair in string.gmatch(extra, "[^|]+") do
    local k, v = string.match(pair, "^%s*([^:]+):%s*(.*)$")
    if k then wrk.headers[k] = v end
  end
  counter = tonumber(offset) or 0
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[counter % #bodies + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %.3f %.3f %d\n", summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
