--[[
  Sets or deletes one key of a scope's state, and keeps the scope's index: the Redis key of each of its
  state keys, scored by when it expires ('+inf' for never), so that clearing the scope needs no SCAN.

  KEYS[1] the scope's index     KEYS[2] the state key's Redis key
  ARGV[1] value JSON (absent: delete the key)           ARGV[2] time to live in ms (absent: none)
]]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

if not ARGV[1] then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], KEYS[2])
elseif not ARGV[2] then
  redis.call('SET', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[1], '+inf', KEYS[2])
else
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  -- Formatted here: Lua would write a large number in exponent form.
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[2])), KEYS[2])
end

-- Keys that expired on their own leave the index here, so a scope that lives long does not gather
-- the names of dead keys.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)

-- The index lives as long as its longest-lived key: the state of a scope that nothing clears or prunes
-- (a plain job's) is gone when all of its keys are.
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] == 'inf' then
  redis.call('PERSIST', KEYS[1])
elseif last[2] then
  redis.call('PEXPIREAT', KEYS[1], last[2])
end
