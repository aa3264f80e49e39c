-- 'sent' with the provider's message id, only while the record (KEYS[1]) is still 'calling' (a receipt settling
-- an attempt that died in its call). ARGV: now (ms), provider, provider id. Returns 1 when written, else 0.
if redis.call('HGET', KEYS[1], 'state') ~= 'calling' then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'sent', 'at', ARGV[1], 'provider', ARGV[2], 'provider_id', ARGV[3])
return 1
