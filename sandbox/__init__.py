"""The sandbox: a synthetic world of companies (with planted schemes and legitimate
look-alikes) served over real HTTP as offline replicas of every source kind.

Contract with the crawlers: ``docs/sandbox-sites.md``. Only the app layer (commands
that generate, serve or evaluate a world) and tests import this package.
"""
