-- The end of a claimed attempt, written only while the record (KEYS[1]) is still 'calling' (a receipt may have
-- recorded it sent meanwhile). ARGV: ttl (ms), then field, value, ... Returns 1, or the record as it is.
local state = redis.call('HGET', KEYS[1], 'state')
if state and state ~= 'calling' then
  return redis.call('HGETALL', KEYS[1])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
