-- claim.lua with the sender's rate slot (KEYS[2]) in the same round trip; needs reserve.lua before it.
-- ARGV 1-10 as claim.lua, then interval (us), burst, max wait (us).
-- Returns {0} (claimed), {1, HGETALL} (handled already) or {2, granted, wait} (not claimed: wait for the slot).
local state = redis.call('HGET', KEYS[1], 'state')
if state then
  local attempt = tonumber(redis.call('HGET', KEYS[1], 'attempt') or '0')
  if state ~= 'retrying' or attempt >= tonumber(ARGV[1]) then
    return {1, redis.call('HGETALL', KEYS[1])}
  end
end
local granted, wait = reserve(KEYS[2], tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13]))
if granted ~= 0 or wait > 0 then
  return {2, granted, wait}
end
redis.call('HSET', KEYS[1], 'state', ARGV[7], 'attempt', ARGV[1], 'at', ARGV[2], 'client', ARGV[4],
  'connection', ARGV[5], 'channel', ARGV[6], 'reason', ARGV[8], 'provider', ARGV[9], 'step', ARGV[10])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {0}
