"""The authoring studio: drafts, revisions, review and publishing of content in the app.

Files under ``courses/`` and ``scenarios/`` stay the format of record: a studio
revision is the full text of such a file, published by the same code that
``academy content sync`` uses, and exported back by ``academy content export``.
"""
