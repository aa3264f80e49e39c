-- One shared rate limit (per IP or per client) as GCRA: one key holding the "theoretical arrival time", in
-- microseconds (so limits up to a million per second per key stay exact; doubles hold these integers exactly).
-- Allows `limit` at once, then one more every period/limit. O(1) memory whatever the limit.
-- KEYS[1] limiter   ARGV[1] now (ms)   ARGV[2] period (ms)   ARGV[3] limit
-- Returns {1, 0} when allowed (and counted), {0, retry-after ms} when not (and nothing changed).
local now = tonumber(ARGV[1]) * 1000
local period = tonumber(ARGV[2]) * 1000
local step = math.max(1, math.floor(period / tonumber(ARGV[3])))
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local next_tat = tat + step
if next_tat - now > period then
  return {0, math.ceil((next_tat - now - period) / 1000)}
end
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000))
return {1, 0}
