-- Add to the current time bucket of a counter's series, the bucket chosen on Redis's clock.
--
-- KEYS[1]  the series' key prefix, weft:ctr:<name>:{<key>}:<granularity>: (not a key itself): the
--          bucket's key is this prefix followed by the bucket's start in epoch seconds, so it has
--          KEYS[1]'s hash tag and lies in the slot the script was sent to
-- ARGV[1]  the bucket length in seconds (1, 60, 3600 or 86400)
-- ARGV[2]  what to add, an integer
-- ARGV[3]  the retention in seconds: the bucket expires that long after its end
-- KEYS[2]  optional: the record of the event this increment is for,
--          weft:ctr:<name>:{<key>}:seen:<event id>; if it exists the increment was made already
--          (the event was delivered again) and nothing is added; else it is created, expiring
--          after ARGV[4] milliseconds
--
-- Returns  (ScriptOutputType.MULTI: List<Object>) {start, count}: the bucket's start in epoch
--          seconds (Long) and its count after the addition (Long), or as it stands for an event
--          seen before
local now = tonumber(redis.call('TIME')[1])
local size = tonumber(ARGV[1])
local start = now - now % size
local bucket = KEYS[1] .. string.format('%d', start)
if KEYS[2] and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[4]) then
  return {start, tonumber(redis.call('GET', bucket) or '0')}
end
local count = redis.call('INCRBY', bucket, ARGV[2])
redis.call('EXPIREAT', bucket, start + size + tonumber(ARGV[3]))
return {start, count}
