-- Decide one rate-limited request against one or more limits, atomically.
--
-- Every limit is checked first; only when all of them allow is the request consumed from all of
-- them, so a request denied by one limit takes nothing from any other. Time is Redis's own
-- (TIME, in whole milliseconds); no client clock is ever used. Every key written gets a TTL that
-- ends when forgetting it changes nothing (an absent key means a full limit).
--
-- KEYS[i]        the base key of limit i, weft:rl:{<user key>}:<algorithm>:<permits>/<window ms>;
--                all KEYS share the hash tag {<user key>}. The script touches no other key.
-- ARGV[1]        the permits requested, an integer in [1, smallest limit's permits]
-- ARGV[2]        an id unique to this request (random, from the client); makes the members of
--                SLIDING_WINDOW_LOG sorted sets unique: <id>:<1..ARGV[1]>
-- ARGV[3i]       limit i's algorithm: token_bucket, sliding_window_log, sliding_window_counter,
--                fixed_window or gcra
-- ARGV[3i+1]     limit i's permits, a positive integer
-- ARGV[3i+2]     limit i's window in milliseconds, a positive integer
--
-- Returns  (ScriptOutputType.MULTI: List<Object> of six Long)
--   [1] allowed: 1 if the request was granted (and consumed from every limit), 0 if not
--   [2] remaining: permits the reported limit still grants now (after this request if allowed)
--   [3] retry-after ms: 0 if allowed; else how long until this request would be allowed by every
--       limit, if nothing else is consumed meanwhile (the largest wait over all limits)
--   [4] reset ms: how long until the reported limit is full again, if nothing is consumed
--   [5] the 0-based index of the reported limit: if allowed, the tightest (fewest remaining;
--       on a tie the one with the longer reset); if denied, the denying limit with the longest
--       retry-after (on a tie the one with fewer remaining). [2] and [4] describe that limit.
--   [6] the server time of the decision, epoch milliseconds

local n = tonumber(ARGV[1])
local request_id = ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Tolerance for the floating-point arithmetic of continuous refill (tokens, ms).
local EPS = 1e-6

local function ceil_ms(x)
  local c = math.ceil(x - EPS)
  if c < 0 then return 0 end
  return c
end

local function floor_permits(x)
  local f = math.floor(x + EPS)
  if f < 0 then return 0 end
  return f
end

-- TOKEN_BUCKET: one string "<tokens> <server ms>", the tokens left at that time; capacity p,
-- refilled continuously at p per w. (One string, not a hash: GET and SET PX are two commands
-- where HMGET, HSET and PEXPIRE would be three.)
-- Returns ok, remaining, retry ms, reset ms, and (if ok) the tokens left after this request.
local function token_bucket(key, p, w)
  local rate = p / w
  local tokens = p
  local state = redis.call('GET', key)
  if state then
    local left, at = string.match(state, '^(%S+) (%S+)$')
    left, at = tonumber(left), tonumber(at)
    if left and at then
      tokens = math.min(p, left + math.max(0, now - at) * rate)
    end
  end
  if tokens + EPS >= n then
    local left = math.max(0, tokens - n)
    return true, floor_permits(left), 0, ceil_ms((p - left) / rate), left
  end
  return false, floor_permits(tokens), ceil_ms((n - tokens) / rate), ceil_ms((p - tokens) / rate)
end

local function token_bucket_commit(key, reset, left)
  -- gone exactly when full again: an absent bucket is a full one
  redis.call('SET', key, string.format('%.17g %.17g', left, now), 'PX', math.max(1, reset))
end

-- GCRA: one key holding the theoretical arrival time (TAT, server ms); emission interval
-- T = w / p, burst tolerance w - T, so p requests may arrive at once.
-- Returns ok, remaining, retry ms, reset ms, and (if ok) the new TAT.
local function gcra(key, p, w)
  local interval = w / p
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then
    tat = now
  end
  local new_tat = tat + n * interval
  local allow_at = new_tat - w
  if allow_at <= now + EPS then
    return true, floor_permits((w - (new_tat - now)) / interval), 0, ceil_ms(new_tat - now), new_tat
  end
  return false, floor_permits((w - (tat - now)) / interval), math.max(1, ceil_ms(allow_at - now)),
      ceil_ms(tat - now)
end

local function gcra_commit(key, reset, tat)
  -- gone exactly when the TAT is reached: an absent key is a TAT in the past
  redis.call('SET', key, tat, 'PX', math.max(1, reset))
end

-- Fast path: one limit, GCRA or TOKEN_BUCKET (the common case), decided without the general
-- machinery below, which a call would otherwise pay for in closures and tables. Anything
-- malformed falls through to the general path, which reports it.
if #KEYS == 1 and #ARGV == 5 and n and n >= 1 and n % 1 == 0 then
  local p = tonumber(ARGV[4])
  local w = tonumber(ARGV[5])
  if p and p >= n and w and w >= 1 then
    if ARGV[3] == 'gcra' then
      local ok, remaining, retry, reset, tat = gcra(KEYS[1], p, w)
      if ok then
        gcra_commit(KEYS[1], reset, tat)
      end
      return {ok and 1 or 0, remaining, retry, reset, 0, now}
    elseif ARGV[3] == 'token_bucket' then
      local ok, remaining, retry, reset, left = token_bucket(KEYS[1], p, w)
      if ok then
        token_bucket_commit(KEYS[1], reset, left)
      end
      return {ok and 1 or 0, remaining, retry, reset, 0, now}
    end
  end
end

-- FIXED_WINDOW and SLIDING_WINDOW_COUNTER keep a hash {w, c, p}: the number of the window it
-- counts (floor(server ms / window ms)), that window's count, and the previous window's count.
-- Returns the counts of the current and the previous window as of now.
local function window_counts(key, index)
  local s = redis.call('HMGET', key, 'w', 'c', 'p')
  local counted = tonumber(s[1])
  if counted == index then
    return tonumber(s[2]) or 0, tonumber(s[3]) or 0
  elseif counted == index - 1 then
    return 0, tonumber(s[2]) or 0
  end
  return 0, 0
end

local check = {}
local commit = {}

function check.token_bucket(key, p, w)
  local ok, remaining, retry, reset, left = token_bucket(key, p, w)
  return {ok = ok, remaining = remaining, retry = retry, reset = reset, left = left}
end

function commit.token_bucket(key, p, w, d)
  token_bucket_commit(key, d.reset, d.left)
end

function check.gcra(key, p, w)
  local ok, remaining, retry, reset, tat = gcra(key, p, w)
  return {ok = ok, remaining = remaining, retry = retry, reset = reset, tat = tat}
end

function commit.gcra(key, p, w, d)
  gcra_commit(key, d.reset, d.tat)
end

-- SLIDING_WINDOW_LOG: a sorted set of the granted permits' times; window (now - w, now].
-- One member per permit: the caller (Limit) keeps p, and so n, at most 10,000
-- (RateLimitAlgorithm.MAX_LOG_PERMITS), which bounds the ZADDs below.
function check.sliding_window_log(key, p, w)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - w)
  local count = redis.call('ZCARD', key)
  if count + n <= p then
    return {ok = true, remaining = p - count - n, retry = 0, reset = w}
  end
  -- the (count + n - p) oldest entries must leave; entry s leaves once now >= s + w
  local leaving = redis.call('ZRANGE', key, count + n - p - 1, count + n - p - 1, 'WITHSCORES')
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  return {ok = false, remaining = math.max(0, p - count),
          retry = math.max(1, tonumber(leaving[2]) + w - now),
          reset = math.max(0, tonumber(newest[2]) + w - now)}
