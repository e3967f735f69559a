-- Write a member's score on a leaderboard, then trim the board to its bound and renew its expiry,
-- in one step.
--
-- KEYS[1]  the board, weft:lb:{<name>}: a sorted set of member -> NEGATED score, so that ZRANGE
--          lists the best first and equal scores by member name, ascending (Redis orders equal
--          scores by the members' bytes)
-- ARGV[1]  the mode: 'set' (replace the score), 'best' (keep the better of the old and the new
--          score; a new member is added) or 'incr' (add to the score; a new member starts at 0)
-- ARGV[2]  the member
-- ARGV[3]  the negated score ('set', 'best') or the negated delta ('incr')
-- ARGV[4]  how many members the board keeps, best first; 0 for no bound
-- ARGV[5]  how long the board lives after this write, in milliseconds; 0 for no expiry
-- KEYS[2]  optional: the record of the event this write is for, weft:lb:{<name>}:seen:<event id>;
--          if it exists the write was made already (the event was delivered again) and nothing
--          changes; else it is created, expiring after ARGV[6] milliseconds
--
-- Returns  (ScriptOutputType.MULTI: List<Object>) {score, rank}: the member's negated score as
--          Redis prints it (bytes) and its 0-based rank (Long), or {'', -1} when the trim removed
--          the member (it did not make the board)
local board = KEYS[1]
local mode = ARGV[1]
local member = ARGV[2]
local function standing()
  local rank = redis.call('ZRANK', board, member)
  if not rank then
    return {'', -1}
  end
  return {redis.call('ZSCORE', board, member), rank}
end
if KEYS[2] and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[6]) then
  return standing()
end
if mode == 'incr' then
  redis.call('ZINCRBY', board, ARGV[3], member)
elseif mode == 'best' then
  -- negated: a higher real score is a lower stored one
  redis.call('ZADD', board, 'LT', ARGV[3], member)
else
  redis.call('ZADD', board, ARGV[3], member)
end
local keep = tonumber(ARGV[4])
if keep > 0 then
  redis.call('ZREMRANGEBYRANK', board, keep, -1)
end
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  redis.call('PEXPIRE', board, ttl)
end
return standing()
