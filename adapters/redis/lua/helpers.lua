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