end

function commit.sliding_window_log(key, p, w, d)
  for j = 1, n do
    redis.call('ZADD', key, now, request_id .. ':' .. j)
  end
  redis.call('PEXPIRE', key, w)
end

-- FIXED_WINDOW: a count per window of the server clock, gone at the window's end.
function check.fixed_window(key, p, w)
  local index = math.floor(now / w)
  local count = window_counts(key, index)
  local ends = (index + 1) * w - now
  if count + n <= p then
    return {ok = true, remaining = p - count - n, retry = 0, reset = ends,
            index = index, cur = count, prev = 0, ttl = ends}
  end
  return {ok = false, remaining = math.max(0, p - count), retry = ends, reset = ends}
end

function commit.fixed_window(key, p, w, d)
  redis.call('HSET', key, 'w', string.format('%.0f', d.index), 'c', d.cur + n, 'p', d.prev)
  redis.call('PEXPIRE', key, d.ttl)
end

-- SLIDING_WINDOW_COUNTER: the current and previous windows' counts, the previous one weighted by
-- its overlap with the sliding window (now - w, now]; the hash lives until the end of the next
-- window, where this window's count is still needed.
function check.sliding_window_counter(key, p, w)
  local index = math.floor(now / w)
  local elapsed = now - index * w
  local cur, prev = window_counts(key, index)
  local estimate = prev * (w - elapsed) / w + cur
  local ttl = 2 * w - elapsed
  if estimate + n <= p + EPS then
    return {ok = true, remaining = floor_permits(p - estimate - n), retry = 0, reset = ttl,
            index = index, cur = cur, prev = prev, ttl = ttl}
  end
  local retry
  local room = p - cur - n
  if room >= 0 then
    -- later in this window: prev * (w - e) / w <= room  <=>  e >= w - room * w / prev
    retry = math.max(1, ceil_ms(w - room * w / prev - elapsed))
  else
    -- in the next window, where this window's count is the previous one
    retry = (w - elapsed) + ceil_ms(w - (p - n) * w / cur)
  end
  local reset = 0
  if cur > 0 then
    reset = ttl
  elseif prev > 0 then
    reset = w - elapsed
  end
  return {ok = false, remaining = floor_permits(p - estimate), retry = retry, reset = reset}
