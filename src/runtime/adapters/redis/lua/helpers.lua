--[[
  Functions that several scripts share. Not a script of its own: scripts.ts puts this file before each
  script, since one Lua script cannot call another.
]]

-- Appends the event JSONs ARGV[first..] to a run's stream, each stamped with ts, and adds their ids to
-- `ids`. The trim is exact ('=', where '~' trims only whole nodes of about 100 entries) because readers
-- get exactly the last `cap` events; ids still only grow, as a stream remembers its last id.
local function appendRunEvents(ids, stream, cap, ts, first)
  for i = first, #ARGV do
    ids[#ids + 1] = redis.call('XADD', stream, 'MAXLEN', '=', cap, '*', 'event', ARGV[i], 'ts', ts)
  end
  return ids
end

-- Keeps a run in the index of its finished class ('completed', or 'failed' for failed, canceled and
-- stalled), scored by finishedAt, and out of the other; a running run (class '') is in neither.
local function indexFinished(member, class, finishedAt, completedIndex, failedIndex)
  for name, index in pairs({ completed = completedIndex, failed = failedIndex }) do
    if name == class then
      redis.call('ZADD', index, finishedAt, member)
    else
      redis.call('ZREM', index, member)
    end
  end
end

-- Deletes a scope's state: every key its index names, then the index. UNLINK frees them off Redis's main
-- thread; the keys go in chunks because unpack() takes a bounded number of values.
local function dropState(index)
  local keys = redis.call('ZRANGE', index, 0, -1)
  for i = 1, #keys, 1000 do
    redis.call('UNLINK', unpack(keys, i, math.min(i + 999, #keys)))
  end
  redis.call('UNLINK', index)
end

-- A run's entry in the id index: '<runId>:<sequence>' for the index member '<sequence>:<runId>', so that
-- the entries of ids with one prefix are one lexicographic range.
local function idEntry(member)
  return string.sub(member, 18) .. ':' .. string.sub(member, 1, 16)
end

-- Adds `by` to a run count, deleting a count that reaches 0 so that it is absent from the stats.
local function addCount(counts, field, by)
  if redis.call('HINCRBY', counts, field, by) <= 0 then
    redis.call('HDEL', counts, field)
  end
end

-- Applies the counter changes the caller computed (runStatsDelta, encoded by run-stats.ts) from
-- ARGV[first]: the minute ('' for none), its field, when its hash expires, the number of count changes,
-- then each change's count field and amount. Returns the index of the argument after them.
-- `minutes` lists the minutes that have a hash (`<minutes>:<minute>`), dropping those that expired.
local function applyRunStats(counts, minutes, first)
  local minute, expireAt = ARGV[first], ARGV[first + 2]
  if minute ~= '' then
    local key = minutes .. ':' .. minute
    redis.call('HINCRBY', key, ARGV[first + 1], 1)
    redis.call('PEXPIREAT', key, expireAt)
    redis.call('ZADD', minutes, minute, minute)
    -- The list lives as long as its newest minute's hash: every hash lives as long after its minute.
    local newest = redis.call('ZRANGE', minutes, -1, -1, 'WITHSCORES')[2]
    redis.call('PEXPIREAT', minutes, string.format('%.0f', tonumber(newest) + tonumber(expireAt) - tonumber(minute)))
    local oldest = redis.call('ZRANGE', minutes, 0, 0)[1]
    while oldest and redis.call('EXISTS', minutes .. ':' .. oldest) == 0 do
      redis.call('ZREM', minutes, oldest)
      oldest = redis.call('ZRANGE', minutes, 0, 0)[1]
    end
  end
  local changes = tonumber(ARGV[first + 3])
  for i = first + 4, first + 3 + 2 * changes, 2 do
    addCount(counts, ARGV[i], ARGV[i + 1])
  end
  return first + 4 + 2 * changes
end
