-- Claims an event's record (KEYS[1]) for an attempt unless it was handled already (see DeliveryLedger.claim).
-- ARGV: attempt, now (ms), ttl (ms), client, connection, channel, state, reason, provider, step.
-- Returns 1 (claimed) or the record as it is (HGETALL).
local state = redis.call('HGET', KEYS[1], 'state')
if state then
  local attempt = tonumber(redis.call('HGET', KEYS[1], 'attempt') or '0')
  if state ~= 'retrying' or attempt >= tonumber(ARGV[1]) then
    return redis.call('HGETALL', KEYS[1])
  end
end
redis.call('HSET', KEYS[1], 'state', ARGV[7], 'attempt', ARGV[1], 'at', ARGV[2], 'client', ARGV[4],
  'connection', ARGV[5], 'channel', ARGV[6], 'reason', ARGV[8], 'provider', ARGV[9], 'step', ARGV[10])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
