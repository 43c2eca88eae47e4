--[[
  One page of a run index, newest first, with the index's size. The page is read in the same script
  as the count so both describe one moment.

  KEYS[1] run index (score: createdAt; member: sequence:runId)
  ARGV[1] page size
  ARGV[2] score of the last run of the previous page, or '' for the first page
  ARGV[3] member of that run

  Returns { total, { member, score, member, score, ... } } with up to one entry more than the page
  size, which tells the caller that another page follows.
]]
local total = redis.call('ZCARD', KEYS[1])
local limit = tonumber(ARGV[1])
if ARGV[2] == '' then
  return { total, redis.call('ZREVRANGE', KEYS[1], 0, limit, 'WITHSCORES') }
end

-- Runs sharing the cursor's score come first in the range and include the ones already shown.
local lastScore = tonumber(ARGV[2])
local ties = redis.call('ZCOUNT', KEYS[1], ARGV[2], ARGV[2])
local candidates = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], '-inf', 'WITHSCORES', 'LIMIT', 0, ties + limit + 1)
local rows = {}
for i = 1, #candidates, 2 do
  local member, score = candidates[i], candidates[i + 1]
  if tonumber(score) < lastScore or member < ARGV[3] then
    rows[#rows + 1] = member
    rows[#rows + 1] = score
    if #rows == 2 * (limit + 1) then
      break
    end
  end
end
return { total, rows }
