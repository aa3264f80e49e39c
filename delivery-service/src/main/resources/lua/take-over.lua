-- A claim whose lease ran out, taken over by a new attempt: only while the record is still the one the attempt
-- found (calling, claimed at ARGV[1]), so of two attempts that found it only one takes it.
-- ARGV: at of the dead claim, attempt, now (ms), ttl (ms), provider, step. Returns 1, or the record as it is.
if redis.call('HGET', KEYS[1], 'state') ~= 'calling' or redis.call('HGET', KEYS[1], 'at') ~= ARGV[1] then
  return redis.call('HGETALL', KEYS[1])
end
redis.call('HSET', KEYS[1], 'attempt', ARGV[2], 'at', ARGV[3], 'provider', ARGV[5], 'step', ARGV[6], 'reason',
  'taken over after the lease of the claim of ' .. ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
