"""The sites the sandbox server plays, one module per host kind (see
docs/sandbox-sites.md). Each exposes ``handle(req) -> Response``."""
