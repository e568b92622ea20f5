"""The static site (SPEC §12): every recorded audit of every entity, as linked HTML pages.

- `audits`: the audits read from history stores and report files through the one loader, and
  what privacy keeps out of them;
- `html`: the page shell (the HTML report's style and Content-Security-Policy), escaping, charts;
- `pages`: the index, entity, repository and rule pages;
- `build`: every page of a site, and writing only those whose bytes changed.

The site is a formatter of many reports: it reads stores and reports, never a host.
"""
