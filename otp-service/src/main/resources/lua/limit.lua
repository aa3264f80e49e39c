-- One shared rate limit (per IP or per client) as GCRA: one key holding the "theoretical arrival time" in ms.
-- Allows `limit` at once, then one more every period/limit ms. O(1) memory whatever the limit.
-- KEYS[1] limiter   ARGV[1] now (ms)   ARGV[2] period (ms)   ARGV[3] limit
-- Returns {1, 0} when allowed (and counted), {0, retry-after ms} when not (and nothing changed).
local now = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local step = math.max(1, math.floor(period / tonumber(ARGV[3])))
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local next_tat = tat + step
if next_tat - now > period then
  return {0, next_tat - now - period}
end
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', next_tat - now)
return {1, 0}
