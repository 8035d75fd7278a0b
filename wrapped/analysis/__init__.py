"""Shared statistics, cohorts and charts for the tools that read runs: eval, review and monitor.

These three compare stories and listeners across runs, cohorts and people. They must agree on
what a cohort is, how an interval is computed and how a chart looks, so those live here once.
Nothing here generates or stores anything: it takes typed records and returns numbers, SVG and
HTML.
"""
