"""The static site (SPEC §12): every recorded audit of every entity, as linked HTML pages.

- `audits`: the audits read from history stores' tables (report files recorded into a store in
  memory), the full report of each entity's latest audit through the one loader, and what
  privacy keeps out of them;
- `figures`: the system at each audit day (the survey's rule tallies), and the survey itself;
- `html`: the page shell (the HTML report's style and Content-Security-Policy), escaping, charts;
- `links`: where each page lives, relative to the site's root;
- `baseline`: OSPS Baseline level shares and levels, where the audits have them;
- `index`, `entity`, `repository`, `rule`: the pages;
- `build`: every page of a site (an unchanged entity's pages kept, not made again), and writing
  only those whose bytes changed.

The site is a formatter of many reports: it reads stores and reports, never a host.
"""
