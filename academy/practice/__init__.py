"""Practice evidence and the growth read side (persistence + services).

What trainers, residents and employees record about practice at work — field
observations, resident feedback cards (意见反馈卡), reflection journal entries,
spaced refresher quizzes — and the services that load evidence from the ledger
for the pure growth model (`academy.growth`) and store its results for HR
(`growth_snapshots`). Every service writes its ledger statement through
`academy.progress.ledger.record` and flushes; the caller commits.
"""
