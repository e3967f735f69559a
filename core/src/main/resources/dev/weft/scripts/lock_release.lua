-- Release a distributed lock if this owner still holds it, and wake its waiters.
--
-- KEYS[1]  the lock, weft:lock:{<user key>}
-- ARGV[1]  the owner's token
-- ARGV[2]  the change channel, on which waiters listen for the lock's key
-- ARGV[3]  milliseconds to keep holding (holdAtLeast not yet over), 0 to release now
--
-- Returns  1 if the lock was ours (deleted, or left to expire after ARGV[3] ms), 0 if it had
--          expired or belongs to another owner; then nothing changes and nobody is woken
--          (ScriptOutputType.INTEGER: Long).
--
-- The PUBLISH is only a notification and runs with redis.pcall: when Redis refuses it (NOPERM, an
-- ACL user without the channel's permission) the write stands and its result is returned as
-- usual; the runtime reports once that notifications are off, and waiters poll instead.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
local keep = tonumber(ARGV[3])
if keep > 0 then
  redis.call('PEXPIRE', KEYS[1], keep)
else
  redis.call('DEL', KEYS[1])
end
-- Waiters sleep until the lease they saw ends; wake them to see the new state.
redis.pcall('PUBLISH', ARGV[2], KEYS[1])
return 1
