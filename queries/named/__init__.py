"""The named queries, grouped by role; `rekg.queries.library` is the registry and the way to run them.

- `actors`: one actor's profile and timeline, and what is new since a date
- `organizations`: people, PART_OF family, funding, policies, organizations in a place
- `network`: neighbourhoods, shortest paths, centrality and communities
- `spec`: what a named query is (its parameters) and the helpers every query shares
- `sample`: a tiny hand-built graph that the docstring examples run on
"""
