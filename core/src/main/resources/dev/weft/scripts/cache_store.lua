-- Store a cache entry and announce the change.
--
-- KEYS[1]  the entry's key
-- ARGV[1]  the value, JSON bytes
-- ARGV[2]  the time to live in milliseconds, a positive integer
-- ARGV[3]  the change channel (PUBLISHed with the entry's key, so that near caches drop their
--          copy and load waiters wake up)
-- ARGV[4]  optional: what the key must still hold for the store to happen (a load's lease marker,
--          see cache_lease.lua, or the stale value a refresh replaces); absent or empty: store
--          unconditionally (a write-through: the newest value)
--
-- Returns  the status reply OK (ScriptOutputType.STATUS: String) when stored, REFUSED when the
--          key no longer holds ARGV[4]: an invalidation removed it or a newer write replaced it
--          while the value was being loaded, so the loaded value may be older than the database.
-- Every entry is written with PX: no cache key ever lives without a TTL.
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
local ttl = tonumber(ARGV[2])
if not ttl or ttl <= 0 then
  return redis.error_reply('ERR weft cache_store: time to live must be a positive integer, got ' .. tostring(ARGV[2]))
end
if ARGV[4] and ARGV[4] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[4] then
  return 'REFUSED'
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.pcall('PUBLISH', ARGV[3], KEYS[1])
return 'OK'
