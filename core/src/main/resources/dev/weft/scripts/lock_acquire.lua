-- Take a distributed lock if nobody holds it, and issue its fencing token, in one step.
--
-- KEYS[1]  the lock, weft:lock:{<user key>}: a string holding the owner's token, with the lease
--          as its TTL
-- KEYS[2]  the lock's fence, weft:lock:{<user key>}:fence: the last token issued (same slot)
-- ARGV[1]  the owner's token, random per acquisition
-- ARGV[2]  the lease in milliseconds
-- ARGV[3]  how long the fence is kept after the last acquisition, in milliseconds
--
-- The token is the larger of the last token + 1 and Redis's clock in microseconds: it strictly
-- increases per key while the fence exists, and after the fence expired it is still larger than
-- every token issued before, unless Redis's clock went back by more than the fence's life.
--
-- Returns  (ScriptOutputType.MULTI: List<Long>)
--   {1, token}   the lock is now ours
--   {0, pttl}    another owner holds it; pttl is its remaining lease in milliseconds
--                (or -1 if it has none, which Weft never writes)
local t = redis.call('TIME')
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, redis.call('PTTL', KEYS[1])}
end
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[2])) or 0
local token = math.max(last + 1, now_us)
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
return {1, token}
