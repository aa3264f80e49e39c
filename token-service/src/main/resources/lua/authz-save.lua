-- Stores a new authorization code's grant, atomically with its expiry (a record without one would never die).
-- KEYS[1] token:authz:<sha256 of the code>
-- ARGV[1] grant JSON   ARGV[2] client_id   ARGV[3] lifetime (ms)
redis.call('HSET', KEYS[1], 'grant', ARGV[1], 'client', ARGV[2], 'ttl', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
