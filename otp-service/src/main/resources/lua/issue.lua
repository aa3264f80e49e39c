-- Recipient limits and the code write of one POST /passwordless/start, atomically, on the recipient's hash slot.
-- KEYS[1] code hash   KEYS[2] sends zset   KEYS[3] lock   KEYS[4] previous-code stash   KEYS[5] blocked marker
-- ARGV[1] now (ms)   ARGV[2] window (ms)   ARGV[3] sends allowed per window   ARGV[4] least gap between sends (ms)
-- ARGV[5] event id   ARGV[6] code TTL (ms)   ARGV[7..] field, value pairs of the code hash
-- Returns {outcome, ms}: {'ok', 0} | {'blocked', 0} | {'recipient', retry-after} | {'locked', retry-after}
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])

local lock = redis.call('PTTL', KEYS[3])
if lock == -1 then
  return {'locked', window}
elseif lock > 0 then
  return {'locked', lock}
end

redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
local last = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if last[2] then
  local wait = tonumber(last[2]) + tonumber(ARGV[4]) - now
  if wait > 0 then
    return {'recipient', wait}
  end
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'recipient', math.max(1, tonumber(first[2]) + window - now)}
end

-- A blocked recipient counts against the limits like anyone else (the answers must not differ) but gets no code.
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('PEXPIRE', KEYS[2], window)
if redis.call('EXISTS', KEYS[5]) == 1 then
  return {'blocked', 0}
end

-- Only the latest code is valid. The one it replaces is stashed with its own TTL, to be put back by undo.lua if
-- this start fails after all; otherwise it expires unused.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[4])
else
  redis.call('DEL', KEYS[4])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 7, #ARGV))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
return {'ok', 0}
