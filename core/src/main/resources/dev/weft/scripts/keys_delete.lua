-- Delete one entry and announce the change (near caches drop their copy).
--
-- KEYS[1]  the entry's key
-- ARGV[1]  the change channel
--
-- Returns  the number of keys removed, 0 or 1 (ScriptOutputType.INTEGER: Long).
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
local removed = redis.call('UNLINK', KEYS[1])
redis.pcall('PUBLISH', ARGV[1], KEYS[1])
return removed
