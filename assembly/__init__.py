"""Assembly: audit findings, strategies and Word drafts of the strategy (built in a later step).

It reads survey results through survey's typed interface only; survey never imports assembly.
"""
