--[[
  Removes the oldest finished runs of one class of a flow: those beyond the number kept and those that
  finished before the cutoff, at most ARGV[5] of them, so that one call never holds Redis for long (the
  caller calls again while a call removes that many). Each run goes with its hash, its event stream, its
  state, its entries in the flow's and the global indexes, and its count. The work is in proportion to
  the runs removed only.

  The removed runs' own keys are built here from the prefix, as store-keys.ts builds them, since the runs
  are known only once the index is read. That is fine because nvent does not support Redis Cluster.

  KEYS[1] the class's index of finished runs (score: finishedAt; member: sequence:runId)
  KEYS[2] flow's run index  KEYS[3] flow names set       KEYS[4] index of all runs
  KEYS[5] id index          KEYS[6] run counts
  KEYS[7..] for each finished status in ARGV[6..], the flow's index of runs in it, then the global one
  (all of them: removing a run from one it is not in costs next to nothing)
  ARGV[1] key prefix        ARGV[2] flow name
  ARGV[3] runs to keep, or '' for no count limit
  ARGV[4] finishedAt before which runs go, or '' for no age limit
  ARGV[5] most runs to remove in this call
  ARGV[6..] the finished statuses

  Returns how many runs it removed.
]]
local prefix = ARGV[1]
-- The oldest finished come first in the index, so both limits remove a run of lowest ranks: whichever
-- reaches further decides how many.
local doomed = 0
if ARGV[3] ~= '' then
  doomed = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
end
if ARGV[4] ~= '' then
  doomed = math.max(doomed, redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. ARGV[4]))
end
doomed = math.min(doomed, tonumber(ARGV[5]))
if doomed <= 0 then
  return 0
end

local members = redis.call('ZRANGE', KEYS[1], 0, doomed - 1)
local ids = {}
for i, member in ipairs(members) do
  -- Members are '<16-digit sequence>:<runId>'.
  local runId = string.sub(member, 18)
  redis.call('UNLINK', prefix .. ':run:' .. runId, prefix .. ':events:' .. runId)
  dropState(prefix .. ':state-keys:' .. runId)
  ids[i] = idEntry(member)
end
for _, index in ipairs({ KEYS[1], KEYS[2], KEYS[4] }) do
  redis.call('ZREM', index, unpack(members))
end
redis.call('ZREM', KEYS[5], unpack(ids))
-- A run is in the index of its status only, so what each status index loses is what its count loses
-- (a finished run is never awaiting).
for i = 6, #ARGV do
  local flowIndex = KEYS[7 + 2 * (i - 6)]
  local removed = redis.call('ZREM', flowIndex, unpack(members))
  if removed > 0 then
    redis.call('ZREM', KEYS[8 + 2 * (i - 6)], unpack(members))
    addCount(KEYS[6], ARGV[2] .. '\0' .. ARGV[i], -removed)
  end
end
-- A flow whose last run went has no runs to list.
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SREM', KEYS[3], ARGV[2])
end
return #members
