-- wrk script: one passwordless OTP login per request, each with its own pre-seeded code (codes.txt: "email code").
-- Threads take disjoint slices of the file so that no code is used twice.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local env = {}
  for line in io.lines(os.getenv("BENCH_DIR") .. "/bench.env") do
    local k, v = line:match("^([%w_]+)=(.*)$")
    if k then env[k] = v end
  end
  local n = tonumber(os.getenv("BENCH_THREADS") or "1")
  codes = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_DIR") .. "/codes.txt") do
    if i % n == id then
      local email, code = line:match("^(%S+) (%S+)$")
      table.insert(codes, { email, code })
    end
    i = i + 1
  end
  next_code = 1
  prefix = "grant_type=http%3A%2F%2Fauth0.com%2Foauth%2Fgrant-type%2Fpasswordless%2Fotp"
    .. "&client_id=" .. env.CLIENT_ID .. "&client_secret=" .. env.CLIENT_SECRET .. "&realm=" .. env.REALM
    .. "&scope=" .. (os.getenv("BENCH_SCOPE") or "openid")
  local audience = os.getenv("BENCH_AUDIENCE")
  if audience and audience ~= "" then
    prefix = prefix .. "&audience=" .. audience:gsub(":", "%%3A"):gsub("/", "%%2F")
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  failures = 0
  exhausted = 0
end

function request()
  local c = codes[next_code]
  if not c then
    exhausted = exhausted + 1
    c = codes[1]
  else
    next_code = next_code + 1
  end
  local body = prefix .. "&username=" .. c[1]:gsub("@", "%%40") .. "&otp=" .. c[2]
  return wrk.format(nil, "/oauth/token", nil, body)
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local f, x = 0, 0
  for _, t in ipairs(threads) do
    f = f + (t:get("failures") or 0)
    x = x + (t:get("exhausted") or 0)
  end
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f non200=%d "
    .. "codes_exhausted=%d\n", summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, f, x))
end