end

commit.sliding_window_counter = commit.fixed_window

if not n or n < 1 or n % 1 ~= 0 then
  return redis.error_reply('ERR weft ratelimit_decide: permits requested must be a positive integer, got ' .. tostring(ARGV[1]))
end
if #ARGV ~= 2 + 3 * #KEYS or #KEYS == 0 then
  return redis.error_reply('ERR weft ratelimit_decide: expected 3 ARGV per key after 2, got ' .. #ARGV .. ' ARGV for ' .. #KEYS .. ' keys')
end

local decisions = {}
local allowed = true
for i = 1, #KEYS do
  local algorithm = ARGV[3 * i]
  local p = tonumber(ARGV[3 * i + 1])
  local w = tonumber(ARGV[3 * i + 2])
  if not check[algorithm] then
    return redis.error_reply('ERR weft ratelimit_decide: unknown algorithm ' .. tostring(algorithm))
  end
  if not p or p < n or not w or w < 1 then
    return redis.error_reply('ERR weft ratelimit_decide: limit ' .. i .. ' needs permits >= ' .. n .. ' and window >= 1 ms')
  end
  local d = check[algorithm](KEYS[i], p, w)
  d.i = i
  d.algorithm = algorithm
  d.p = p
  d.w = w
  decisions[i] = d
  allowed = allowed and d.ok
end

local reported = nil
for i = 1, #KEYS do
  local d = decisions[i]
  if allowed then
    commit[d.algorithm](KEYS[i], d.p, d.w, d)
    if reported == nil or d.remaining < reported.remaining
        or (d.remaining == reported.remaining and d.reset > reported.reset) then
      reported = d
    end
  elseif not d.ok then
    if reported == nil or d.retry > reported.retry
        or (d.retry == reported.retry and d.remaining < reported.remaining) then
      reported = d
    end
  end
end

return {allowed and 1 or 0, reported.remaining, reported.retry, reported.reset, reported.i - 1, now}
