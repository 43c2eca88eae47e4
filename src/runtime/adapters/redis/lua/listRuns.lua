--[[
  One page of the runs in a run index that were created in [from, to) and whose id starts with a prefix,
  newest first, with the number of all such runs. The page is read in the same script as the count so
  both describe one moment.

  Without a prefix, the count and the page come from the index's scores. With one, the runs are found
  through whichever is smaller: the id index's range for the prefix (each looked up in the run index), or
  the run index's range for the times (each id checked). Either way the work grows with the smaller of
  the two, never with the whole store.

  KEYS[1] run index (score: createdAt; member: sequence:runId)
  KEYS[2] id index (score 0; member: runId:sequence)
  ARGV[1] page size
  ARGV[2] score of the last run of the previous page, or '' for the first page
  ARGV[3] member of that run
  ARGV[4] from, or '' for no lower bound              ARGV[5] to, or '' for no upper bound
  ARGV[6] id prefix, or '' for any id

  Returns { total, { member, score, member, score, ... } } with up to one entry more than the page
  size, which tells the caller that another page follows.
]]
local index, limit, prefix = KEYS[1], tonumber(ARGV[1]), ARGV[6]
local from, to = tonumber(ARGV[4]), tonumber(ARGV[5])
local min = from and ARGV[4] or '-inf'
local max = to and '(' .. ARGV[5] or '+inf'
local lastScore, lastMember = tonumber(ARGV[2]), ARGV[3]

-- Whether an entry is past the previous page in the page's order: createdAt, then member, descending.
local function pastCursor(score, member)
  return not lastScore or score < lastScore or (score == lastScore and member < lastMember)
end

if prefix == '' then
  local total = redis.call('ZCOUNT', index, min, max)
  if not lastScore then
    return { total, redis.call('ZREVRANGEBYSCORE', index, max, min, 'WITHSCORES', 'LIMIT', 0, limit + 1) }
  end
  -- Runs sharing the cursor's score come first in the range and include the ones already shown.
  local upper, shown = ARGV[2], redis.call('ZCOUNT', index, ARGV[2], ARGV[2])
  if to and lastScore >= to then
    upper, shown = max, 0
  end
  local candidates = redis.call('ZREVRANGEBYSCORE', index, upper, min, 'WITHSCORES', 'LIMIT', 0, shown + limit + 1)
  local rows = {}
  for i = 1, #candidates, 2 do
    if pastCursor(tonumber(candidates[i + 1]), candidates[i]) then
      rows[#rows + 1] = candidates[i]
      rows[#rows + 1] = candidates[i + 1]
      if #rows == 2 * (limit + 1) then
        break
      end
    end
  end
  return { total, rows }
end

-- Every match as { score, member, score as Redis wrote it }.
local matches = {}
local lexMin, lexMax = '[' .. prefix, '(' .. prefix .. '\255'
if redis.call('ZLEXCOUNT', KEYS[2], lexMin, lexMax) <= redis.call('ZCOUNT', index, min, max) then
  for _, entry in ipairs(redis.call('ZRANGEBYLEX', KEYS[2], lexMin, lexMax)) do
    -- Entries are '<runId>:<16-digit sequence>': the range also holds ids that are a prefix of it followed by ':'.
    local runId = string.sub(entry, 1, -18)
    if string.sub(runId, 1, #prefix) == prefix then
      local member = string.sub(entry, -16) .. ':' .. runId
      local score = redis.call('ZSCORE', index, member)
      local time = tonumber(score)
      if time and (not from or time >= from) and (not to or time < to) then
        matches[#matches + 1] = { time, member, score }
      end
    end
  end
else
  local entries = redis.call('ZRANGEBYSCORE', index, min, max, 'WITHSCORES')
  for i = 1, #entries, 2 do
    if string.sub(entries[i], 18, 17 + #prefix) == prefix then
      matches[#matches + 1] = { tonumber(entries[i + 1]), entries[i], entries[i + 1] }
    end
  end
end

local rest = {}
for _, match in ipairs(matches) do
  if pastCursor(match[1], match[2]) then
    rest[#rest + 1] = match
  end
end
table.sort(rest, function(a, b)
  return a[1] > b[1] or (a[1] == b[1] and a[2] > b[2])
end)
local rows = {}
for i = 1, math.min(#rest, limit + 1) do
  rows[#rows + 1] = rest[i][2]
  rows[#rows + 1] = rest[i][3]
end
return { #matches, rows }
