-- Failover: the claim (KEYS[1], 'calling' at route step ARGV[1] for attempt ARGV[2]) moves to step ARGV[3] of
-- provider ARGV[4] at ARGV[5] (ms), without ever leaving 'calling': no other attempt can claim the event in between,
-- so two steps never send at once. Not when a receipt settled the record meanwhile. Returns 1, or the record.
if redis.call('HGET', KEYS[1], 'state') ~= 'calling' or redis.call('HGET', KEYS[1], 'step') ~= ARGV[1]
    or redis.call('HGET', KEYS[1], 'attempt') ~= ARGV[2] then
  return redis.call('HGETALL', KEYS[1])
end
redis.call('HSET', KEYS[1], 'step', ARGV[3], 'provider', ARGV[4], 'at', ARGV[5])
return 1
