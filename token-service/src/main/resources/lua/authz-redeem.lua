-- One presentation of an authorization code at /oauth/token, atomically (RFC 6749 4.1.2: used at most once, and a
-- second use is remembered so that what the first one issued can be revoked).
-- KEYS[1] token:authz:<sha256 of the code>, a hash: client, ttl, and grant until redeemed;
--         then family (refresh tokens issued from it) and replayed (presented again) as they happen
-- Returns:
--   {'first', grant}            first presentation: the grant is handed over and removed from the record, which is
--                               kept one code lifetime from now, so that the exchange can still record its refresh
--                               token family and a later presentation is still recognised
--   {'again', client, family}   presented before: marked replayed; family is '' when none was recorded (yet)
--   {'unknown'}                 never issued, or gone
local r = redis.call('HMGET', KEYS[1], 'grant', 'client', 'ttl', 'family')
if not r[2] then
  return {'unknown'}
end
if r[1] then
  redis.call('HDEL', KEYS[1], 'grant')
  redis.call('PEXPIRE', KEYS[1], tonumber(r[3]))
  return {'first', r[1]}
end
redis.call('HSET', KEYS[1], 'replayed', '1')
return {'again', r[2], r[4] or ''}
