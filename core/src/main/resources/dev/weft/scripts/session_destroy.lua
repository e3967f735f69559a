-- Destroy one session and take it out of its user's index, in one step.
--
-- KEYS[1]  the session, weft:session:<store>:{<user tag>}:<id hash>
-- KEYS[2]  the user's index, weft:session:<store>:{<user tag>}:index (same slot)
-- ARGV[1]  the id hash
--
-- Returns  (ScriptOutputType.INTEGER: Long) 1 if a session was destroyed, 0 if there was none
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
