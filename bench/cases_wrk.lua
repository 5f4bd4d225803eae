-- wrk script for bench/cases_api.sh: GET <PATH_PREFIX><random case number>/ with an optional bearer key.
-- Environment: NUMBERS_FILE (one case number a line), PATH_PREFIX (e.g. /api/v1/cases/), TOKEN (optional).
local numbers = {}
for line in io.lines(os.getenv("NUMBERS_FILE")) do
  if #line > 0 then numbers[#numbers + 1] = line end
end
local prefix = os.getenv("PATH_PREFIX") or "/api/v1/cases/"
local token = os.getenv("TOKEN") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
headers["Accept"] = "application/json"

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  local number = numbers[math.random(#numbers)]
  return wrk.format("GET", prefix .. number .. "/", headers)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
