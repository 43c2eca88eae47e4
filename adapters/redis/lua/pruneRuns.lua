--[[
  Removes the oldest finished runs of one class of a flow: those beyond the number kept and those that
  finished before the cutoff, at most ARGV[5] of them, so that one call never holds Redis for long (the
  caller calls again while a call removes that many). Each run goes with its hash, its event stream, its
  state and its entries in the flow's indexes. The work is in proportion to the runs removed only.

  The removed runs' own keys are built here from the prefix, as store-keys.ts builds them, since the runs
  are known only once the index is read. That is fine because nvent does not support Redis Cluster.

  KEYS[1] the class's index of finished runs (score: finishedAt; member: sequence:runId)
  KEYS[2] flow's run index  KEYS[3] flow names set
  KEYS[4..7] flow's indexes of the finished statuses (all four: removing a run from one it is not in costs
  next to nothing)
  ARGV[1] key prefix        ARGV[2] flow name
  ARGV[3] runs to keep, or '' for no count limit
  ARGV[4] finishedAt before which runs go, or '' for no age limit
  ARGV[5] most runs to remove in this call

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
for _, member in ipairs(members) do
  -- Members are '<16-digit sequence>:<runId>'.
  local runId = string.sub(member, 18)
  redis.call('UNLINK', prefix .. ':run:' .. runId, prefix .. ':events:' .. runId)
  dropState(prefix .. ':state-keys:' .. runId)
end
for i = 1, #KEYS do
  if i ~= 3 then
    redis.call('ZREM', KEYS[i], unpack(members))
  end
end
-- A flow whose last run went has no runs to list.
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('SREM', KEYS[3], ARGV[2])
end
return #members
