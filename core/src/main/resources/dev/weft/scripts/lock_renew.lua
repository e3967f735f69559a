-- Extend a distributed lock's lease if this owner still holds it.
--
-- KEYS[1]  the lock, weft:lock:{<user key>}
-- ARGV[1]  the owner's token
-- ARGV[2]  the new lease in milliseconds, from now
--
-- Returns  1 if extended, 0 if the lock expired or belongs to another owner; then nothing
--          changes (ScriptOutputType.INTEGER: Long).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
