-- wrk script: a client_credentials mint per request (no Redis, no PostgreSQL): the signing-only baseline.
-- BENCH_PATH is the token endpoint (default /oauth/token; Keycloak's for the peer run); an empty BENCH_AUDIENCE sends
-- no audience (Keycloak takes none).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local env = {}
  for line in io.lines(os.getenv("BENCH_DIR") .. "/bench.env") do
    local k, v = line:match("^([%w_]+)=(.*)$")
    if k then env[k] = v end
  end
  local audience = (os.getenv("BENCH_AUDIENCE") or ""):gsub(":", "%%3A"):gsub("/", "%%2F")
  path = os.getenv("BENCH_PATH") or "/oauth/token"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = "grant_type=client_credentials&client_id=" .. env.CLIENT_ID .. "&client_secret=" .. env.CLIENT_SECRET
    .. (audience ~= "" and ("&audience=" .. audience) or "")
  failures = 0
end

function request()
  return wrk.format(nil, path)
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local f = 0
  for _, t in ipairs(threads) do
    f = f + (t:get("failures") or 0)
  end
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f non200=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, f))
end
