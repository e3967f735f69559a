-- Destroy every session of one user, in one step.
--
-- KEYS[1]  the user's index, weft:session:<store>:{<user tag>}:index: id hashes (see
--          session_create.lua); every live session of the user is in it
-- ARGV[1]  the sessions' key prefix, weft:session:<store>:{<user tag>}: , to which an id hash is
--          appended; such keys share KEYS[1]'s hash tag, so they are in its slot on a cluster
--
-- The index is bounded by the most sessions a user may hold, so this loop is too.
--
-- Returns  (ScriptOutputType.INTEGER: Long) how many sessions were destroyed
local destroyed = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  destroyed = destroyed + redis.call('DEL', ARGV[1] .. member)
end
redis.call('DEL', KEYS[1])
return destroyed
