"""One spider per source kind (registry, court, complaint, promo, amac); each site of
a kind is a YAML file under config/sources/, passed as ``-a source=NAME``.
Base classes by access pattern live in ``base.py``."""

SPIDER_FOR_KIND = {
    "registry": "crawlers.spiders.registry.Registry",
    "court": "crawlers.spiders.court.Court",
    "complaint": "crawlers.spiders.complaint.Complaint",
    "promo": "crawlers.spiders.promo.Promo",
    "amac": "crawlers.spiders.amac.Amac",
}
