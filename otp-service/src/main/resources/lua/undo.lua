-- Takes back what issue.lua did for one start that then failed (Kafka did not take the event, or a limit on
-- another slot said no): the send no longer counts, and the code it wrote gives way to the one it replaced.
-- A newer start's code (another event id) is left alone. Safe to run twice.
-- KEYS[1] code hash   KEYS[2] sends zset   KEYS[3] previous-code stash
-- ARGV[1] event id   ARGV[2] name of the event-id field
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], ARGV[2]) == ARGV[1] then
  if redis.call('EXISTS', KEYS[3]) == 1 then
    redis.call('RENAME', KEYS[3], KEYS[1])
  else
    redis.call('DEL', KEYS[1])
  end
  return 1
end
return 0
