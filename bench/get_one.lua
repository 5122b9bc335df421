-- GET /api/v1/problems/{id} for a random id of the generated database, authenticated by the
-- benchmark user's API token (BENCH_TOKEN), ids 1..BENCH_MAX_ID.
local max_id = tonumber(os.getenv("BENCH_MAX_ID"))
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
math.randomseed(1)
request = function()
  return wrk.format("GET", "/api/v1/problems/" .. math.random(1, max_id))
end
