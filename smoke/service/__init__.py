"""The service layer under the CLI, the web pages and the JSON API: one filter parser,
one company lookup, one high-risk threshold, one time format, one search over companies
and documents. No HTTP and no click here; the surfaces only render what it returns."""
