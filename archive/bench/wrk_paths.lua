-- wrk script: each request GETs a path drawn at random from the file named by WRK_PATHS
-- (one path a line), and the run ends by printing one JSON line of figures for load.py.

local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  -- Each thread draws its own sequence, so the threads do not request in lockstep.
  math.randomseed(os.time() * 1000 + (id or 0))
end

-- With WRK_FRESH set, each request adds a query string of its own, so no copy stored by
-- the server's page cache can answer it.
local fresh = (os.getenv("WRK_FRESH") or "") ~= ""
local sent = 0

function request()
  local path = paths[math.random(#paths)]
  if fresh then
    sent = sent + 1
    local joiner = path:find("?", 1, true) and "&" or "?"
    path = path .. joiner .. "fresh=" .. (id or 0) .. "-" .. sent
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
