-- The sender's next rate-limit slot (generic cell rate algorithm, time from the Redis server, microseconds).
-- Returns -1, wait (nothing reserved: the slot is further than max_wait away) or 0, wait (reserved; send after wait).
local function reserve(key, interval, burst, max_wait)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  local wait = tat - now - (burst - 1) * interval
  if wait < 0 then wait = 0 end
  if wait > max_wait then return -1, wait end
  local next_tat = tat + interval
  redis.call('SET', key, string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)
  return 0, wait
end
