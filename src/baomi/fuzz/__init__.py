"""Mutation fuzzing of every extractor and of the text path (`make fuzz`).

`python -m baomi.fuzz --inputs N` builds its own seed files (`seeds`), mutates them
(`mutate`), reviews each input in a capped worker process (`worker`, `run`) and counts
exceptions escaping `Reviewer.review`, hangs, peak RSS and silent allows of unreadable
or still-marked input (`oracle` says how those are told from benign mutations).
`python -m baomi.fuzz.bombs` answers each known bomb and reports its time and memory.
Needs the `attachments` and `dev` extras (reportlab builds the pdf seed).
"""
