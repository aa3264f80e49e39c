-- Gives back the unit limit.lua took for a start that then failed (same units: microseconds).
-- KEYS[1] limiter   ARGV[1] now (ms)   ARGV[2] period (ms)   ARGV[3] limit
local now = tonumber(ARGV[1]) * 1000
local step = math.max(1, math.floor(tonumber(ARGV[2]) * 1000 / tonumber(ARGV[3])))
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat then
  return 0
end
tat = tat - step
if tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
end
return 1
