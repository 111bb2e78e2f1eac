"""Insight: how a policy message moved over time and between speakers.

- ``timeline``: statements over time with terms of office as bands (a server-rendered SVG);
- ``related``: the most similar quotations by other speakers (a small TF-IDF);
- ``pledges``: commitments curators have marked, and what became of them;
- ``compare``: what several speakers said on one theme, side by side.

Everything here reads records; nothing writes.
"""
