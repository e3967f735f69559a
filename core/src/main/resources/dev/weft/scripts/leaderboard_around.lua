-- Read a member's neighbourhood on a leaderboard: its rank and the members within `radius`
-- ranks above and below it, in one consistent read.
--
-- KEYS[1]  the board, weft:lb:{<name>}: member -> negated score (see leaderboard_write.lua)
-- ARGV[1]  the member
-- ARGV[2]  the radius, 0 or more (0 reads the member alone)
--
-- Returns  (ScriptOutputType.MULTI: List<Object>) {} if the member is not on the board; else
--          {first, member, score, member, score, ...}: first is the 0-based rank (Long) of the
--          first member listed, then members (bytes) with their negated scores (bytes), best first
local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
if not rank then
  return {}
end
local radius = tonumber(ARGV[2])
local first = rank - radius
if first < 0 then
  first = 0
end
local reply = redis.call('ZRANGE', KEYS[1], first, rank + radius, 'WITHSCORES')
table.insert(reply, 1, first)
return reply
