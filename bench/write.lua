-- A progress report (flow action "report": problem row, flow event and audit record in one
-- durable transaction) on a random in-progress problem from BENCH_IDS, one id per line.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local body = '{"fields":{"progress":"已按计划推进，本周完成招标"}}'
request = function()
  local id = ids[math.random(1, #ids)]
  return wrk.format("POST", "/api/v1/problems/" .. id .. "/actions/report", nil, body)
end
