"""The editors' work, for the web and the CLI alike: accounts, the files items are edited
through, the case-study form, uploads, the lifecycle of a change, revisions, the audit log and
the duplicate warning. Imports neither Flask nor the CLI.
"""
