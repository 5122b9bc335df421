-- Mixed load for the soak: 60% GET one problem, 20% a filtered list page, 20% a progress
-- report (a durable write with its audit record). BENCH_TOKEN authenticates, BENCH_MAX_ID
-- bounds the ids, BENCH_IDS lists in-progress problems. With BENCH_DELAY_MS each connection
-- waits that long between requests (how the soak holds a rate below the maximum).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
-- wrk.format with its own headers sends only those: the writes carry the token themselves.
local post_headers = {["Authorization"] = wrk.headers["Authorization"],
                      ["Content-Type"] = "application/json"}
local max_id = tonumber(os.getenv("BENCH_MAX_ID"))
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local states = {"registered", "assigned", "in_progress", "claimed", "closed"}
local body = '{"fields":{"progress":"已按计划推进，本周完成招标"}}'

request = function()
  local r = math.random(1, 10)
  if r <= 6 then
    return wrk.format("GET", "/api/v1/problems/" .. math.random(1, max_id))
  elseif r <= 8 then
    return wrk.format("GET", "/api/v1/problems?limit=20&state=" .. states[math.random(1, #states)])
  end
  local id = ids[math.random(1, #ids)]
  return wrk.format("POST", "/api/v1/problems/" .. id .. "/actions/report",
                    post_headers, body)
end

if pause > 0 then
  delay = function() return pause end
end
