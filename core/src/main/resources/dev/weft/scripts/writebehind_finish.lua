-- Write-behind: end one persist attempt.
--
-- Releases the key's lease if the caller still holds it. When the write was persisted (or given
-- up on, as a dead letter), it also forgets the key's newest write if that is still this one,
-- and deletes the entry from the stream, so that the stream's length counts only writes still to
-- be persisted (the backlog that writebehind_write.lua bounds).
--
-- KEYS[1]  the newest-write hash, weft:wb:{<name>}:latest
-- KEYS[2]  the key's persist lease, weft:wb:{<name>}:lease:<entry key>
-- KEYS[3]  the write-behind stream, weft:wb:{<name>}
-- ARGV[1]  the entry key
-- ARGV[2]  the stream entry's id
-- ARGV[3]  the caller's token (empty when the caller holds no lease)
-- ARGV[4]  '1' when the write is done with (persisted or dead-lettered), '0' when the attempt
--          failed and the entry stays to be retried
--
-- Returns  1 if the key's newest write was this one and is now forgotten, else 0
--          (ScriptOutputType.INTEGER: Long).
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
end
if ARGV[4] ~= '1' then
  return 0
end
redis.call('XDEL', KEYS[3], ARGV[2])
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
