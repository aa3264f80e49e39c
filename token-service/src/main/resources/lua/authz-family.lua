-- Records the refresh token family the exchange of a redeemed authorization code issued, unless the code was
-- presented again meanwhile (that presentation found no family to revoke, so the exchange must revoke it itself).
-- KEYS[1] token:authz:<sha256 of the code>   ARGV[1] family id
-- Returns 'recorded', 'replayed' (nothing recorded), or 'gone' (the record expired or was evicted: nothing recorded)
local r = redis.call('HMGET', KEYS[1], 'client', 'replayed')
if not r[1] then
  return 'gone'
end
if r[2] then
  return 'replayed'
end
redis.call('HSET', KEYS[1], 'family', ARGV[1])
return 'recorded'
