-- Add members to the current time bucket of a unique counter (a HyperLogLog per bucket), the
-- bucket chosen on Redis's clock.
--
-- KEYS[1]  the series' key prefix, weft:uc:<name>:{<key>}:<granularity>: (not a key itself): the
--          bucket's key is this prefix followed by the bucket's start in epoch seconds, so it has
--          KEYS[1]'s hash tag and lies in the slot the script was sent to
-- ARGV[1]  the bucket length in seconds (1, 60, 3600 or 86400)
-- ARGV[2]  the retention in seconds: the bucket expires that long after its end
-- ARGV[3..] the members
--
-- Returns  (ScriptOutputType.MULTI: List<Object>) {start, changed}: the bucket's start in epoch
--          seconds (Long) and 1 if PFADD changed the estimate, else 0 (Long)
local now = tonumber(redis.call('TIME')[1])
local size = tonumber(ARGV[1])
local start = now - now % size
local bucket = KEYS[1] .. string.format('%d', start)
local changed = redis.call('PFADD', bucket, unpack(ARGV, 3))
redis.call('EXPIREAT', bucket, start + size + tonumber(ARGV[2]))
return {start, changed}
