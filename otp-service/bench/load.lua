-- wrk script for otp-service/bench/start-bench.sh (run that, not this).
--   BENCH_ENDPOINT   start (POST /passwordless/start) | ping (GET /ping)
--   BENCH_CLIENT_ID, BENCH_CONNECTION, BENCH_RUN   the bench tenant (start only)
--   BENCH_THINK_MS   mean pause before each request of a connection (exponentially distributed, so arrivals are
--                    close to Poisson); 0 = closed loop, as fast as the service answers
-- Every start has a recipient and a client address of its own, so no rate limit of a real user is reached.
local endpoint = os.getenv("BENCH_ENDPOINT") or "ping"
local client_id = os.getenv("BENCH_CLIENT_ID")
local connection = os.getenv("BENCH_CONNECTION")
local run = os.getenv("BENCH_RUN") or "run"
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")

local threads = {}
local counter = 0
local prefix

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + tid)
  counter = 0
  -- Recipients must not repeat across wrk runs of one bench (the recipient limit would answer 429).
  prefix = string.format("bench-%s-%d-%d-%d", run, os.time(), tid, math.random(1, 1000000))
end

function request()
  if endpoint == "ping" then
    return wrk.format("GET", "/ping")
  end
  counter = counter + 1
  local email = string.format("%s-%d@example.com", prefix, counter)
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local body = string.format('{"client_id":"%s","connection":"%s","email":"%s","send":"code"}',
    client_id, connection, email)
  return wrk.format("POST", "/passwordless/start",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = ip }, body)
end

if think > 0 then
  function delay()
    return -math.log(1 - math.random()) * think
  end
end

-- One machine-readable line for the driver script.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT endpoint=%s rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f mean_ms=%.2f requests=%d non2xx=%d socket_errors=%d\n",
    endpoint, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000, summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout))
end
