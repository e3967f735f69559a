-- Put an item at the tail of a reliable queue, unless the queue is full, and wake waiting takers.
--
-- KEYS[1]  the ready list, weft:q:{<name>}:ready: message ids, pushed on the left, taken from the
--          right
-- KEYS[2]  the items, weft:q:{<name>}:items: a hash of message id -> payload, for every item
--          ready or in flight
-- ARGV[1]  the new message id (random, unique)
-- ARGV[2]  the payload
-- ARGV[3]  the queue's capacity: the most items ready and in flight together
-- ARGV[4]  the change channel, on which takers wait for the ready list's key
--
-- Returns  1 if the item was queued, 0 if the queue was full (ScriptOutputType.INTEGER: Long)
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
-- a taker waits only while the list is empty: wake them when it stops being empty
if redis.call('LPUSH', KEYS[1], ARGV[1]) == 1 then
  redis.pcall('PUBLISH', ARGV[4], KEYS[1])
end
return 1
