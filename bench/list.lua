-- The filtered list (the URL given to wrk), authenticated by the API token BENCH_TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
