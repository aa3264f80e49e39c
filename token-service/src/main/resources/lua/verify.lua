-- One verification of a one-time code, atomically, on the recipient's hash slot (layout: common's OtpState).
-- KEYS[1] code hash   KEYS[2] fails counter   KEYS[3] lock
-- ARGV[1] HMAC of the presented code   ARGV[2] client_id   ARGV[3] now (epoch ms)   ARGV[4] lock threshold
-- ARGV[5] fail window (ms)   ARGV[6] '1': delete the code on success (a login), '0': leave it (a check)
-- Returns {outcome, number, params}:
--   {'ok', 0, params}    the code is right (and, when consuming, gone)
--   {'wrong', left}      wrong; `left` wrong guesses remain for this code (0: it is dead)
--   {'exhausted', 0}     the code has no attempts left; nothing was compared
--   {'expired', 0}       no live code: never sent, used, replaced or past its expiry
--   {'locked', ms}       too many wrong codes for this recipient; locked for `ms` more
local lock = redis.call('PTTL', KEYS[3])
if lock == -1 then
  return {'locked', tonumber(ARGV[5])}
elseif lock > 0 then
  return {'locked', lock}
end

local code = redis.call('HMGET', KEYS[1], 'hmac', 'client', 'attempts', 'exp', 'params')
local exp = tonumber(code[4])
if not exp then
  return {'expired', 0}
end
if exp <= tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
  return {'expired', 0}
end
local left = tonumber(code[3]) or 0
if left <= 0 or not code[1] then
  return {'exhausted', 0}
end

-- Constant-time comparison: every byte is looked at whatever the first difference.
local stored, given = code[1], ARGV[1]
local diff = 0
if #stored ~= #given then
  diff = 1
  given = stored
end
for i = 1, #stored do
  diff = bit.bor(diff, bit.bxor(string.byte(stored, i), string.byte(given, i)))
end
if code[2] ~= ARGV[2] then
  diff = 1
end

if diff == 0 then
  if ARGV[6] == '1' then
    redis.call('DEL', KEYS[1], KEYS[2])
  end
  return {'ok', 0, code[5] or ''}
end

left = redis.call('HINCRBY', KEYS[1], 'attempts', -1)
if left <= 0 then
  -- Dead, but kept until its TTL so that the next try hears "maximum number of attempts", not "expired".
  redis.call('HDEL', KEYS[1], 'hmac')
end
local fails = redis.call('INCR', KEYS[2])
if fails == 1 then
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[5]))
end
if fails >= tonumber(ARGV[4]) then
  local rest = redis.call('PTTL', KEYS[2])
  if rest <= 0 then
    rest = tonumber(ARGV[5])
  end
  redis.call('SET', KEYS[3], '1', 'PX', rest)
  return {'locked', rest}
end
return {'wrong', left}
