-- Release a load lock (stampede protection) if this caller still owns it, and wake waiters.
--
-- KEYS[1]  the load lock's key
-- ARGV[1]  the owner's token
-- ARGV[2]  the change channel
-- ARGV[3]  the entry's key, published so that waiters for it read again
--
-- Returns  1 if the lock was ours and is now deleted, 0 if it had expired or belongs to another
--          caller (ScriptOutputType.INTEGER: Long). Waiters are woken either way.
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
local released = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  released = 1
end
redis.pcall('PUBLISH', ARGV[2], ARGV[3])
return released
