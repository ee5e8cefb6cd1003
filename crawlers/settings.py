"""Scrapy settings of the smokewatch crawlers.

Every value that differs from Scrapy's default carries a comment saying why.
Per-source values (delays, concurrency, timeouts, retries, robots, maximum size,
depth) come from the source YAML and are applied by ``crawlers.crawl`` on top of
these; tests override any of them with ``-s NAME=VALUE``.
"""

BOT_NAME = "smokewatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Say who we are: regulators crawl openly, and site operators can reach us.
USER_AGENT = "smokewatch/0.1 (+regulatory early-warning crawler; contact: operator)"

# Obey robots.txt (Scrapy's default is False). A source may say robots: ignore,
# only for a site whose owner agreed to it.
ROBOTSTXT_OBEY = True

# Politeness: few parallel requests per domain and a delay between them (default 8 / 0).
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25

# AutoThrottle (default off): back off when a site slows down.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Time out slow pages sooner than Scrapy's 180 s: a slow site must not stall a cycle.
DOWNLOAD_TIMEOUT = 20
# Cap page size (default 1 GiB): a multi-MB "page" is garbage or a trap (sandbox 'oversized').
DOWNLOAD_MAXSIZE = 4 * 1024 * 1024
DOWNLOAD_WARNSIZE = 1024 * 1024

# Retries are ours (crawlers.middlewares.BackoffRetry: exponential backoff, honours
# Retry-After). The code list is Scrapy's default plus 522/524 (CDN timeouts), explicit.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Trap limit: how deep link-following may go from a start URL (default: unlimited).
DEPTH_LIMIT = 6
DEPTH_STATS_VERBOSE = False

# Redirects stay on (default), but fewer hops: redirect loops are a classic trap.
REDIRECT_MAX_TIMES = 5

# Cookies off (default on): we read public pages and must not build sessions.
COOKIES_ENABLED = False
# Telnet console and remote control off (default on): no listening ports besides what we need.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Breadth-first (default depth-first): listings before details, and traps starve first.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

DOWNLOADER_MIDDLEWARES = {
    # Drop Scrapy's retry middleware for ours (same slot).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.TrapFilter": 50,
    "crawlers.middlewares.SourceProxy": 60,  # before HttpProxyMiddleware (750) reads meta['proxy']
    "crawlers.middlewares.BlockDetection": 70,
    "crawlers.middlewares.ConditionalRequests": 80,
    "crawlers.middlewares.CharsetFix": 90,
    "crawlers.middlewares.RetryDelay": 540,
    "crawlers.middlewares.BackoffRetry": 550,
}
SPIDER_MIDDLEWARES = {
    # Count and swallow parse errors on one page: a bad page never crashes a run.
    "crawlers.middlewares.ParseErrorGuard": 45,
}
ITEM_PIPELINES = {
    "crawlers.pipelines.validate.ValidatePipeline": 100,
    "crawlers.pipelines.clean.CleanPipeline": 200,
    "crawlers.pipelines.dedup.DedupPipeline": 300,
    "crawlers.pipelines.amac.AmacPipeline": 350,
    "crawlers.pipelines.link.LinkPipeline": 400,
    "crawlers.pipelines.store.StorePipeline": 900,
}
EXTENSIONS = {
    "crawlers.extensions.Progress": 500,
    "crawlers.extensions.RedisIdle": 510,
}
# Progress line to stderr every N seconds during long crawls.
SMOKE_PROGRESS_INTERVAL = 5.0
# Writes are batched: one store write (a transaction or a bulk request) per N items, and at close.
SMOKE_STORE_BATCH = 50

# Our own logging is the progress line and the summary; Scrapy's INFO chatter is noise.
LOG_LEVEL = "WARNING"
# We configure logging once per crawler process (default also installs a root handler).
LOG_INSTALL_ROOT_HANDLER = True
# UTF-8 feeds (default would escape Chinese to \\uXXXX).
FEED_EXPORT_ENCODING = "utf-8"
# Explicit, so behaviour does not change with the next Scrapy's defaults.
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
