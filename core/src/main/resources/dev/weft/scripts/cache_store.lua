-- Store a cache entry and announce the change.
--
-- KEYS[1]  the entry's key
-- ARGV[1]  the value, JSON bytes
-- ARGV[2]  the time to live in milliseconds, a positive integer
-- ARGV[3]  the change channel (PUBLISHed with the entry's key, so that near caches drop their
--          copy and load waiters wake up)
--
-- Returns  the status reply OK (ScriptOutputType.STATUS: String).
-- Every entry is written with PX: no cache key ever lives without a TTL.
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
local ttl = tonumber(ARGV[2])
if not ttl or ttl <= 0 then
  return redis.error_reply('ERR weft cache_store: time to live must be a positive integer, got ' .. tostring(ARGV[2]))
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.pcall('PUBLISH', ARGV[3], KEYS[1])
return 'OK'
