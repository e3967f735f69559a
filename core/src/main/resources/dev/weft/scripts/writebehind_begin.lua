-- Write-behind: decide whether a consumer may persist one stream entry now.
--
-- Only the newest write of a key is persisted, and only by one consumer at a time: the entry must
-- still be its key's newest write (the newest-write hash holds its id) and the key's lease must
-- be free or already this caller's. The lease expires on its own after ARGV[4] ms (Redis time),
-- so a consumer that dies while persisting blocks its key for at most that long.
--
-- KEYS[1]  the newest-write hash, weft:wb:{<name>}:latest
-- KEYS[2]  the key's persist lease, weft:wb:{<name>}:lease:<entry key> (string, PX)
-- KEYS[3]  the write-behind stream, weft:wb:{<name>}
-- ARGV[1]  the entry key
-- ARGV[2]  the stream entry's id
-- ARGV[3]  the caller's token, unique per attempt
-- ARGV[4]  the lease in milliseconds, a positive integer
--
-- Returns  (ScriptOutputType.INTEGER: Long)
--           1  go: the lease is the caller's; persist, then run writebehind_finish.lua
--           0  skip: a newer write of the key exists, or this one was persisted already; the
--              entry has been deleted from the stream, acknowledge it without persisting
--          -1  busy: another consumer holds the key's lease (it persists an older write now)
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  redis.call('XDEL', KEYS[3], ARGV[2])
  return 0
end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[3] then
  return -1
end
redis.call('SET', KEYS[2], ARGV[3], 'PX', tonumber(ARGV[4]))
return 1
